"""Load landing files into the DuckDB ``raw`` schema.

A partition (one customs year, or the whole yearbook folder) is replaced by
delete-then-insert inside one transaction, and only when its files changed (by SHA-256):
loading the same files twice changes nothing. A file that breaks the contract stops the
load before anything is written; its rejected rows go to ``quality.rejected_rows``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from ingest.customs import folder_year, parse_customs
from ingest.errors import IngestError, Reject, rejects_frame
from ingest.paths import DataPaths
from ingest.readers import UnreadableFile, file_sha256, landing_files, read_grid
from ingest.world import parse_world_gdp, parse_world_trade
from ingest.yearbook import parse_yearbook

DDL = """
create schema if not exists raw;
create schema if not exists quality;
create table if not exists raw.customs_exports (
    year integer, month integer, province_code varchar, province_raw varchar,
    hs_code varchar, partner varchar, trade_mode varchar, quantity double, unit varchar,
    currency varchar, value double,
    source_file varchar, file_hash varchar, source_row integer, loaded_at timestamp);
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
create table if not exists quality.rejected_rows (
    source varchar, partition_key varchar, source_file varchar, file_hash varchar,
    source_row integer, column_name varchar, value varchar, reason varchar,
    severity varchar, rejected_at timestamp);
"""


@dataclass
class PartitionResult:
    source: str
    partition_key: str
    files: list[tuple[str, str]]  # (relative path, sha256)
    rows: int = 0
    skipped_unchanged: bool = False
    warnings: list[str] = field(default_factory=list)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(DDL)


def _loaded_files(conn, source: str, partition_key: str) -> set[tuple[str, str]]:
    rows = conn.execute("select source_file, file_hash from raw.loaded_files "
                        "where source = ? and partition_key = ?", [source, partition_key]).fetchall()
    return set(rows)


Parser = Callable[[Path, str, str], tuple[pd.DataFrame, list[Reject]]]


def _parse_files(files: list[Path], hashes: list[tuple[str, str]], source: str, parser: Parser):
    frames, rejects, seen = [], [], {}
    for path, (rel, digest) in zip(files, hashes):
        if digest in seen:  # the same file saved twice under two names
            rejects.append(Reject(source, rel, digest, None, None, None,
                                  f"identical to {seen[digest]}; skipped", "warning"))
            continue
        seen[digest] = rel
        try:
            frame, file_rejects = parser(path, rel, digest)
        except UnreadableFile as exc:
            frame, file_rejects = None, [Reject(source, rel, digest, None, None, None, str(exc))]
        rejects.extend(file_rejects)
        if frame is not None and not frame.empty:
            frames.append(frame.assign(source_file=rel, file_hash=digest))
    return frames, rejects


def _replace_partition(conn, table: str, where: str, params: list, frame: pd.DataFrame,
                       result: PartitionResult, now: datetime) -> None:
    """Delete-then-insert one partition, and record its files, in one transaction."""
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table} where {where}", params)
        if not frame.empty:
            conn.register("incoming", frame.assign(loaded_at=now))
            columns = ", ".join(c for c in frame.columns) + ", loaded_at"
            conn.execute(f"insert into {table} ({columns}) select {columns} from incoming "
                         "order by source_file, source_row")
            conn.unregister("incoming")
        conn.execute("delete from raw.loaded_files where source = ? and partition_key = ?",
                     [result.source, result.partition_key])
        counts = frame.groupby("source_file").size().to_dict() if not frame.empty else {}
        conn.executemany("insert into raw.loaded_files values (?, ?, ?, ?, ?, ?)",
                         [[result.source, result.partition_key, f, h, int(counts.get(f, 0)), now]
                          for f, h in result.files])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def _record_rejects(conn, source: str, partition_key: str, files, rejects, now) -> None:
    """Quarantine the batch's rejects, replacing earlier ones for the same files."""
    names = [f for f, _ in files]
    conn.execute("begin transaction")
    if names:
        conn.execute("delete from quality.rejected_rows where source = ? and source_file in "
                     f"({', '.join('?' * len(names))})", [source, *names])
    if rejects:
        frame = rejects_frame(rejects).assign(partition_key=partition_key, rejected_at=now)
        conn.register("rejects", frame)
        conn.execute("insert into quality.rejected_rows by name select * from rejects")
        conn.unregister("rejects")
    conn.execute("commit")


def _load_partition(conn, paths: DataPaths, source: str, partition_key: str,
                    files: list[Path], parser: Parser, table: str, where: str,
                    params: list, force: bool) -> PartitionResult:
    hashes = [(str(p.relative_to(paths.landing)), file_sha256(p)) for p in files]
    result = PartitionResult(source, partition_key, hashes)
    if not force and set(hashes) == _loaded_files(conn, source, partition_key):
        result.skipped_unchanged = True
        return result
    frames, rejects = _parse_files(files, hashes, source, parser)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not frame.empty and source == "yearbook":
        frame, clashes = _cross_file_duplicates(frame)
        rejects += clashes
    if not frame.empty and source == "customs" and len(frames) > 1:
        rejects += _customs_overlaps(frame)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    _record_rejects(conn, source, partition_key, hashes, rejects, now)
    result.warnings = [r.message() for r in rejects if r.severity != "error"]
    if any(r.severity == "error" for r in rejects):
        raise IngestError(rejects)
    _replace_partition(conn, table, where, params, frame, result, now)
    result.rows = len(frame)
    return result


def _cross_file_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Reject]]:
    """The same (province, year, indicator) in two files must agree; keep the first."""
    key = ["province_code", "year", "indicator_code"]
    dups = frame[frame.duplicated(key, keep=False)]
    clashes = dups.groupby(key)["value"].nunique(dropna=False)
    clashes = clashes[clashes > 1]
    rejects = []
    if not clashes.empty:
        for k in clashes.index[:50]:
            rows = dups.set_index(key).loc[[k]]
            for _, r in rows.reset_index().iterrows():
                rejects.append(Reject("yearbook", r.source_file, r.file_hash, int(r.source_row),
                                      "value", r.value_text,
                                      f"{k[2]} for {k[0]} in {k[1]} differs between files"))
    return frame.drop_duplicates(key, keep="first"), rejects


def _customs_overlaps(frame: pd.DataFrame) -> list[Reject]:
    """Two files of one year must not both hold a row key: the year would count it twice."""
    from ingest.customs import KEY
    files = frame.groupby(KEY, dropna=False)["source_file"].transform("nunique")
    clash = frame[files > 1]
    return [Reject("customs", r.source_file, r.file_hash, int(r.source_row),
                                  "商品编码/hs_code", r.hs_code,
                                  "the same (month, province, HS code, partner, trade mode) is "
                                  "in another file of this year; exports would be counted twice")
            for r in clash.head(50).itertuples()]


def customs_years(paths: DataPaths) -> list[int]:
    if not paths.customs.exists():
        return []
    return sorted(int(p.name) for p in paths.customs.iterdir()
                  if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def load_customs_year(conn, paths: DataPaths, year: int, *, force: bool = False) -> PartitionResult:
    files = landing_files(paths.customs / str(year))

    def parser(path: Path, rel: str, digest: str):
        return parse_customs(read_grid(path), folder_year=folder_year(path, paths.customs),
                             source_file=rel, file_hash=digest)

    return _load_partition(conn, paths, "customs", str(year), files, parser,
                           "raw.customs_exports", "year = ?", [year], force)


def load_yearbook(conn, paths: DataPaths, *, force: bool = False) -> PartitionResult:
    files = landing_files(paths.yearbook)

    def parser(path: Path, rel: str, digest: str):
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
