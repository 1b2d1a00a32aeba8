select
    indicator_code,
    kind,
    name_zh,
    name_en,
    unit,
    canonical_unit,
    factor,
    static_year,
    index_name,
    dimension,
    sub_dimension,
    direction,
    numerator,
    denominator,
    multiplier
from {{ ref('stg_reference__indicator_catalogue') }}
