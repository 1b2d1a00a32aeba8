-- Healthcare exports per province, year and product family (USD), with the province's
-- total exports over the whole product space the customs input holds. Money is summed
-- exactly (DECIMAL) per currency and converted to USD once, after the sums.
with yearly as (
    select * from {{ ref('int_customs__yearly_exports') }}
),

rates as (
    select * from {{ ref('stg_reference__cny_per_usd') }}
),

totals as (
    select
        yearly.province_code,
        yearly.year,
        {{ usd_from_parts('sum(yearly.value_usd_part)', 'sum(yearly.value_cny_part)', 'max(rates.cny_per_usd)') }}
            as total_exports_usd
    from yearly
    left join rates on rates.year = yearly.year
    group by yearly.province_code, yearly.year
),

families as (
    select
        yearly.province_code,
        yearly.year,
        yearly.family_id,
        {{ usd_from_parts('sum(yearly.value_usd_part)', 'sum(yearly.value_cny_part)', 'max(rates.cny_per_usd)') }}
            as value_usd
    from yearly
    left join rates on rates.year = yearly.year
    where yearly.in_basket
    group by yearly.province_code, yearly.year, yearly.family_id
),

final as (
    select families.*, totals.total_exports_usd
    from families
    inner join totals
        on totals.province_code = families.province_code and totals.year = families.year
    where families.value_usd > 0
)

select * from final
