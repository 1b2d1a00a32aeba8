-- Range-standardised indicators of every entropy composite (seed index_methods, method
-- entropy), within its pool: all panel province-years, each year, or each province
-- (docs/methodology.md section 4, steps 1-2, and "Conventions"). `shifted` is what the
-- shares are computed from: the standardised value, plus epsilon under zeros = shift_s.
with methods as (
    select * from {{ ref('stg_reference__index_methods') }}
    where method = 'entropy'
),

catalogue as (
    select * from {{ ref('stg_reference__indicator_catalogue') }}
),

pool as (
    select
        methods.composite,
        methods.index_name,
        case methods.pool
            when 'year' then cast(indicator_values.year as {{ dbt.type_string() }})
            when 'province' then indicator_values.province_code
            else 'all'
        end as pool_group,
        methods.k_rule,
        methods.zeros,
        methods.epsilon,
        methods.scale,
        indicator_values.province_code,
        indicator_values.year,
        indicator_values.indicator_code,
        indicator_values.value,
        catalogue.direction
    from {{ ref('int_indicator_values') }} as indicator_values
    inner join catalogue on catalogue.indicator_code = indicator_values.indicator_code
    inner join methods on methods.index_name = catalogue.index_name
    {{ panel_years_join('indicator_values') }}
),

bounds as (
    select composite, pool_group, indicator_code,
           min(value) as min_value, max(value) as max_value, count(*) as n_rows
    from pool
    group by composite, pool_group, indicator_code
),

-- T: the years of each province in the composite's pool; N: the provinces of each year
-- (the k = 1/ln(T) and k = 1/ln(N) conventions)
province_years as (
    select composite, indicator_code, province_code, count(*) as n_years
    from pool
    group by composite, indicator_code, province_code
),

year_provinces as (
    select composite, indicator_code, year, count(*) as n_provinces
    from pool
    group by composite, indicator_code, year
),

standardised as (
    select
        pool.*,
        bounds.min_value,
        bounds.max_value,
        bounds.n_rows,
        province_years.n_years,
        year_provinces.n_provinces,
        case
            when pool.direction = 'negative'
                then {{ safe_divide('bounds.max_value - pool.value', 'bounds.max_value - bounds.min_value') }}
            else {{ safe_divide('pool.value - bounds.min_value', 'bounds.max_value - bounds.min_value') }}
        end as standardised
    from pool
    inner join bounds
        on bounds.composite = pool.composite and bounds.pool_group = pool.pool_group
        and bounds.indicator_code = pool.indicator_code
    inner join province_years
        on province_years.composite = pool.composite
        and province_years.indicator_code = pool.indicator_code
        and province_years.province_code = pool.province_code
    inner join year_provinces
        on year_provinces.composite = pool.composite
        and year_provinces.indicator_code = pool.indicator_code
        and year_provinces.year = pool.year
),

final as (
    select
        composite,
        index_name,
        pool_group,
        k_rule,
        zeros,
        epsilon,
        scale,
        province_code,
        year,
        indicator_code,
        value,
        min_value,
        max_value,
        n_rows,
        n_years,
        n_provinces,
        standardised,
        case when zeros = 'shift_s' then standardised + epsilon else standardised end as shifted
    from standardised
)

select * from final
