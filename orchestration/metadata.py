"""Materialization metadata shared by the assets: counts, previews, file hashes."""
from __future__ import annotations

import dagster as dg
import duckdb


def table_metadata(conn: duckdb.DuckDBPyConnection, table: str, preview_rows: int = 5,
                   count_rows: bool = True) -> dict:
    """Row count, preview and column schema. ``count_rows=False`` for views over the
    customs rows: counting them would scan every loaded year on every run."""
    preview = conn.execute(f"select * from {table} limit {preview_rows}").df()
    columns = conn.execute(f"describe {table}").fetchall()
    counted = {}
    if count_rows:
        counted["dagster/row_count"] = dg.MetadataValue.int(
            int(conn.execute(f"select count(*) from {table}").fetchone()[0]))
    return {
        **counted,
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if not preview.empty
                                       else "(empty)"),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=c[0], type=str(c[1])) for c in columns]),
    }


def frame_metadata(frame, preview_rows: int = 5) -> dict:
    """The same metadata for a DataFrame a Python asset writes."""
    return {
        "dagster/row_count": dg.MetadataValue.int(len(frame)),
        "preview": dg.MetadataValue.md(frame.head(preview_rows).to_markdown(index=False)
                                       if not frame.empty else "(empty)"),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=str(c), type=str(t)) for c, t in frame.dtypes.items()]),
    }
