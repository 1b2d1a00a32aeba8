-- A view: the rows stay in raw (tens of millions at transaction level); the two models
-- that aggregate them read through this mapping instead of a full copy.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

-- Customs export rows in USD (CNY converted with the annual average rate), each mapped to
-- its HS revision, HS6 and healthcare product family (null outside the basket).
with exports as (
    select * from {{ ref('stg_customs__exports') }}
),

rates as (
    select * from {{ ref('stg_reference__cny_per_usd') }}
),

families as (
    select * from {{ ref('int_hs_families') }}
),

final as (
    select
        exports.year,
        exports.month,
        exports.province_code,
        exports.region_code,
        exports.hs_code,
        exports.hs6,
        exports.hs_revision,
        families.family_id,
        families.family_id is not null as in_basket,
        exports.partner,
        exports.trade_mode,
        exports.currency,
        exports.value,
        case exports.currency
            when 'USD' then cast(exports.value as double)
            when 'CNY' then {{ safe_divide('cast(exports.value as double)', 'rates.cny_per_usd') }}
        end as value_usd,
        exports.source_file,
        exports.file_hash,
        exports.source_row
    from exports
    left join rates on rates.year = exports.year
    left join families
        on families.hs_revision = exports.hs_revision and families.hs6 = exports.hs6
)

select * from final
