-- Years of the warehouse. The panel runs from var('panel_first_year') - or the year after
-- the earliest customs year loaded, if later, since growth needs a previous year - to the
-- latest customs year. The year before the panel is kept for growth rates and lags.
with customs_years as (
    select distinct year from {{ ref('int_customs__yearly_exports') }}
),

first_year as (
    select greatest({{ var('panel_first_year') }}, min(year) + 1) as panel_first_year
    from customs_years
),

final as (
    select
        customs_years.year,
        customs_years.year >= first_year.panel_first_year as in_panel
    from customs_years
    cross join first_year
    where customs_years.year >= first_year.panel_first_year - 1
)

select * from final
