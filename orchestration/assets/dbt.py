"""Every dbt seed, model and test as Dagster assets and checks (lineage from the manifest)."""

import os
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.project import dbt_project
from orchestration.resources import Warehouse


class MedtradeTranslator(DagsterDbtTranslator):
    """Groups follow the dbt layer (the folder's schema), so no model names are listed here."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=MedtradeTranslator())
def medtrade_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    """dbt build: seeds, staging views, intermediate and mart tables, and their tests."""
    os.environ.update(warehouse.dbt_env())  # profiles.yml reads the warehouse path from here
    yield from dbt.cli(["build"], context=context).stream()
