-- Years of the warehouse: the panel years (var panel_first_year to the latest customs
-- year loaded) plus the year before, which growth rates and lagged variables need.
with customs_years as (
    select distinct year from {{ ref('stg_raw__customs_exports') }}
),

final as (
    select
        year,
        year >= {{ var('panel_first_year') }} as in_panel
    from customs_years
    where year >= {{ var('panel_first_year') }} - 1
)

select * from final
