-- PRODY, world variant: exporters are countries (world trade input, HS6 of any revision
-- mapped to the basket families), X_jt a country's exports over the whole product space
-- the input holds, Y_jt its GDP per capita. Empty when no world files were loaded.
with trade as (
    select * from {{ ref('stg_world__trade_exports') }}
),

income as (
    select * from {{ ref('stg_world__gdp_per_capita') }}
),

totals as (
    select country, year, {{ exact_sum('export_value_usd') }} as total_exports_usd
    from trade
    group by country, year
),

basket as (
    select trade.country, trade.year, families.family_id, {{ exact_sum('trade.export_value_usd') }} as value_usd
    from trade
    inner join {{ ref('int_hs_families') }} as families
        on families.hs_revision = trade.hs_revision and families.hs6 = trade.hs6
    group by trade.country, trade.year, families.family_id
),

intensity as (
    select
        basket.family_id,
        basket.year,
        basket.country as exporter,
        basket.value_usd / totals.total_exports_usd as export_intensity,
        income.gdp_per_capita as income
    from basket
    inner join totals on totals.country = basket.country and totals.year = basket.year
    inner join income on income.country = basket.country and income.year = basket.year
    where basket.value_usd > 0
),

{{ prody_from_intensity('intensity', 'world') }}
