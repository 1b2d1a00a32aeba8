select
    structure.province_code,
    structure.year,
    structure.exports_usd,
    structure.export_growth,
    structure.n_products,
    structure.n_partners,
    structure.dexp,
    structure.expy,
    structure.expt,
    structure.prody_variant
from {{ ref('int_export_structure') }} as structure
{{ panel_years_join('structure') }}
