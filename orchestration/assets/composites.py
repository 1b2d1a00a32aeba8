"""PCA composites: Python (stats.composites) between two parts of the dbt build.

dbt Python models do not run on Spark's session method, so the PCA runs here as a Dagster
asset on either engine: it reads int_indicator_values, int_panel_years and the indicator
catalogue that dbt built (from the DuckDB build warehouse, where a Spark build is copied),
and writes the scores, components and loadings as Parquet to lake/composites/<table>/.
dbt reads them back as the `composites` source (int_pca_scores, fct_pca_components,
fct_pca_loadings), so Dagster runs dbt, then this asset, then the rest of dbt.
"""
import dagster as dg
from dagster_dbt import get_asset_key_for_model, get_asset_keys_by_output_name_for_source

from orchestration.assets.dbt import medtrade_dbt, medtrade_dbt_panel
from orchestration.metadata import frame_metadata
from orchestration.resources import Warehouse
from orchestration.transform import PCA_INPUTS, compute_composites, duckdb_reader

OUTPUTS = get_asset_keys_by_output_name_for_source([medtrade_dbt_panel], "composites")


@dg.multi_asset(
    specs=[dg.AssetSpec(key, deps=[get_asset_key_for_model([medtrade_dbt], table)
                                   for _, table in PCA_INPUTS],
                        group_name="intermediate", kinds={"python", "parquet"},
                        owners=["team:econometrics"],
                        description=f"PCA composites ({key.path[-1]}): METHODOLOGY.md section 4.")
           for key in OUTPUTS.values()],
    can_subset=False)
def pca_composites(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """revl and digde_new by PCA of the catalogue's indicator systems, pooled over the panel."""
    with warehouse.connect(read_only=True) as conn:
        written = compute_composites(duckdb_reader(conn), warehouse.paths.lake)
    for key in OUTPUTS.values():
        frame, path = written[key.path[-1]]
        context.log.info(f"{key.path[-1]}: {len(frame)} rows -> {path}")
        yield dg.MaterializeResult(asset_key=key, metadata={
            **frame_metadata(frame), "path": dg.MetadataValue.path(str(path))})
