select unit, family, cast(to_base as double) as to_base
from {{ ref('unit_conversions') }}
