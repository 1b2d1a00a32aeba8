-- PRODY per product family and year, provincial variant (METHODOLOGY.md section 2):
-- PRODY_kt = sum_j [(x_jkt / X_jt) / sum_j (x_jkt / X_jt)] * Y_jt, j over provinces,
-- X_jt = province j's total exports in the customs input, Y_jt = GDP per capita (yuan).
-- With var('prody_base_year') set, every year uses that year's PRODY.
with exports as (
    select * from {{ ref('int_export_family_values') }}
),

income as (
    select province_code, year, value as gdp_per_capita
    from {{ ref('int_yearbook__filled') }}
    where indicator_code = 'gdp_per_capita'
),

intensity as (
    select
        exports.family_id,
        exports.year,
        exports.province_code,
        exports.value_usd / exports.total_exports_usd as export_intensity,
        income.gdp_per_capita
    from exports
    inner join income
        on income.province_code = exports.province_code and income.year = exports.year
),

weighted as (
    select
        family_id,
        year,
        export_intensity / sum(export_intensity) over (partition by family_id, year)
            * gdp_per_capita as term
    from intensity
),

yearly as (
    select family_id, year, sum(term) as prody, count(*) as n_exporters
    from weighted
    group by family_id, year
),

final as (
{% if var('prody_base_year') is none %}
    select family_id, year, prody, n_exporters, cast(null as integer) as prody_base_year
    from yearly
{% else %}
    select all_years.family_id, all_years.year, base.prody, base.n_exporters,
           {{ var('prody_base_year') }} as prody_base_year
    from yearly as all_years
    inner join yearly as base
        on base.family_id = all_years.family_id and base.year = {{ var('prody_base_year') }}
{% endif %}
)

select family_id, year, prody, n_exporters, prody_base_year, 'provincial' as prody_variant
from final
