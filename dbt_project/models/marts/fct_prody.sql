select
    prody.family_id,
    prody.year,
    prody.prody,
    prody.n_exporters,
    prody.prody_variant,
    prody.prody_base_year
from {{ ref('int_prody') }} as prody
{{ panel_years_join('prody') }}
