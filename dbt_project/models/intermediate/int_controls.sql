-- Controls, channel Ftrd and the instrument per province-year (docs/methodology.md sections 2, 5).
-- depends_on: {{ ref('indicator_catalogue') }}
with indicator_values as (
    select * from {{ ref('int_indicator_values') }}
),

wide as (
    -- one column per catalogue indicator (codes are snake_case names); the formulas below
    -- name the inputs they need, and a missing one fails the build naming its column
    select
        province_code,
        year{% for code in catalogue_codes() %},
        max(case when indicator_code = '{{ code }}' then value end) as {{ code }}
        {%- endfor %}
    from indicator_values
    group by province_code, year
),

lagged as (
    select province_code, year + 1 as year, de_internet_users_100 as internet_users_100_lag
    from wide
),

rates as (
    select * from {{ ref('stg_reference__cny_per_usd') }}
),

final as (
    select
        wide.province_code,
        wide.year,
        ln({{ safe_divide(
            '6 * pop6_primary + 9 * pop6_junior + 12 * pop6_senior + 16 * pop6_college',
            'pop6_none + pop6_primary + pop6_junior + pop6_senior + pop6_college') }}) as hc,
        ln(highway_km) as inft_road,
        ln(freight_volume) as inft_freight,
        ln(employment) as labor,
        ln({{ safe_divide('tertiary_va', 'secondary_va') }}) as inds,
        {{ safe_divide('gov_expenditure', 'gdp') }} as gov,
        {{ safe_divide('industrial_va', 'gdp') }} as indu,
        ln(gdp_per_capita) as eco,
        {{ safe_divide('trade_total * rates.cny_per_usd', 'gdp') }} as ftrd,
        wide.post_telecom_1984 * lagged.internet_users_100_lag as iv
    from wide
    left join lagged on lagged.province_code = wide.province_code and lagged.year = wide.year
    left join rates on rates.year = wide.year
)

select * from final
