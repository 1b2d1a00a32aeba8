"""Load one customs year into the lake: validate every file, write its Parquet file, record it.

See ``load_customs_year``; the storage layout is ``warehouse.customs_lake``, the SQL of the
fast and exact paths ``ingest.customs.validate``.
"""
from __future__ import annotations

import os
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from ingest.customs.progress import LARGE_FILE_MB, query_progress
from ingest.customs.source import open_customs_source
from ingest.customs.text_csv import remove_temp_copies
from ingest.customs.validate import (KEY, customs_file_is_clean, drop_staged, repeated_keys,
                                     stage_customs, write_customs_fast, write_staged)
from ingest.errors import IngestError, Reject
from ingest.partition import (PartitionResult, distinct_files, partition_result, record_rejects,
                              replace_partition)
from ingest.readers import UnreadableFile, landing_files
from ingest.reference import check_customs_year
from warehouse import customs_lake
from warehouse.faults import machine_fault
from warehouse.paths import DataPaths


def load_customs_year(conn, paths: DataPaths, year: int, *, force: bool = False,
                      progress: Callable[[str], None] | None = None) -> PartitionResult:
    """Replace one customs year, only when its files changed.

    Each landing file becomes one Parquet file in the lake (``customs_lake``), written
    beside its final name and renamed once valid. Fast path: DuckDB streams the file into
    Parquet and quick SQL checks vouch for every row. Otherwise the exact path validates
    the file in staged temp tables and names every rejected row. Files unchanged since an
    earlier load keep their Parquet file. Then one check over the year finds keys in two
    files. Only if nothing is wrong does one transaction record the files and point the
    raw view at them; a failed load changes nothing that readers see. ``force``: write
    every file again.
    """
    say = progress or (lambda _msg: None)
    check_customs_year(year)
    files = landing_files(paths.customs / str(year))
    result = partition_result(conn, paths, "customs", str(year), files, force)
    if result.skipped_unchanged:
        say(f"customs {year}: {len(files)} file(s) unchanged since the last load; kept")
        return result
    unique, rejects = distinct_files("customs", files, result.files)
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
    record_rejects(conn, "customs", str(year), result.files, rejects, now)
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
    replace_partition(conn, None, "", [], result, now, insert,
                       stored={rel: (by_rel[rel], target.stat().st_size)
                               for rel, target in stored.items()},
                       after=lambda: customs_lake.refresh_view(conn, paths.lake))
    customs_lake.remove_unlisted(root, customs_lake.listed_files(conn), [year])
    say(f"customs {year}: {result.rows} rows loaded")
    return result


def space_needed_mb(paths: DataPaths, year: int) -> float:
    """About what loading a year takes on disk: its lake files and, while a large CSV is
    read, a text copy of it (each at most the landing files' size)."""
    return 2 * sum(p.stat().st_size for p in landing_files(paths.customs / str(year))) / 1e6


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


def _progress(conn, say, label: str, size_mb: float):
    """A progress bar for a large file; nothing for a small one."""
    return query_progress(conn, say, label) if size_mb > LARGE_FILE_MB else nullcontext()


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
            with _progress(conn, say, f"customs {year}: {rel}: reading", size):
                source = open_customs_source(conn, path, "customs__grid")
            with _progress(conn, say, f"customs {year}: {rel}: checking and storing", size):
                n = write_customs_fast(conn, source, tmp, folder_year=year, source_file=rel,
                                       file_hash=digest, loaded_at=now)
            if n is not None and customs_file_is_clean(conn, tmp, check_keys=check_keys):
                os.replace(tmp, target)
                say(f"customs {year}: {rel}: {n} rows checked and stored")
                return []
    except (UnreadableFile, duckdb.Error) as exc:
        if machine_fault(exc):  # a full disk or memory is not the file's fault
            raise
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
        if machine_fault(exc):
            raise
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
