-- Range-standardised indicators of the entropy-weighted index, pooled over all panel
-- province-years (docs/methodology.md section 4, steps 1-2).
with catalogue as (
    select * from {{ ref('stg_reference__indicator_catalogue') }}
    where index_name = 'digital_economy'
),

pool as (
    select indicator_values.province_code, indicator_values.year, indicator_values.indicator_code, indicator_values.value,
           catalogue.direction
    from {{ ref('int_indicator_values') }} as indicator_values
    inner join catalogue on catalogue.indicator_code = indicator_values.indicator_code
    {{ panel_years_join('indicator_values') }}
),

bounds as (
    select indicator_code, min(value) as min_value, max(value) as max_value, count(*) as n_rows
    from pool
    group by indicator_code
),

final as (
    select
        pool.province_code,
        pool.year,
        pool.indicator_code,
        pool.value,
        bounds.min_value,
        bounds.max_value,
        bounds.n_rows,
        case
            when pool.direction = 'negative'
                then {{ safe_divide('bounds.max_value - pool.value', 'bounds.max_value - bounds.min_value') }}
            else {{ safe_divide('pool.value - bounds.min_value', 'bounds.max_value - bounds.min_value') }}
        end as standardised
    from pool
    inner join bounds on bounds.indicator_code = pool.indicator_code
)

select * from final
