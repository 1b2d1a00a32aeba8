"""PCA composites: Python (stats.composites) between two parts of the dbt build.

dbt Python models do not run on Spark's session method, so the PCA runs here as a Dagster
asset on either engine: it reads int_indicator_values, int_panel_years and the indicator
catalogue that dbt built (from the DuckDB build warehouse, where a Spark build is copied),
and writes the scores, components and loadings as Parquet to lake/composites/<table>/.
dbt reads them back as the `composites` source (int_pca_scores, fct_pca_components,
fct_pca_loadings), so Dagster runs dbt, then this asset, then the rest of dbt.
"""
import uuid
from pathlib import Path
from typing import Callable

import dagster as dg
import duckdb
import pandas as pd
from dagster_dbt import get_asset_key_for_model, get_asset_keys_by_output_name_for_source

from ingest.lake import replace_dir
from orchestration.assets.dbt import medtrade_dbt, medtrade_dbt_panel
from orchestration.metadata import frame_metadata
from orchestration.resources import Warehouse
from stats.composites import panel_composites_tables

# The composites dbt reads back: lake/composites/<table>/ (the `composites` dbt source).
COMPOSITE_TABLES = {"pca_scores": "scores", "pca_components": "components",
                    "pca_loadings": "loadings"}
PCA_INPUTS = (("intermediate", "int_indicator_values"), ("intermediate", "int_panel_years"),
              ("staging", "stg_reference__indicator_catalogue"))


def write_lake_table(frame: pd.DataFrame, folder: Path) -> Path:
    """frame -> folder/data.parquet, replacing the folder whole (written beside, renamed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f".{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    frame.to_parquet(tmp / "data.parquet", index=False)
    replace_dir(tmp, folder)
    return folder / "data.parquet"


def compute_composites(read: Callable[[str, str], pd.DataFrame], lake: Path
                       ) -> dict[str, tuple[pd.DataFrame, Path]]:
    """PCA of the built indicators -> lake/composites/<table>/data.parquet, per table."""
    values, years, catalogue = (read(schema, table) for schema, table in PCA_INPUTS)
    tables = panel_composites_tables(values, years, catalogue)
    return {name: (tables[part], write_lake_table(tables[part], lake / "composites" / name))
            for name, part in COMPOSITE_TABLES.items()}


def duckdb_reader(conn: duckdb.DuckDBPyConnection) -> Callable[[str, str], pd.DataFrame]:
    """Tables in a fixed row order: the PCA's sums follow the rows, so the composites must not
    depend on the order a parallel build happened to store them in."""
    return lambda schema, table: conn.execute(f'select * from {schema}."{table}" order by all').df()


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
