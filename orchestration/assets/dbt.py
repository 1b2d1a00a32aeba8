"""Every dbt seed, model and test as Dagster assets and checks (lineage from the manifest)."""

import os
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_lineage import column_lineage
from orchestration.metadata import table_metadata
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
    # dbt holds DuckDB's single writer lock while it runs: collect its events, then add
    # row counts, column schema and a preview once the dbt process has ended.
    invocation = dbt.cli(["build"], context=context)
    events = list(invocation.stream())
    translator = MedtradeTranslator()
    with warehouse.connect(read_only=True) as conn:
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                try:
                    extra = table_metadata(conn, ".".join(key.path))
                    extra.update(column_lineage(conn, invocation.manifest,
                                                event.metadata["unique_id"].value, translator,
                                                invocation.target_path, dbt_project))
                except Exception as exc:  # a relation dbt did not build (e.g. a failure)
                    context.log.warning(f"no metadata for {key.to_user_string()}: {exc}")
                    extra = {}
                event = event.with_metadata({**event.metadata, **extra})
            yield event
