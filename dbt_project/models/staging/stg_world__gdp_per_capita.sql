select
    country,
    cast(year as integer) as year,
    cast(gdp_per_capita as double) as gdp_per_capita,
    source_file,
    source_row
from {{ engine_source('raw', 'world_gdp_per_capita') }}
