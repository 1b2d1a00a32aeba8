"""Every dbt seed, model and test as Dagster assets and checks (lineage from the manifest).

The PCA composites are Python (assets/composites.py) between two parts of the build, so the
project runs as two dbt invocations, split by the graph rather than by model names: part 2
is everything downstream of the `composites` source (`source:composites+`, tests included),
part 1 is the rest.
"""

import time
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_lineage import LineageCache, column_lineage
from orchestration.metadata import table_metadata
from orchestration.resources import Warehouse
from warehouse.spark import mirror_spark_tables

AFTER_COMPOSITES = "source:composites+"


class MedtradeTranslator(DagsterDbtTranslator):
    """Groups follow the dbt layer (the folder's schema), so no model names are listed here."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
           project: DbtProject):
    """dbt build on the active engine (DuckDB, or Spark then copied into the DuckDB build
    warehouse), then row counts, column schema, preview and column lineage per model."""
    context.log.info(f"dbt build on the {warehouse.engine} engine")
    # dbt holds DuckDB's single writer lock while it runs: collect its events, then add
    # row counts, column schema and a preview once the dbt process has ended.
    started = time.perf_counter()
    invocation = dbt.cli(["build"], context=context)
    events = list(invocation.stream())
    ran = time.perf_counter()
    context.log.info(f"dbt build took {ran - started:.1f} s (start-up included)")
    if warehouse.engine == "spark":
        built = [invocation.manifest["nodes"][e.metadata["unique_id"].value] for e in events
                 if isinstance(e, dg.Output)]
        with warehouse.connect() as conn:
            copied = mirror_spark_tables(conn, warehouse.paths,
                                         [(node["schema"], node["alias"]) for node in built])
        context.log.info(f"copied {len(copied)} Spark tables into the build warehouse")
    translator = MedtradeTranslator()
    lineage = LineageCache(warehouse.paths.dbt_work / f"column_lineage-{context.op_def.name}.json")
    with warehouse.connect(read_only=True) as conn:
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                node = invocation.manifest["nodes"].get(event.metadata["unique_id"].value, {})
                is_view = node.get("config", {}).get("materialized") == "view"
                try:
                    extra = table_metadata(conn, ".".join(key.path), count_rows=not is_view)
                except Exception as exc:  # a relation dbt did not build (e.g. a failure)
                    context.log.warning(f"no metadata for {key.to_user_string()}: {exc}")
                    extra = {}
                try:
                    extra.update(column_lineage(conn, invocation.manifest,
                                                event.metadata["unique_id"].value, translator,
                                                invocation.target_path, project, lineage))
                except Exception as exc:  # SQL sqlglot cannot resolve (e.g. a Parquet path)
                    context.log.debug(f"no column lineage for {key.to_user_string()}: {exc}")
                event = event.with_metadata({**event.metadata, **extra})
            yield event
    lineage.save(invocation.manifest)
    context.log.info(f"row counts, previews and column lineage of {len(events)} dbt results: "
                     f"{time.perf_counter() - ran:.1f} s ({lineage.hits} column lineages "
                     "kept from an earlier run)")


def dbt_parts(project: DbtProject) -> list[dg.AssetsDefinition]:
    """The two dbt invocations as multi-assets, from the project's manifest."""
    translator = MedtradeTranslator()

    @dbt_assets(manifest=project.manifest_path, project=project, name="medtrade_dbt",
                exclude=AFTER_COMPOSITES, dagster_dbt_translator=translator)
    def medtrade_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                     warehouse: Warehouse):
        """dbt build, part 1: seeds, staging, intermediate and marts up to the indicators."""
        yield from _build(context, dbt, warehouse, project)

    @dbt_assets(manifest=project.manifest_path, project=project, name="medtrade_dbt_panel",
                select=AFTER_COMPOSITES, dagster_dbt_translator=translator)
    def medtrade_dbt_panel(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                           warehouse: Warehouse):
        """dbt build, part 2: what reads the PCA composites (the panel and PCA tables)."""
        yield from _build(context, dbt, warehouse, project)

    return [medtrade_dbt, medtrade_dbt_panel]
