-- PRODY, provincial variant (docs/methodology.md section 2): exporters are the provinces,
-- X_jt their exports over every code the customs input holds, Y_jt GDP per capita (yuan).
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
        exports.province_code as exporter,
        {{ exact_term('exports.value_usd') }} / exports.total_exports_usd as export_intensity,
        income.gdp_per_capita as income
    from exports
    inner join income
        on income.province_code = exports.province_code and income.year = exports.year
),

{{ prody_from_intensity('intensity', 'provincial') }}
