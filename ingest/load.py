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

from ingest.customs import (RAW_COLUMNS, customs_batch_is_clean, drop_staged, insert_customs_fast,
                            open_customs_source, stage_customs)
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


def _replace_partition(conn, table: str, where: str, params: list, result: PartitionResult,
                       now: datetime, insert: Callable[[], dict[str, int]]) -> None:
    """Delete-then-insert one partition, and record its files, in one transaction.

    ``insert`` writes the new rows and returns the row count per source file."""
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table} where {where}", params)
        counts = insert()
        conn.execute("delete from raw.loaded_files where source = ? and partition_key = ?",
                     [result.source, result.partition_key])
        conn.executemany("insert into raw.loaded_files values (?, ?, ?, ?, ?, ?)",
                         [[result.source, result.partition_key, f, h, int(counts.get(f, 0)), now]
                          for f, h in result.files])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    result.rows = sum(counts.values())


def _insert_frame(conn, table: str, frame: pd.DataFrame, now: datetime) -> dict[str, int]:
    if frame.empty:
        return {}
    conn.register("incoming", frame.assign(loaded_at=now))
    columns = ", ".join(frame.columns) + ", loaded_at"
    conn.execute(f"insert into {table} ({columns}) select {columns} from incoming "
                 "order by source_file, source_row")
    conn.unregister("incoming")
    return frame.groupby("source_file").size().to_dict()


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


def _partition_result(conn, paths: DataPaths, source: str, partition_key: str,
                      files: list[Path], force: bool) -> PartitionResult:
    """The partition's files and hashes; ``skipped_unchanged`` when they are all loaded."""
    hashes = [(str(p.relative_to(paths.landing)), file_sha256(p)) for p in files]
    result = PartitionResult(source, partition_key, hashes)
    result.skipped_unchanged = (not force
                                and set(hashes) == _loaded_files(conn, source, partition_key))
    return result


def _load_partition(conn, paths: DataPaths, source: str, partition_key: str,
                    files: list[Path], parser: Parser, table: str, where: str,
                    params: list, force: bool) -> PartitionResult:
    result = _partition_result(conn, paths, source, partition_key, files, force)
    if result.skipped_unchanged:
        return result
    frames, rejects = _parse_files(files, result.files, source, parser)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not frame.empty and source == "yearbook":
        frame, clashes = _cross_file_duplicates(frame)
        rejects += clashes
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    _record_rejects(conn, source, partition_key, result.files, rejects, now)
    result.warnings = [r.message() for r in rejects if r.severity != "error"]
    if any(r.severity == "error" for r in rejects):
        raise IngestError(rejects)
    _replace_partition(conn, table, where, params, result, now,
                       lambda: _insert_frame(conn, table, frame, now))
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


def customs_years(paths: DataPaths) -> list[int]:
    if not paths.customs.exists():
        return []
    return sorted(int(p.name) for p in paths.customs.iterdir()
                  if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def load_customs_year(conn, paths: DataPaths, year: int, *, force: bool = False,
                      progress: Callable[[str], None] | None = None) -> PartitionResult:
    """Replace one customs year in one transaction, only when its files changed.

    Fast path: every file streams straight into raw.customs_exports inside the
    transaction and quick SQL checks vouch for the batch (all rows valid, no key twice).
    Otherwise the transaction is rolled back and the exact path validates each file in
    staged temp tables, naming every rejected row, and loads only if nothing is wrong.
    """
    say = progress or (lambda _msg: None)
    files = landing_files(paths.customs / str(year))
    say(f"customs {year}: hashing {len(files)} file(s)")
    result = _partition_result(conn, paths, "customs", str(year), files, force)
    if result.skipped_unchanged:
        return result
    unique, rejects, seen = [], [], {}
    for path, (rel, digest) in zip(files, result.files):
        if digest in seen:  # the same file saved twice under two names
            rejects.append(Reject("customs", rel, digest, None, None, None,
                                  f"identical to {seen[digest]}; skipped", "warning"))
        else:
            seen[digest] = rel
            unique.append((path, rel, digest))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    if _customs_fast(conn, year, unique, result, now, say):
        _record_rejects(conn, "customs", str(year), result.files, rejects, now)
        result.warnings = [r.message() for r in rejects]
        say(f"customs {year}: {result.rows} rows loaded")
        return result
    say(f"customs {year}: the quick checks found something; validating row by row")
    staged = []
    try:
        for i, (path, rel, digest) in enumerate(unique):
            name = f"customs_{year}_{i}"
            say(f"customs {year}: validating {rel}")
            try:
                source = open_customs_source(conn, path, f"{name}__grid")
                file_rejects = stage_customs(conn, source, folder_year=year, source_file=rel,
                                             file_hash=digest, table=name)
            except UnreadableFile as exc:
                file_rejects = [Reject("customs", rel, digest, None, None, None, str(exc))]
            rejects += file_rejects
            if not any(r.source_row is None and r.severity == "error" for r in file_rejects):
                staged.append((name, rel, digest))
        if len(staged) > 1:
            rejects += _customs_overlaps(conn, staged)
        _record_rejects(conn, "customs", str(year), result.files, rejects, now)
        result.warnings = [r.message() for r in rejects if r.severity != "error"]
        if any(r.severity == "error" for r in rejects):
            raise IngestError(rejects)

        def insert() -> dict[str, int]:
            return {rel: conn.execute(
                f"insert into raw.customs_exports ({', '.join(RAW_COLUMNS)}, source_file, "
                f"file_hash, loaded_at) select *, ?, ?, ? from {name} order by source_row",
                [rel, digest, now]).fetchone()[0] for name, rel, digest in staged}

        _replace_partition(conn, "raw.customs_exports", "year = ?", [year], result, now, insert)
        say(f"customs {year}: {result.rows} rows loaded")
        return result
    finally:
        for name, *_ in staged:
            drop_staged(conn, name)


def _customs_fast(conn, year: int, unique, result: PartitionResult, now: datetime,
                  say: Callable[[str], None]) -> bool:
    """The fast path of load_customs_year; False (and nothing changed) if it cannot vouch."""
    counts: dict[str, int] = {}

    def insert() -> dict[str, int]:
        for path, rel, digest in unique:
            say(f"customs {year}: streaming {rel} ({path.stat().st_size / 1e6:.1f} MB) into raw")
            try:
                source = open_customs_source(conn, path, "customs__grid")
            except UnreadableFile:
                raise _NotClean from None
            try:
                n = insert_customs_fast(conn, source, folder_year=year, source_file=rel,
                                        file_hash=digest, loaded_at=now)
            except duckdb.Error:
                raise _NotClean from None
            finally:
                drop_staged(conn, "customs")
            if n is None:
                raise _NotClean
            counts[rel] = n
        say(f"customs {year}: checking {sum(counts.values())} rows")
        if not customs_batch_is_clean(conn, now):
            raise _NotClean
        return counts

    try:
        _replace_partition(conn, "raw.customs_exports", "year = ?", [year], result, now, insert)
    except _NotClean:
        return False
    return True


class _NotClean(Exception):
    """The fast customs path cannot vouch for the batch (rolled back)."""


def _customs_overlaps(conn, staged) -> list[Reject]:
    """Two files of one year must not both hold a row key: the year would count it twice."""
    union = " union all ".join(f"select *, '{rel}' as source_file, '{digest}' as file_hash "
                               f"from {name}" for name, rel, digest in [
                                   (n, r.replace("'", "''"), d) for n, r, d in staged])
    key = "month, province_code, hs_code, partner, trade_mode"
    rows = conn.execute(f"""
        select source_file, file_hash, source_row, hs_code from ({union})
        qualify count(distinct source_file) over (partition by {key}) > 1
        order by source_file, source_row limit 50""").fetchall()
    return [Reject("customs", f, h, int(r), "商品编码/hs_code", hs,
                   "the same (month, province, HS code, partner, trade mode) is in another "
                   "file of this year; exports would be counted twice")
            for f, h, r, hs in rows]


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
