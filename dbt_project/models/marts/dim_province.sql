select
    province_code,
    province_name_zh,
    province_short_zh,
    province_name_en,
    region3,
    region4,
    first_pilot_date,
    first_pilot_year,
    first_pilot_batch,
    first_pilot_city,
    n_pilot_zones_by_2022
from {{ ref('stg_reference__provinces') }}
