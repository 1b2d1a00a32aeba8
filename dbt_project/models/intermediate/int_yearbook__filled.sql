-- Yearly yearbook series on the full province x year grid, gaps filled as docs/methodology.md
-- section 3 says: interior gaps by linear interpolation over years, leading or trailing
-- gaps by the nearest observed value. Every filled cell has is_imputed = true.
-- The grid holds the catalogue's yearly inputs that the yearbook files provide: an optional
-- catalogue entry nobody loaded (e.g. the PKU index) is absent, not 31 failing series; an
-- index or control that needs it fails on its own nulls downstream.
with catalogue as (
    select indicator_code from {{ ref('stg_reference__indicator_catalogue') }}
    where kind = 'input' and static_year is null
        and indicator_code in (select indicator_code from {{ ref('int_yearbook__canonical') }})
),

grid as (
    select provinces.province_code, years.year, catalogue.indicator_code
    from {{ ref('stg_reference__provinces') }} as provinces
    cross join {{ ref('int_panel_years') }} as years
    cross join catalogue
),

observed as (
    select province_code, year, indicator_code, value
    from {{ ref('int_yearbook__canonical') }}
    where value is not null and static_year is null
),

neighbours as (
    select
        grid.province_code,
        grid.year,
        grid.indicator_code,
        max(case when observed.year < grid.year then observed.year end) as previous_year,
        min(case when observed.year > grid.year then observed.year end) as next_year
    from grid
    inner join observed
        on observed.province_code = grid.province_code
        and observed.indicator_code = grid.indicator_code
    group by grid.province_code, grid.year, grid.indicator_code
),

joined as (
    select
        grid.province_code,
        grid.year,
        grid.indicator_code,
        this_year.value as observed_value,
        neighbours.previous_year,
        neighbours.next_year,
        previous.value as previous_value,
        following.value as next_value
    from grid
    left join observed as this_year
        on this_year.province_code = grid.province_code
        and this_year.indicator_code = grid.indicator_code and this_year.year = grid.year
    left join neighbours
        on neighbours.province_code = grid.province_code
        and neighbours.indicator_code = grid.indicator_code and neighbours.year = grid.year
    left join observed as previous
        on previous.province_code = grid.province_code
        and previous.indicator_code = grid.indicator_code and previous.year = neighbours.previous_year
    left join observed as following
        on following.province_code = grid.province_code
        and following.indicator_code = grid.indicator_code and following.year = neighbours.next_year
),

final as (
    select
        province_code,
        year,
        indicator_code,
        case
            when observed_value is not null then observed_value
            when previous_year is not null and next_year is not null
                then previous_value + (next_value - previous_value)
                    * (year - previous_year) / (next_year - previous_year)
            when previous_year is not null then previous_value
            else next_value
        end as value,
        observed_value is null as is_imputed,
        case
            when observed_value is not null then 'observed'
            when previous_year is not null and next_year is not null then 'interpolated'
            when previous_year is not null then 'carried_forward'
            when next_year is not null then 'carried_backward'
            else 'no_observation'
        end as fill_method
    from joined
)

select * from final
