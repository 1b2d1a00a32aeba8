"""Where loaded customs rows live: immutable Parquet files by year.

    lake/raw/customs_exports/year=<y>/<name>.parquet

A file is written once, by DuckDB, from the validated rows of one large landing file, or
of a year's small CSV files read together (``ingest.customs.batch``: ``batch-<hash>``), and
never changed: its name is derived from the landing files' paths and SHA-256, so a changed
landing file gets a new name and an unchanged one keeps its file (and is not read again). The
warehouses read the files through the view ``raw.customs_exports``, which lists exactly the
files that ``raw.loaded_files`` records, so a reader sees whole loads only. Spark reads the
same year folders directly. Files no longer listed are removed after the load commits.

The published warehouse does not copy rows: publish hard-links the listed files into
``warehouse/raw/`` (same names, no bytes copied) and points the published view there, so
analysts can query raw rows while later loads replace the lake's files.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Iterable

import duckdb

from warehouse.lake import sql_path

TABLE = "customs_exports"
# Columns of a customs Parquet file, in order; ``year`` is the folder (hive partition).
FILE_COLUMNS = ("month integer, province_code varchar, region_code varchar, "
                "province_raw varchar, hs_code varchar, partner varchar, trade_mode varchar, "
                "quantity double, unit varchar, currency varchar, value decimal(18,2), "
                "source_file varchar, file_hash varchar, source_row integer, "
                "loaded_at timestamp")
COLUMNS = [tuple(c.split(" ", 1)) for c in FILE_COLUMNS.split(", ")]  # (name, type)
COLUMN_NAMES = [name for name, _ in COLUMNS]
# Every file gets exactly these types, whichever path wrote it: Spark reads a year folder
# with one schema and refuses a column stored as INT32 in one file and INT64 in another.
TYPED_SELECT = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMNS)
# zstd: snappy was measured no faster for a 50M-row year (41.8 vs 42.7 s of load, within
# the run-to-run spread) for larger files.
LAKE_COMPRESSION = "zstd"


def table_root(lake: Path) -> Path:
    return lake / "raw" / TABLE


def file_name(source_file: str, file_hash: str) -> str:
    """The Parquet name of one landing file: its hash, and its path (a renamed file is new)."""
    path_hash = hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:8]
    return f"{file_hash[:24]}-{path_hash}.parquet"


def year_file(lake: Path, year: int, source_file: str, file_hash: str) -> Path:
    return table_root(lake) / relative_file(year, file_name(source_file, file_hash))


def relative_file(year: int, name: str) -> str:
    """A lake file's path under the table folder (what raw.loaded_files records)."""
    return f"year={int(year)}/{name}"


def view_sql(root: Path, files: Iterable[str], schema: str = "raw") -> str:
    """``create or replace view <schema>.customs_exports`` over ``root``/files."""
    listed = sorted(set(files))
    if not listed:
        empty = ", ".join(f"cast(null as {kind}) as {name}" for name, kind in COLUMNS)
        body = f"select cast(null as integer) as year, {empty} where false"
    else:
        paths = ", ".join(sql_path(root / f) for f in listed)
        body = (f"select year, {', '.join(COLUMN_NAMES)} from read_parquet([{paths}], "
                "hive_partitioning = true, hive_types = {'year': INTEGER})")
    return f"create or replace view {schema}.{TABLE} as {body}"


def listed_files(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select stored_file from raw.loaded_files where source = 'customs' "
        "and stored_file is not null order by stored_file").fetchall()]


def refresh_view(conn: duckdb.DuckDBPyConnection, lake: Path) -> None:
    """Point raw.customs_exports at the files raw.loaded_files lists (inside the caller's
    transaction, so the view and the file list change together)."""
    conn.execute(view_sql(table_root(lake), listed_files(conn)))


def remove_unlisted(root: Path, keep: Iterable[str], years: Iterable[int] | None = None) -> int:
    """Delete Parquet files under root that are not in keep (for the given years, or all)."""
    keep = set(keep)
    folders = ([root / f"year={int(y)}" for y in years] if years is not None
               else [p for p in root.glob("year=*")])
    removed = 0
    for folder in folders:
        for path in folder.glob("*.parquet"):
            if f"{folder.name}/{path.name}" not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        for tmp in folder.glob(".*.tmp*"):
            tmp.unlink(missing_ok=True)
        if folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def link_files(src_root: Path, dst_root: Path, files: Iterable[str]) -> int:
    """Hard-link each file of src_root into dst_root (a copy where links are impossible).

    Names are content-derived, so an existing destination file is already the same file."""
    linked = 0
    for rel in files:
        src, dst = src_root / rel, dst_root / rel
        if dst.exists():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        linked += 1
    return linked
