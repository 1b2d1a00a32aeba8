with provinces as (
    select * from {{ ref('ref_provinces') }}
),

first_pilot as (
    select * from {{ ref('ref_province_first_pilot') }}
),

final as (
    select
        provinces.code as province_code,
        provinces.name_zh as province_name_zh,
        provinces.short_zh as province_short_zh,
        provinces.name_en as province_name_en,
        provinces.region3,
        provinces.region4,
        cast(first_pilot.first_approval_date as date) as first_pilot_date,
        cast(substr(cast(first_pilot.first_approval_date as {{ dbt.type_string() }}), 1, 4) as integer) as first_pilot_year,
        cast(first_pilot.first_batch as integer) as first_pilot_batch,
        first_pilot.first_city as first_pilot_city,
        cast(first_pilot.n_zones_by_2022 as integer) as n_pilot_zones_by_2022
    from provinces
    left join first_pilot on provinces.code = first_pilot.prov_code
)

select * from final
