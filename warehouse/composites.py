"""The PCA composites' storage: read the built indicators, write the composite tables.

The PCA itself is stats.pca_composites. Both engines: tables in the build warehouse's
`composites` schema (replaced in one transaction), which DuckDB's dbt reads. Spark engine,
in addition: one Parquet file per table in lake/composites/<table>/, which Spark reads (dbt
macro engine_source).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from warehouse.lake import export_table
from warehouse.transaction import transaction

# dbt's `composites` source tables -> the part of stats.pca_composites' result they hold
COMPOSITE_TABLES = {"pca_scores": "scores", "pca_components": "components",
                    "pca_loadings": "loadings"}
PCA_INPUTS = (("intermediate", "int_indicator_values"), ("intermediate", "int_panel_years"),
              ("staging", "stg_reference__indicator_catalogue"),
              ("staging", "stg_reference__index_methods"))


def read_pca_inputs(conn: duckdb.DuckDBPyConnection) -> list[pd.DataFrame]:
    """The PCA's inputs in a fixed row order: its sums follow the rows, so the composites
    must not depend on the order a parallel build happened to store them in."""
    return [conn.execute(f'select * from {schema}."{table}" order by all').df()
            for schema, table in PCA_INPUTS]


def store_composites(conn: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame],
                     engine: str, lake: Path) -> dict[str, str]:
    """Write each composite table into the build warehouse's `composites` schema (what the
    DuckDB engine's dbt reads, and what the published copy holds on either engine) and, on
    Spark, also as Parquet where Spark reads it; returns where dbt reads each table."""
    conn.execute("create schema if not exists composites")
    with transaction(conn):
        for name, frame in tables.items():
            conn.register("incoming", frame)
            conn.execute(f"create or replace table composites.{name} as select * from incoming")
            conn.unregister("incoming")
    if engine == "spark":
        return {name: str(export_table(conn, f"composites.{name}", lake / "composites" / name))
                for name in tables}
    return {name: f"composites.{name}" for name in tables}
