select
    prody.family_id,
    prody.year,
    prody.prody,
    prody.n_exporters,
    prody.prody_variant,
    prody.prody_base_year
from {{ ref('int_prody') }} as prody
inner join {{ ref('int_panel_years') }} as years
    on years.year = prody.year and years.in_panel
