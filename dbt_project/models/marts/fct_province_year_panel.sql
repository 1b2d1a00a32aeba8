-- The regression panel: one row per province and panel year (docs/methodology.md sections 2-5).
with grid as (
    select provinces.*, years.year
    from {{ ref('stg_reference__provinces') }} as provinces
    inner join {{ ref('int_panel_years') }} as years on years.in_panel
),

composites as (
    select
        province_code,
        year,
        max(case when composite = 'revl' then score end) as revl,
        max(case when composite = 'digde' then score end) as digde,
        max(case when composite = 'digde_new' then score end) as digde_new
    from {{ ref('int_composite_scores') }}
    group by province_code, year
),

imputed as (
    select indicator_values.province_code, indicator_values.year, count(*) as n_imputed_indicators
    from {{ ref('int_indicator_values') }} as indicator_values
    inner join {{ ref('stg_reference__indicator_catalogue') }} as catalogue
        on catalogue.indicator_code = indicator_values.indicator_code
        and catalogue.index_name in (select index_name from {{ ref('stg_reference__index_methods') }})
    where indicator_values.is_imputed
    group by indicator_values.province_code, indicator_values.year
),

final as (
    select
        grid.province_code,
        grid.year,
        grid.province_name_zh,
        grid.province_name_en,
        grid.region3,
        grid.region4,
        cast(composites.revl as double) as revl,
        cast(composites.digde as double) as digde,
        cast(composites.digde_new as double) as digde_new,
        controls.ftrd,
        structure.expt,
        structure.dexp,
        structure.expy,
        structure.exports_usd,
        structure.export_growth,
        controls.hc,
        controls.inft_road,
        controls.inft_freight,
        controls.labor,
        controls.inds,
        controls.gov,
        controls.indu,
        controls.eco,
        controls.iv,
        grid.year >= 2015 as post_2015,
        grid.first_pilot_year,
        grid.year >= coalesce(grid.first_pilot_year, 9999) as has_pilot_zone,
        cast(coalesce(imputed.n_imputed_indicators, 0) as integer) as n_imputed_indicators
    from grid
    left join composites
        on composites.province_code = grid.province_code and composites.year = grid.year
    left join {{ ref('int_controls') }} as controls
        on controls.province_code = grid.province_code and controls.year = grid.year
    left join {{ ref('int_export_structure') }} as structure
        on structure.province_code = grid.province_code and structure.year = grid.year
    left join imputed on imputed.province_code = grid.province_code and imputed.year = grid.year
)

select * from final
