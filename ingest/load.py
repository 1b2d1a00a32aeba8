"""Load landing files into the DuckDB ``raw`` schema.

A partition (one customs year, or the whole yearbook folder) is replaced by
delete-then-insert inside one transaction, and only when its files changed (by SHA-256):
loading the same files twice changes nothing. A file that breaks the contract stops the
load before anything is written; its rejected rows go to ``quality.rejected_rows``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from ingest.customs.load_year import load_customs_year
from ingest.errors import IngestError, Reject
from ingest.panel_workbooks import MAPPING_SUFFIX, is_panel_file, panel_to_long
from ingest.partition import (PartitionResult, distinct_files, partition_result, record_rejects,
                              replace_partition)
from ingest.readers import TABLE_SUFFIXES, UnreadableFile, landing_files, read_grid
from ingest.world import parse_world_gdp, parse_world_trade
from ingest.yearbook import parse_yearbook, validated
from warehouse import customs_lake
from warehouse.paths import DataPaths

# the loaders, in one place for their callers (customs years: ingest.customs.load_year)
__all__ = ["ensure_raw_schema", "customs_years", "load_customs_year", "load_yearbook",
           "load_world", "PartitionResult"]

DDL = """
create schema if not exists raw;
create schema if not exists quality;
create table if not exists raw.yearbook_values (
    province_code varchar, province_raw varchar, year integer, indicator_code varchar,
    indicator_raw varchar, value double, value_text varchar, unit varchar,
    source_file varchar, file_hash varchar, source_row integer, loaded_at timestamp);
create table if not exists raw.world_trade_exports (
    country varchar, year integer, hs6 varchar, hs_revision varchar, export_value_usd double,
    source_file varchar, file_hash varchar, source_row integer, loaded_at timestamp);
create table if not exists raw.world_gdp_per_capita (
    country varchar, year integer, gdp_per_capita double,
    source_file varchar, file_hash varchar, source_row integer, loaded_at timestamp);
create table if not exists raw.loaded_files (
    source varchar, partition_key varchar, source_file varchar, file_hash varchar,
    row_count bigint, loaded_at timestamp);
alter table raw.loaded_files add column if not exists stored_file varchar;
alter table raw.loaded_files add column if not exists stored_bytes bigint;
create table if not exists quality.rejected_rows (
    source varchar, partition_key varchar, source_file varchar, file_hash varchar,
    source_row integer, column_name varchar, value varchar, reason varchar,
    severity varchar, rejected_at timestamp);
"""


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; raw.customs_exports is a view over the lake's Parquet files
    (customs_lake). A warehouse from before that layout has customs rows in a table: it is
    dropped and its years are marked unloaded, so the next load writes them to the lake."""
    conn.execute(DDL)
    kind = conn.execute("select table_type from information_schema.tables where "
                        "table_schema = 'raw' and table_name = 'customs_exports'").fetchone()
    if kind and kind[0] != "VIEW":
        conn.execute("drop table raw.customs_exports")
        conn.execute("delete from raw.loaded_files where source = 'customs'")
        kind = None
    if kind is None:
        conn.execute(customs_lake.view_sql(Path("/"), []))


Parser = Callable[[Path, str, str], tuple[pd.DataFrame, list[Reject]]]
YEARBOOK_SUFFIXES = TABLE_SUFFIXES | {".dta"}


def _parse_files(files: list[Path], hashes: list[tuple[str, str]], source: str, parser: Parser):
    frames = []
    unique, rejects = distinct_files(source, files, hashes)
    for path, rel, digest in unique:
        try:
            frame, file_rejects = parser(path, rel, digest)
        except UnreadableFile as exc:
            frame, file_rejects = None, [Reject(source, rel, digest, exc.line, None, None, str(exc))]
        rejects.extend(file_rejects)
        if frame is not None and not frame.empty:
            frames.append(frame.assign(source_file=rel, file_hash=digest))
    return frames, rejects


def _insert_frame(conn, table: str, frame: pd.DataFrame, now: datetime) -> dict[str, int]:
    if frame.empty:
        return {}
    conn.register("incoming", frame.assign(loaded_at=now))
    columns = ", ".join(frame.columns) + ", loaded_at"
    conn.execute(f"insert into {table} ({columns}) select {columns} from incoming "
                 "order by source_file, source_row")
    conn.unregister("incoming")
    return frame.groupby("source_file").size().to_dict()


def _load_partition(conn, paths: DataPaths, source: str, partition_key: str,
                    files: list[Path], parser: Parser, table: str, where: str,
                    params: list, force: bool) -> PartitionResult:
    result = partition_result(conn, paths, source, partition_key, files, force)
    if result.skipped_unchanged:
        return result
    frames, rejects = _parse_files(files, result.files, source, parser)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not frame.empty and source == "yearbook":
        frame, clashes = _cross_file_duplicates(frame)
        rejects += clashes
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    record_rejects(conn, source, partition_key, result.files, rejects, now)
    result.warnings = [r.message() for r in rejects if r.severity != "error"]
    if any(r.severity == "error" for r in rejects):
        raise IngestError(rejects)
    replace_partition(conn, table, where, params, result, now,
                       lambda: _insert_frame(conn, table, frame, now))
    return result


def _cross_file_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Reject]]:
    """The same (province, year, indicator) twice, in two files or in one: an error naming
    the files and what to do (values that agree included: which file holds a series must be
    one choice, not the order the files happen to be read in)."""
    key = ["province_code", "year", "indicator_code"]
    dups = frame[frame.duplicated(key, keep=False)]
    rejects = []
    for n, (k, rows) in enumerate(dups.groupby(key, sort=True)):
        if n == 50:
            first = rows.iloc[0]
            rejects.append(Reject("yearbook", first.source_file, first.file_hash, None, None,
                                  None, f"... and {dups.groupby(key).ngroups - 50} more "
                                  "province-year-indicator keys given twice"))
            break
        files = sorted(set(rows.source_file))
        same = rows["value"].nunique(dropna=False) == 1
        for _, r in rows.iterrows():
            others = [f for f in files if f != r.source_file]
            where = (f"also in {', '.join(others)}" if others
                     else "twice in this file")
            rejects.append(Reject(
                "yearbook", r.source_file, r.file_hash, int(r.source_row),
                r.get("value_column") or "value", r.value_text,
                f"{k[2]} for {k[0]} in {k[1]} is {where} ({'same' if same else 'different'} "
                "value): keep it in one file (drop the rows, or the column from that file's "
                "mapping)"))
    return frame.drop_duplicates(key, keep="first"), rejects


def customs_years(paths: DataPaths) -> list[int]:
    if not paths.customs.exists():
        return []
    return sorted(int(p.name) for p in paths.customs.iterdir()
                  if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def load_yearbook(conn, paths: DataPaths, *, force: bool = False) -> PartitionResult:
    """Every yearbook file (long, NBS wide, portal long CSV, panels with a mapping). Mapping
    files count as files of the partition, so editing one reloads the yearbook."""
    files = landing_files(paths.yearbook, YEARBOOK_SUFFIXES)
    files = sorted(files + [p for p in paths.yearbook.rglob("*" + MAPPING_SUFFIX)
                            if p.is_file()] if paths.yearbook.exists() else files)

    def parser(path: Path, rel: str, digest: str):
        if path.name.endswith(MAPPING_SUFFIX):  # read with its panel file
            return None, []
        if is_panel_file(path):
            long, rejects = panel_to_long(path, source_file=rel, file_hash=digest)
            if long is None:
                return None, rejects
            rows, more = validated(long, source_file=rel, file_hash=digest)
            return rows, rejects + more
        return parse_yearbook(read_grid(path), source_file=rel, file_hash=digest,
                              file_stem=path.stem)

    return _load_partition(conn, paths, "yearbook", "all", files, parser,
                           "raw.yearbook_values", "true", [], force)


def load_world(conn, paths: DataPaths, *, force: bool = False) -> list[PartitionResult]:
    """Optional world trade and GDP per capita files (the `world` PRODY variant)."""
    trade_files = landing_files(paths.world / "trade")
    gdp_files = [p for p in landing_files(paths.world) if p.stem == "gdp_per_capita"]

    def trade(path, rel, digest):
        return parse_world_trade(read_grid(path), source_file=rel, file_hash=digest)

    def gdp(path, rel, digest):
        return parse_world_gdp(read_grid(path), source_file=rel, file_hash=digest)

    return [
        _load_partition(conn, paths, "world", "trade", trade_files, trade,
                        "raw.world_trade_exports", "true", [], force),
        _load_partition(conn, paths, "world", "gdp_per_capita", gdp_files, gdp,
                        "raw.world_gdp_per_capita", "true", [], force),
    ]
