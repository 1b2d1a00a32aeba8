"""The transforms without Dagster: dbt up to the indicators, the PCA composites, the rest.

The Dagster job runs the same three steps as assets; this module serves benchmarks and
scripts (`python -m orchestration.transform --data-dir DIR [--engine spark]`). The PCA
code is shared with the pca_composites asset.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from ingest.lake import replace_dir, sql_path
from ingest.paths import DataPaths, active_engine
from orchestration.engine import dbt_env, spark_table_dir
from stats.composites import panel_composites_tables

DBT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
# The models that read the composites, and their tests (`model+` includes its tests).
AFTER_COMPOSITES = "int_pca_scores+ fct_pca_components+ fct_pca_loadings+"
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
    return lambda schema, table: conn.execute(f'select * from {schema}."{table}"').df()


def spark_files_reader(paths: DataPaths) -> Callable[[str, str], pd.DataFrame]:
    """A table Spark built, read from its Parquet files (no JVM in this process)."""
    def read(schema: str, table: str) -> pd.DataFrame:
        folder = spark_table_dir(paths, schema, table)
        return duckdb.sql(f"select * from read_parquet({sql_path(folder / '*.parquet')})").df()
    return read


def run_dbt(paths: DataPaths, engine: str, args: list[str]) -> float:
    start = time.perf_counter()
    dbt = str(Path(sys.executable).with_name("dbt"))
    proc = subprocess.run([dbt, *args, "--target", engine, "--profiles-dir", "."], cwd=DBT_DIR,
                          env={**os.environ, **dbt_env(paths, engine)}, capture_output=True,
                          text=True)
    if proc.returncode:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}")
    return time.perf_counter() - start


def build_transforms(paths: DataPaths, engine: str = "duckdb", command: str = "run",
                     progress: Callable[[str], None] = print) -> dict[str, float]:
    """dbt `command` up to the indicators, the PCA composites, then the rest; seconds each."""
    seconds = {"dbt_before_pca": run_dbt(paths, engine, [command, "--exclude", *AFTER_COMPOSITES.split()])}
    progress(f"dbt {command} up to the indicators on {engine}: {seconds['dbt_before_pca']:.1f} s")
    start = time.perf_counter()
    if engine == "spark":
        compute_composites(spark_files_reader(paths), paths.lake)
    else:
        conn = duckdb.connect(str(paths.build_db), read_only=True)
        try:
            compute_composites(duckdb_reader(conn), paths.lake)
        finally:
            conn.close()
    seconds["pca"] = time.perf_counter() - start
    seconds["dbt_after_pca"] = run_dbt(paths, engine, [command, "--select", *AFTER_COMPOSITES.split()])
    progress(f"PCA {seconds['pca']:.1f} s; dbt {command} of the panel: {seconds['dbt_after_pca']:.1f} s")
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--engine", default=None, choices=["duckdb", "spark"])
    ap.add_argument("--command", default="run", choices=["run", "build"])
    a = ap.parse_args(argv)
    build_transforms(DataPaths.from_dir(a.data_dir), active_engine(a.engine), a.command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
