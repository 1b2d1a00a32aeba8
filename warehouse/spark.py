"""The transform engine: DuckDB (embedded, default) or Spark (dbt-spark, session method).

One setting chooses it (warehouse.settings: `medtrade run --engine` or MEDTRADE_ENGINE); models and macros are
the same. Whatever the engine, the pipeline downstream of dbt (PCA, Great Expectations,
the study's tables, the report, publish) reads the DuckDB build warehouse: after a Spark
build, `mirror_spark_tables` copies the tables Spark wrote (Parquet files under
spark/warehouse/<schema>.db/<table>/) into it, so the published copy has the same tables
on both engines.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import duckdb

from warehouse.lake import sql_path
from warehouse.paths import DataPaths


def spark_missing() -> str | None:
    """Why the Spark engine cannot start here, or None."""
    import importlib.util
    import shutil
    if (importlib.util.find_spec("pyspark") is None
            or importlib.util.find_spec("dbt.adapters.spark") is None):
        return "pyspark/dbt-spark are not installed: run `make setup-spark`"
    if shutil.which("java") is None:
        return "java is not on PATH: run `make setup-spark` (installs openjdk-17-jre-headless)"
    return None


def spark_table_dir(paths: DataPaths, schema: str, table: str) -> Path:
    return paths.spark_dir / "warehouse" / f"{schema}.db" / table


def mirror_spark_tables(conn: duckdb.DuckDBPyConnection, paths: DataPaths,
                        relations: Iterable[tuple[str, str]]) -> list[str]:
    """Copy each (schema, table) Spark built into the DuckDB build warehouse; returns names.

    Spark writes a table as Parquet part files (at least one, schema included, even when
    the table is empty); DuckDB reads them whole, replacing the table of a previous build.
    """
    copied = []
    for schema, table in relations:
        folder = spark_table_dir(paths, schema, table)
        if not any(folder.glob("*.parquet")):
            raise FileNotFoundError(f"Spark wrote no Parquet files for {schema}.{table} in {folder}")
        kind = conn.execute("select table_type from information_schema.tables "
                            "where table_schema = ? and table_name = ?", [schema, table]).fetchone()
        conn.execute(f'create schema if not exists "{schema}"')
        if kind and kind[0] == "VIEW":  # a DuckDB build made it a view
            conn.execute(f'drop view "{schema}"."{table}"')
        conn.execute(f'create or replace table "{schema}"."{table}" as select * from '
                     f"read_parquet({sql_path(folder / '*.parquet')})")
        copied.append(f"{schema}.{table}")
    return copied
