"""The Parquet lake: raw tables as Parquet files partitioned by source table and year.

Customs rows are stored here by the load itself (warehouse.customs_lake). The Spark engine
reads every raw table from here (dbt's `engine_source` macro); for it the small yearbook and
world tables and raw.loaded_files are exported from DuckDB by this module. Files are written by DuckDB from the validated raw tables, one year
folder at a time, each replaced whole (written beside, then renamed), so a reader never
sees half a year and the same export twice gives the same files.
"""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Iterable

import duckdb

EMPTY_FILE = "empty.parquet"


def sql_path(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def replace_dir(tmp: Path, target: Path) -> None:
    """Put the finished folder tmp in target's place (renames; the old one is removed)."""
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def export_raw_table(conn: duckdb.DuckDBPyConnection, lake: Path, table: str,
                     years: Iterable[int] | None = None) -> dict[str, int]:
    """Write raw.<table> to lake/raw/<table>/year=<y>/data.parquet.

    years=None rewrites every year and drops folders of years no longer loaded; a list
    rewrites those years (a customs partition load) and writes loaded years still missing. A table without rows is one
    zero-row file with the full schema, so Spark still knows its columns.
    Returns rows written per year.
    """
    root = lake / "raw" / table
    root.mkdir(parents=True, exist_ok=True)
    loaded = {y for (y,) in conn.execute(
        f"select distinct year from raw.{table} where year is not null").fetchall()}
    empty = root / EMPTY_FILE
    if not loaded:
        conn.execute(f"copy (select * exclude (year) , cast(null as integer) as year "
                     f"from raw.{table} limit 0) to {sql_path(empty)} (format parquet)")
        for stale in root.glob("year=*"):
            shutil.rmtree(stale)
        return {}
    empty.unlink(missing_ok=True)
    # the years asked for, and any loaded year the lake lacks (loaded on the DuckDB engine)
    todo = sorted(loaded if years is None else
                  set(years) | {y for y in loaded if not (root / f"year={y}").exists()})
    written: dict[str, int] = {}
    for year in todo:
        target = root / f"year={year}"
        if year not in loaded:
            shutil.rmtree(target, ignore_errors=True)
            continue
        tmp = root / f".year={year}.tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        conn.execute(f"copy (select * exclude (year) from raw.{table} where year = {int(year)}) "
                     f"to {sql_path(tmp / 'data.parquet')} (format parquet, compression zstd)")
        replace_dir(tmp, target)
        written[str(year)] = conn.execute(
            f"select count(*) from raw.{table} where year = ?", [year]).fetchone()[0]
    if years is None:
        for stale in root.glob("year=*"):
            if int(stale.name.split("=", 1)[1]) not in loaded:
                shutil.rmtree(stale)
    return written


def export_table(conn: duckdb.DuckDBPyConnection, relation: str, target: Path) -> Path:
    """A small table (raw.loaded_files, the PCA composites) -> target/data.parquet,
    replacing the folder whole (written beside, renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    conn.execute(f"copy (select * from {relation}) to {sql_path(tmp / 'data.parquet')} "
                 "(format parquet)")
    replace_dir(tmp, target)
    return target / "data.parquet"
