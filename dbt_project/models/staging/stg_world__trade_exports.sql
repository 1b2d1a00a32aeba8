select
    country,
    cast(year as integer) as year,
    hs6,
    hs_revision,
    cast(export_value_usd as double) as export_value_usd,
    source_file,
    source_row
from {{ raw_source('world_trade_exports') }}
