select
    cast(year as integer) as year,
    cast(cny_per_usd as double) as cny_per_usd
from {{ ref('ref_cny_per_usd') }}
