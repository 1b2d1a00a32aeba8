-- Healthcare exports per province, year and product family (USD), with the province's
-- total exports over the whole product space the customs input holds.
with exports as (
    select * from {{ ref('int_customs__exports_usd') }}
),

totals as (
    select province_code, year, sum(value_usd) as total_exports_usd
    from exports
    group by province_code, year
),

families as (
    select province_code, year, family_id, sum(value_usd) as value_usd
    from exports
    where in_basket
    group by province_code, year, family_id
),

final as (
    select families.*, totals.total_exports_usd
    from families
    inner join totals
        on totals.province_code = families.province_code and totals.year = families.year
    where families.value_usd > 0
)

select * from final
