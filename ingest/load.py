"""Load landing files into the DuckDB ``raw`` schema.

A partition (one customs year, or the whole yearbook folder) is replaced by
delete-then-insert inside one transaction, and only when its files changed (by SHA-256):
loading the same files twice changes nothing. A file that breaks the contract stops the
load before anything is written; its rejected rows go to ``quality.rejected_rows``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from ingest import customs_lake
from ingest.customs import (KEY, customs_file_is_clean, drop_staged,
                            repeated_keys, stage_customs, write_customs_fast, write_staged)
from ingest.customs_source import open_customs_source
from ingest.errors import IngestError, Reject, rejects_frame
from ingest.paths import DataPaths
from ingest.hash_cache import hashes as file_hashes
from ingest.readers import UnreadableFile, landing_files, read_grid
from ingest.text_csv import remove_temp_copies
from ingest.world import parse_world_gdp, parse_world_trade
from ingest.yearbook import parse_yearbook

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


def _replace_partition(conn, table: str | None, where: str, params: list,
                       result: PartitionResult, now: datetime,
                       insert: Callable[[], dict[str, int]], stored: dict[str, str] | None = None,
                       after: Callable[[], None] | None = None) -> None:
    """Delete-then-insert one partition, and record its files, in one transaction.

    ``insert`` writes the new rows and returns the row count per source file; ``stored``
    names the file each source file was stored as (customs), ``after`` runs last inside
    the transaction (customs: the raw view is pointed at the recorded files)."""
    stored = stored or {}
    conn.execute("begin transaction")
    try:
        if table:
            conn.execute(f"delete from {table} where {where}", params)
        counts = insert()
        conn.execute("delete from raw.loaded_files where source = ? and partition_key = ?",
                     [result.source, result.partition_key])
        conn.executemany("insert into raw.loaded_files (source, partition_key, source_file, "
                         "file_hash, row_count, loaded_at, stored_file) "
                         "values (?, ?, ?, ?, ?, ?, ?)",
                         [[result.source, result.partition_key, f, h, int(counts.get(f, 0)), now,
                           stored.get(f)] for f, h in result.files])
        if after:
            after()
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
    hashes = list(zip((str(p.relative_to(paths.landing)) for p in files),
                      file_hashes(paths.hash_cache, files)))
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
    """Replace one customs year, only when its files changed.

    Each landing file becomes one Parquet file in the lake (``customs_lake``), written
    beside its final name and renamed once valid. Fast path: DuckDB streams the file into
    Parquet and quick SQL checks vouch for every row. Otherwise the exact path validates
    the file in staged temp tables and names every rejected row. Files unchanged since an
    earlier load keep their Parquet file. Then one check over the year finds keys in two
    files. Only if nothing is wrong does one transaction record the files and point the
    raw view at them; a failed load changes nothing that readers see.
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
    stored: dict[str, Path] = {}
    # one file: its own key check; several: one key check over the year (below)
    single = len(unique) == 1
    for path, rel, digest in unique:
        target = customs_lake.year_file(paths.lake, year, rel, digest)
        if target.exists() and not force:
            say(f"customs {year}: {rel} unchanged, its Parquet file is kept")
            stored[rel] = target
            continue
        rejects += _stored_file(conn, stored, path, target, year, rel, digest, now, say,
                                exact=False, check_keys=single)
    if len(stored) > 1 and not _errors(rejects) and repeated_keys(conn, list(stored.values())):
        # repeats inside a file: the exact path keeps one of identical rows or names the
        # clash; then keys in two files are named with both files
        for rel in _files_with_inner_repeats(conn, stored):
            path = next(p for p, r, _ in unique if r == rel)
            digest = next(d for _, r, d in unique if r == rel)
            rejects += _stored_file(conn, stored, path, stored.pop(rel), year, rel, digest, now,
                                    say, exact=True, check_keys=True)
        if not _errors(rejects):
            rejects += _customs_overlaps(conn, stored)
    _record_rejects(conn, "customs", str(year), result.files, rejects, now)
    result.warnings = [r.message() for r in rejects if r.severity != "error"]
    root = customs_lake.table_root(paths.lake)
    if _errors(rejects):
        customs_lake.remove_unlisted(root, customs_lake.listed_files(conn), [year])
        raise IngestError(rejects)

    def insert() -> dict[str, int]:
        return {rel: conn.execute(f"select count(*) from read_parquet("
                                  f"{customs_lake.sql_path(target)})").fetchone()[0]
                for rel, target in stored.items()}

    by_rel = {rel: customs_lake.relative_file(year, rel, digest) for rel, digest in result.files}
    _replace_partition(conn, None, "", [], result, now, insert,
                       stored={rel: by_rel[rel] for rel in stored},
                       after=lambda: customs_lake.refresh_view(conn, paths.lake))
    customs_lake.remove_unlisted(root, customs_lake.listed_files(conn), [year])
    say(f"customs {year}: {result.rows} rows loaded")
    return result


def _errors(rejects: list[Reject]) -> bool:
    return any(r.severity == "error" for r in rejects)


def _stored_file(conn, stored: dict[str, Path], path: Path, target: Path, year: int, rel: str,
                 digest: str, now: datetime, say, *, exact: bool, check_keys: bool
                 ) -> list[Reject]:
    """Write one landing file to the lake; record it in ``stored`` if it is valid."""
    try:
        rejects = _write_customs_file(conn, path, target, year, rel, digest, now, say,
                                      exact=exact, check_keys=check_keys)
    finally:
        remove_temp_copies(path)
    if not _errors(rejects):
        stored[rel] = target
    return rejects


def _files_with_inner_repeats(conn, stored: dict[str, Path]) -> list[str]:
    listed = ", ".join(customs_lake.sql_path(p) for p in stored.values())
    return [r[0] for r in conn.execute(
        f"select distinct source_file from (select source_file from read_parquet([{listed}]) "
        f"group by source_file, {KEY} having count(*) > 1) order by 1").fetchall()]


def _write_customs_file(conn, path: Path, target: Path, year: int, rel: str, digest: str,
                        now: datetime, say: Callable[[str], None], *, exact: bool = False,
                        check_keys: bool = True) -> list[Reject]:
    """One landing file -> its Parquet file ``target`` (fast path, else exact); the rejects.

    ``check_keys``: the fast path also vouches that no key repeats within the file (for a
    year of several files, one check over the year does that instead)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    size = path.stat().st_size / 1e6
    say(f"customs {year}: streaming {rel} ({size:.1f} MB) into the lake")
    scan_failed = False  # DuckDB could not scan it (e.g. quoted line breaks): Python's csv will
    try:
        if not exact:
            source = open_customs_source(conn, path, "customs__grid")
            n = write_customs_fast(conn, source, tmp, folder_year=year, source_file=rel,
                                   file_hash=digest, loaded_at=now)
            if n is not None and customs_file_is_clean(conn, tmp, check_keys=check_keys):
                os.replace(tmp, target)
                say(f"customs {year}: {rel}: {n} rows checked and stored")
                return []
    except (UnreadableFile, duckdb.Error):
        scan_failed = True  # the exact path says what is wrong
    finally:
        drop_staged(conn, "customs")
        tmp.unlink(missing_ok=True)
    say(f"customs {year}: {rel}: the quick checks found something; validating row by row")
    name = "customs_exact"
    try:
        source = open_customs_source(conn, path, f"{name}__grid", exact=scan_failed)
        rejects = stage_customs(conn, source, folder_year=year, source_file=rel,
                                file_hash=digest, table=name, loaded_at=now)
        if not _errors(rejects):
            write_staged(conn, name, tmp)
            os.replace(tmp, target)
        return rejects
    except UnreadableFile as exc:
        return [Reject("customs", rel, digest, None, None, None, str(exc))]
    finally:
        drop_staged(conn, name)
        tmp.unlink(missing_ok=True)


def _customs_overlaps(conn, stored: dict[str, Path]) -> list[Reject]:
    """Two files of one year must not both hold a row key: the year would count it twice.

    Memory-bounded: the clashing keys are found by a plain aggregate (DuckDB spills it),
    at most 50 of them, and only their rows are read back."""
    listed = ", ".join(customs_lake.sql_path(p) for p in stored.values())
    names = [k.strip() for k in KEY.split(",")]
    same = " and ".join(f"r.{k} is not distinct from d.{k}" for k in names)
    rows = conn.execute(f"""
        with clashes as (
            select {KEY} from read_parquet([{listed}])
            group by {KEY} having count(distinct source_file) > 1
            order by {KEY} limit 50)
        select r.source_file, r.file_hash, r.source_row, r.hs_code, {', '.join(f'd.{k}' for k in names)}
        from read_parquet([{listed}]) r join clashes d on {same}
        order by {', '.join(f'd.{k}' for k in names)}, r.source_file, r.source_row""").fetchall()
    groups: dict[tuple, list] = {}
    for f, h, r, hs, *key in rows:
        groups.setdefault(tuple(key), []).append((f, h, r, hs))
    rejects = []
    for members in groups.values():
        for f, h, r, hs in members:
            others = ", ".join(f"{o} row {orow}" for o, _, orow, _ in members if (o, orow) != (f, r))
            rejects.append(Reject(
                "customs", f, h, int(r), "商品编码/hs_code", hs,
                f"the same (month, province, region code, HS code, partner, trade mode) is "
                f"also in {others}; exports would be counted twice"))
    return sorted(rejects, key=lambda x: (x.source_file, x.source_row))


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
