"""The landing sensor fires on new or changed files (by content) and not otherwise."""
import os

import dagster as dg

from orchestration.resources import Warehouse
from orchestration.sensors import annual_load, landing_sensor
from tests.ingest.helpers import write

CSV = "year,province,hs_code,value_usd\n{y},浙江,30049090,10\n"


def evaluate(root, cursor=None):
    from orchestration.definitions import build_definitions
    from warehouse.settings import Settings
    defs = build_definitions(Settings(root))
    # the warehouse resource has a run lifecycle (it holds the data folder's lock in runs),
    # so its contexts are opened as context managers, as Dagster's daemon does
    with dg.build_sensor_context(cursor=cursor, definitions=defs,
                                 resources={"warehouse": Warehouse(data_dir=str(root))}) as context:
        result = landing_sensor.evaluate_tick(context)
    return result, result.cursor


def test_sensor_fires_on_new_and_changed_years_only(tmp_path):
    landing = tmp_path / "landing"
    for y in (2021, 2022):
        write(landing / "customs" / str(y) / "a.csv", CSV.format(y=y))
    write(landing / "yearbook" / "a.csv", "province,year,indicator,value\n北京,2022,货运量,5\n")
    first, cursor = evaluate(tmp_path)
    assert len(first.run_requests) == 1  # first sight of the yearbook: every year, one run
    assert first.run_requests[0].tags["dagster/asset_partition_range_end"] == "2022"
    again, cursor = evaluate(tmp_path, cursor)
    assert not again.run_requests and again.skip_message
    path = landing / "customs" / "2022" / "a.csv"
    os.utime(path, (1, 1))                                   # touched, content unchanged
    touched, cursor = evaluate(tmp_path, cursor)
    assert not touched.run_requests
    write(landing / "customs" / "2023" / "a.csv", CSV.format(y=2023))
    write(path, CSV.format(y=2022).replace(",10", ",11"))
    changed, _ = evaluate(tmp_path, cursor)
    assert sorted(r.partition_key for r in changed.run_requests) == ["2022", "2023"]


def test_annual_schedule_covers_every_landing_year(tmp_path):
    for y in (2019, 2020, 2021):
        write(tmp_path / "landing" / "customs" / str(y) / "a.csv", CSV.format(y=y))
    with dg.build_schedule_context(
            resources={"warehouse": Warehouse(data_dir=str(tmp_path))}) as context:
        request = annual_load.evaluate_tick(context).run_requests[0]
    assert (request.tags["dagster/asset_partition_range_start"],
            request.tags["dagster/asset_partition_range_end"]) == ("2019", "2021")
