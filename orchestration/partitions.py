"""Yearly partitions of the customs ingest: one partition per customs year folder."""
import dagster as dg

from ingest.load import customs_years
from warehouse.paths import DataPaths

customs_years_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start="2012", fmt="%Y", end_offset=1)


def landing_range_tags(paths: DataPaths) -> dict[str, str]:
    """Run tags selecting every customs year in the landing folder as one partition range."""
    years = customs_years(paths)
    if not years:
        return {}
    return {"dagster/asset_partition_range_start": str(years[0]),
            "dagster/asset_partition_range_end": str(years[-1])}


def range_tags(first: int, last: int) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": str(first),
            "dagster/asset_partition_range_end": str(last)}
