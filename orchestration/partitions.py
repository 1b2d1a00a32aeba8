"""Yearly partitions of the customs ingest: one partition per customs year folder."""
import datetime

import dagster as dg

from ingest.load import customs_years
from warehouse.paths import DataPaths


def customs_years_partitions(paths: DataPaths) -> dg.TimeWindowPartitionsDefinition:
    """One partition per year, from the earliest customs year folder in the landing folder
    (no fixed start: any year a researcher holds) to next year. An earlier folder added
    while the UI runs appears after the code location is reloaded; every `medtrade run`
    builds its definitions anew."""
    years = customs_years(paths)
    first = years[0] if years else datetime.date.today().year
    return dg.TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", start=str(first),
                                             fmt="%Y", end_offset=1)


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
