select
    country,
    cast(year as integer) as year,
    hs6,
    hs_revision,
    cast(export_value_usd as double) as export_value_usd,
    source_file,
    source_row
from {{ engine_source('raw', 'world_trade_exports') }}
