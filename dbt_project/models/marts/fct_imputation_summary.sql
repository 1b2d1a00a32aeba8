-- Per yearbook indicator: cells on the panel grid, observed and filled (by method).
select
    filled.indicator_code as indicator,
    count(*) as n_cells,
    cast(sum(case when filled.fill_method = 'observed' then 1 else 0 end) as bigint) as n_observed,
    cast(sum(case when filled.is_imputed then 1 else 0 end) as bigint) as n_imputed,
    cast(sum(case when filled.fill_method = 'interpolated' then 1 else 0 end) as bigint)
        as n_interpolated,
    cast(sum(case when filled.fill_method in ('carried_forward', 'carried_backward') then 1 else 0
             end) as bigint) as n_carried
from {{ ref('int_yearbook__filled') }} as filled
{{ panel_years_join('filled') }}
group by filled.indicator_code
