"""The analysts' warehouse: a validated, read-only copy of the build warehouse."""

import dagster as dg

from orchestration.resources import Warehouse
from warehouse.publish import publish_warehouse


def publish_asset(upstream: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """Publish after every asset that writes the build warehouse or the report."""
    @dg.asset(key=["published", "warehouse"], deps=upstream, group_name="published",
              kinds={"duckdb"}, owners=["team:data-engineering"])
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: Warehouse):
        """Copies the build warehouse to warehouse/medtrade.duckdb by an atomic rename, after
        every upstream asset succeeded; analysts query only this copy. Raw customs rows are not
        copied: their Parquet files are hard-linked into warehouse/raw/ and the copy's view
        raw.customs_exports reads them there."""
        target = publish_warehouse(warehouse.settings)
        context.log.info(f"published {target}")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(str(target)),
            "size_mb": dg.MetadataValue.float(round(target.stat().st_size / 1e6, 2)),
        })
    return published_warehouse
