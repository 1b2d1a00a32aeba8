"""Dagster definitions for medtrade, built from one Settings object.

`medtrade run` builds its Settings from the command line and calls build_definitions;
`dagster dev -m orchestration.definitions` (make ui / medtrade ui) loads `defs`, a lazy
definitions loader that reads the Settings from the environment when Dagster asks for
them. Importing this module reads no manifest, suite file or data folder.
"""
from __future__ import annotations

import dagster as dg

from orchestration.assets import ingest, models, report
from orchestration.assets.checks import gx_checks
from orchestration.assets.dbt import dbt_parts
from orchestration.assets.docs import docs_asset
from orchestration.assets.pca import pca_asset
from orchestration.assets.publish import publish_asset
from orchestration.console import LOGGERS
from orchestration.dbt_cli import MedtradeDbtCli
from orchestration.jobs import full_pipeline
from orchestration.partitions import customs_years_partitions
from orchestration.project import dbt_project
from orchestration.resources import Warehouse
from orchestration.sensors import annual_load, landing_sensor
from warehouse.settings import DBT_EXECUTABLE, Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    project = dbt_project(settings.dbt_project_dir)
    parts = dbt_parts(project)
    docs = docs_asset(project, parts)
    writers = [*parts, docs, *models.table_assets, models.mediation_tables, report.study_report,
               report.data_docs]
    return dg.Definitions(
        assets=[ingest.customs_asset(customs_years_partitions(settings.paths)),
                *dg.load_assets_from_modules([ingest, models, report]), *parts,
                pca_asset(*parts), docs, publish_asset(writers)],
        asset_checks=gx_checks(),
        jobs=[full_pipeline],
        sensors=[landing_sensor],
        schedules=[annual_load],
        loggers=LOGGERS,
        resources={"warehouse": Warehouse.from_settings(settings),
                   # profiles.yml has one output per engine (and Spark's thrift method)
                   "dbt": MedtradeDbtCli(project_dir=project, target=settings.dbt_target,
                                         dbt_executable=DBT_EXECUTABLE, env=settings.dbt_env(),
                                         work_dir=str(settings.paths.dbt_work))},
        # DuckDB has one writer: steps run sequentially in one process.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """For `dagster dev`: settings from MEDTRADE_DATA_DIR, MEDTRADE_ENGINE,
    MEDTRADE_DUCKDB_MEMORY_LIMIT and MEDTRADE_SPARK_THRIFT (set by `medtrade ui`)."""
    return build_definitions(Settings.from_env())
