"""PCA composites: Python (stats.pca_composites) between the two parts of the dbt build.

dbt Python models do not run on Spark's session method, so the PCA runs here as a Dagster
asset on either engine: it reads int_indicator_values, int_panel_years and the indicator
catalogue that dbt built (from the DuckDB build warehouse, where a Spark build is copied)
and writes the scores, components and loadings where dbt's `composites` source reads them:
DuckDB tables `composites.<table>` on the DuckDB engine, Parquet files in
lake/composites/<table>/ on Spark (macro engine_source).
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model, get_asset_keys_by_output_name_for_source

from orchestration.metadata import frame_metadata
from orchestration.resources import Warehouse
from warehouse.composites import COMPOSITE_TABLES, PCA_INPUTS, read_pca_inputs, store_composites


def pca_asset(part1: dg.AssetsDefinition, part2: dg.AssetsDefinition) -> dg.AssetsDefinition:
    outputs = get_asset_keys_by_output_name_for_source([part2], "composites")

    @dg.multi_asset(
        specs=[dg.AssetSpec(key, deps=[get_asset_key_for_model([part1], table)
                                       for _, table in PCA_INPUTS],
                            group_name="intermediate", kinds={"python", "duckdb"},
                            owners=["team:econometrics"],
                            description=f"PCA composites ({key.path[-1]}): docs/methodology.md "
                                        "section 4.")
               for key in outputs.values()],
        can_subset=False)
    def pca_composites(context: dg.AssetExecutionContext, warehouse: Warehouse):
        """revl and digde_new by PCA of the catalogue's indicator systems, pooled over the panel."""
        from stats.pca_composites import panel_composites_tables  # scipy: import when used
        with warehouse.connect() as conn:
            parts = panel_composites_tables(*read_pca_inputs(conn))
            tables = {name: parts[part] for name, part in COMPOSITE_TABLES.items()}
            where = store_composites(conn, tables, warehouse.engine, warehouse.paths.lake)
        for key in outputs.values():
            name = key.path[-1]
            context.log.info(f"{name}: {len(tables[name])} rows -> {where[name]}")
            yield dg.MaterializeResult(asset_key=key, metadata={
                **frame_metadata(tables[name]), "stored_in": dg.MetadataValue.text(where[name])})

    return pca_composites
