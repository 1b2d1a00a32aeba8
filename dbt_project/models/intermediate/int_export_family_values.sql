-- Healthcare exports per province, year and product family (USD), with the province's
-- total exports over the whole product space the customs input holds. Money is summed
-- exactly (DECIMAL) per currency and converted to USD once per family (null family: codes
-- outside the basket); the province totals add those family values with exact_sum.
with yearly as (
    select * from {{ ref('int_customs__yearly_exports') }}
),

rates as (
    select * from {{ ref('stg_reference__cny_per_usd') }}
),

by_family as (
    select
        yearly.province_code,
        yearly.year,
        yearly.family_id,
        max(cast(yearly.in_basket as integer)) = 1 as in_basket,
        {{ usd_from_parts('sum(yearly.value_usd_part)', 'sum(yearly.value_cny_part)', 'max(rates.cny_per_usd)') }}
            as value_usd
    from yearly
    left join rates on rates.year = yearly.year
    group by yearly.province_code, yearly.year, yearly.family_id
),

totals as (
    select province_code, year, {{ exact_sum('value_usd') }} as total_exports_usd
    from by_family
    group by province_code, year
),

final as (
    select by_family.province_code, by_family.year, by_family.family_id, by_family.value_usd,
           totals.total_exports_usd
    from by_family
    inner join totals
        on totals.province_code = by_family.province_code and totals.year = by_family.year
    where by_family.in_basket and by_family.value_usd > 0
)

select * from final
