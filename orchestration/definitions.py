"""Dagster definitions for medtrade: gathered from small modules."""
from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from orchestration.dbt_cli import MedtradeDbtCli

from orchestration.assets import composites, dbt, docs, ingest, models, publish, report
from orchestration.assets.checks import gx_checks
from orchestration.jobs import full_pipeline
from orchestration.project import dbt_project
from ingest.paths import active_engine, default_data_dir
from orchestration.resources import Warehouse
from orchestration.sensors import annual_load, landing_sensor


def build_definitions(data_dir: str | None = None, engine: str | None = None) -> dg.Definitions:
    """engine: duckdb or spark (default: MEDTRADE_ENGINE, else duckdb)."""
    engine = active_engine(engine)
    return dg.Definitions(
        assets=dg.load_assets_from_modules([ingest, dbt, composites, docs, models, report,
                                            publish]),
        asset_checks=gx_checks,
        jobs=[full_pipeline],
        sensors=[landing_sensor],
        schedules=[annual_load],
        resources={"warehouse": Warehouse(data_dir=data_dir or str(default_data_dir()),
                                           engine=engine),
                   # the dbt beside this interpreter: PATH may not hold the venv's bin;
                   # the dbt target is the engine (profiles.yml has one output per engine)
                   "dbt": MedtradeDbtCli(project_dir=dbt_project, target=engine,
                                         dbt_executable=str(Path(sys.executable).with_name("dbt")))},
        # DuckDB has one writer: steps run sequentially in one process.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
