"""Load one customs year into the lake: validate every file, write its Parquet file, record it.

See ``load_customs_year``; the storage layout is ``warehouse.customs_lake``, the SQL of the
fast and exact paths ``ingest.customs.validate``.
"""
from __future__ import annotations

import os
import shutil
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from ingest.customs.batch import Member, batch_name, batchable, close_batch, open_batch
from ingest.customs.progress import LARGE_FILE_MB, bar, query_progress
from ingest.customs.source import open_customs_source
from ingest.customs.validate import (KEY, customs_file_is_clean, drop_staged, invalid_rows,
                                     repeated_keys, stage_customs, write_customs_fast,
                                     write_staged)
from ingest.errors import IngestError, Reject
from ingest.partition import (PartitionResult, distinct_files, partition_result, record_rejects,
                              replace_partition)
from ingest.readers import UnreadableFile, landing_files
from ingest.reference import check_customs_year
from warehouse import customs_lake
from warehouse.faults import machine_fault
from warehouse.paths import DataPaths

MANY_FILES = 20  # a year of this many files loaded one by one shows a bar over them


def load_customs_year(conn, paths: DataPaths, year: int, *, force: bool = False,
                      progress: Callable[[str], None] | None = None,
                      detail: Callable[[str], None] | None = None) -> PartitionResult:
    """Replace one customs year, only when its files changed.

    The year's small CSV files are read together into one Parquet file in the lake
    (``ingest.customs.batch``); each other landing file (large CSV, Parquet, Excel, or a
    small file that cannot go with the others) becomes a Parquet file of its own
    (``customs_lake``). Files are written beside their final name and renamed once valid.
    Fast path: DuckDB streams the rows into Parquet and quick SQL checks vouch for every
    row. Otherwise the exact path validates each file in staged temp tables and names
    every rejected row. Files unchanged since an earlier load keep their Parquet file.
    Then one check over the year finds keys in two files. Only if nothing is wrong does
    one transaction record the files and point the raw view at them; a failed load
    changes nothing that readers see. ``force``: write every file again.

    ``progress`` gets the year's summary and a progress bar over its files; ``detail``
    one line per file (the run's log file keeps them; the console does not).
    """
    say = progress or (lambda _msg: None)
    note = detail or (lambda _msg: None)
    check_customs_year(year)
    files = landing_files(paths.customs / str(year))
    result = partition_result(conn, paths, "customs", str(year), files, force)
    if result.skipped_unchanged:
        say(f"customs {year}: {len(files)} file(s) unchanged since the last load; kept")
        return result
    unique, rejects = distinct_files("customs", files, result.files)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    members = [Member(path, rel, digest) for path, rel, digest in unique]
    small = [m for m in members if batchable(m.path)]
    stored = (_stored_batch(conn, paths, year, small, now, say, note, force)
              if len(small) > 1 else {})
    alone = [m for m in members if m.rel not in stored]
    # one file: its own key check; several: one key check over the year (below)
    single = len(members) == 1
    ticks = _FileTicks(say, f"customs {year}: files", len(alone))
    scratch = paths.scratch / f"file-{os.getpid()}"
    for m in alone:
        target = customs_lake.year_file(paths.lake, year, m.rel, m.digest)
        if target.exists() and not force:
            note(f"customs {year}: {m.rel} unchanged, its Parquet file is kept")
            stored[m.rel] = target
        else:
            # a few files or a large one: its lines (and progress) on the console
            speak = say if len(alone) < MANY_FILES or _large(m.path) else note
            rejects += _stored_file(conn, stored, m, target, year, now, speak, scratch,
                                    exact=False, check_keys=single)
        ticks.tick()
    lake_files = sorted(set(stored.values()))
    if len(lake_files) > 1 and not _errors(rejects) and repeated_keys(conn, lake_files):
        # repeats inside a file: the exact path keeps one of identical rows or names the
        # clash; then keys in two files are named with both files (a batch was checked
        # whole, so its files have no repeats inside)
        for rel in _files_with_inner_repeats(conn, lake_files):
            m = next(m for m in members if m.rel == rel)
            stored.pop(rel)
            rejects += _stored_file(conn, stored, m, customs_lake.year_file(
                paths.lake, year, m.rel, m.digest), year, now, note, scratch, exact=True,
                check_keys=True)
        if not _errors(rejects):
            rejects += _customs_overlaps(conn, sorted(set(stored.values())))
    record_rejects(conn, "customs", str(year), result.files, rejects, now)
    result.warnings = [r.message() for r in rejects if r.severity != "error"]
    root = customs_lake.table_root(paths.lake)
    if _errors(rejects):
        customs_lake.remove_unlisted(root, customs_lake.listed_files(conn), [year])
        raise IngestError(rejects)

    counts: dict[str, int] = {}

    def insert() -> dict[str, int]:  # rows per landing file, one query per lake file
        for target in sorted(set(stored.values())):
            counts.update(conn.execute(f"select source_file, count(*) from read_parquet("
                                       f"{customs_lake.sql_path(target)}) group by 1").fetchall())
        return counts

    replace_partition(conn, None, "", [], result, now, insert,
                       stored={rel: (customs_lake.relative_file(year, target.name),
                                     target.stat().st_size) for rel, target in stored.items()},
                       after=lambda: customs_lake.refresh_view(conn, paths.lake))
    customs_lake.remove_unlisted(root, customs_lake.listed_files(conn), [year])
    for rel, target in sorted(stored.items()):  # the log keeps a line per landing file
        note(f"customs {year}: {rel}: {counts.get(rel, 0)} export rows, in lake file "
             f"{target.name}")
    say(f"customs {year}: {result.rows} rows of {len(files)} file(s) loaded"
        + (f" ({len(lake_files)} lake files)" if len(lake_files) > 1 else ""))
    return result


class _FileTicks:
    """A progress bar over a year's files, said at each further tenth (many files only)."""

    def __init__(self, say: Callable[[str], None], label: str, total: int, every: float = 10):
        self.say, self.label, self.total, self.every = say, label, total, every
        self.done, self.shown = 0, 0.0

    def tick(self) -> None:
        self.done += 1
        if self.total < MANY_FILES:
            return
        percent = 100 * self.done / self.total
        if percent >= self.shown + self.every or self.done == self.total:
            self.shown = percent - percent % self.every
            self.say(f"{self.label} {bar(percent)} {self.done}/{self.total}")


def _stored_batch(conn, paths: DataPaths, year: int, small: list[Member], now: datetime,
                  say, note, force: bool) -> dict[str, Path]:
    """The year's small CSV files read together into one lake file: {landing file: it}
    for the files it holds ({} when they cannot go together: each is then loaded alone).

    Kept from an earlier load when the same files are recorded there; a batch file a
    killed load left unrecorded is written again."""
    target = customs_lake.table_root(paths.lake) / customs_lake.relative_file(
        year, batch_name(small))
    if target.exists() and not force:
        recorded = {(f, h): s for f, h, s in conn.execute(
            "select source_file, file_hash, stored_file from raw.loaded_files "
            "where source = 'customs' and partition_key = ?", [str(year)]).fetchall()}
        kept = {m.rel: target for m in small if recorded.get((m.rel, m.digest))
                == customs_lake.relative_file(year, target.name)}
        if kept:
            say(f"customs {year}: {len(kept)} small files unchanged, their Parquet file is kept")
            return kept
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    scratch = paths.scratch / f"batch-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    size = sum(m.path.stat().st_size for m in small) / 1e6
    say(f"customs {year}: reading {len(small)} small CSV files together ({size:.1f} MB)")
    try:
        with _progress(conn, say, f"customs {year}: {len(small)} files: reading", size):
            source, left_out = open_batch(conn, small, scratch)
            if source is None:
                note(f"customs {year}: the small files cannot be read together; one by one")
                return {}
            n = write_customs_fast(conn, source, tmp, folder_year=year, source_file=None,
                                   file_hash=None, loaded_at=now)
            source.drop_copies()
        if n is None or not customs_file_is_clean(conn, tmp, check_keys=True):
            note(f"customs {year}: the quick checks found something in the small files; "
                 "validating them one by one")
            return {}
        os.replace(tmp, target)
        for m in left_out:
            note(f"customs {year}: {m.rel} cannot go with the other files (its header, "
                 "encoding or lines); loaded on its own")
        say(f"customs {year}: {len(small) - len(left_out)} files read together, {n} rows "
            "checked and stored" + (f"; {len(left_out)} loaded one by one" if left_out else ""))
        return {m.rel: target for m in small if m not in left_out}
    except (UnreadableFile, duckdb.Error) as exc:
        if machine_fault(exc):  # a full disk or memory is not the files' fault
            raise
        note(f"customs {year}: the small files cannot be read together ({exc}); one by one")
        return {}
    finally:
        close_batch(conn)
        tmp.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)


def space_needed_mb(paths: DataPaths, year: int) -> float:
    """About what loading a year takes on disk: its lake files and, while a large CSV is
    read, a text copy of it (each at most the landing files' size)."""
    return 2 * sum(p.stat().st_size for p in landing_files(paths.customs / str(year))) / 1e6


def _errors(rejects: list[Reject]) -> bool:
    return any(r.severity == "error" for r in rejects)


def _stored_file(conn, stored: dict[str, Path], m: Member, target: Path, year: int,
                 now: datetime, note, scratch: Path, *, exact: bool, check_keys: bool
                 ) -> list[Reject]:
    """Write one landing file to the lake; record it in ``stored`` if it is valid. Copies
    made while reading go to ``scratch``, removed at the end."""
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        rejects = _write_customs_file(conn, m.path, target, year, m.rel, m.digest, now, note,
                                      scratch, exact=exact, check_keys=check_keys)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not _errors(rejects):
        stored[m.rel] = target
    return rejects


def _files_with_inner_repeats(conn, lake_files: list[Path]) -> list[str]:
    listed = ", ".join(customs_lake.sql_path(p) for p in lake_files)
    return [r[0] for r in conn.execute(
        f"select distinct source_file from (select source_file from read_parquet([{listed}]) "
        f"group by source_file, {KEY} having count(*) > 1) order by 1").fetchall()]


def _large(path: Path) -> bool:
    return path.stat().st_size / 1e6 > LARGE_FILE_MB


def _progress(conn, say, label: str, size_mb: float):
    """A progress bar for a large file; nothing for a small one."""
    return query_progress(conn, say, label) if size_mb > LARGE_FILE_MB else nullcontext()


def _write_customs_file(conn, path: Path, target: Path, year: int, rel: str, digest: str,
                        now: datetime, say: Callable[[str], None], scratch: Path, *,
                        exact: bool = False, check_keys: bool = True) -> list[Reject]:
    """One landing file -> its Parquet file ``target`` (fast path, else exact); the rejects.

    ``check_keys``: the fast path also vouches that no key repeats within the file (for a
    year of several files, one check over the year does that instead)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    size = path.stat().st_size / 1e6
    say(f"customs {year}: streaming {rel} ({size:.1f} MB) into the lake")
    scan_failed = False  # DuckDB could not scan it (e.g. quoted line breaks): Python's csv will
    reread = None  # the fast path's copy of a large file, for the exact path to read again
    try:
        if not exact:
            with _progress(conn, say, f"customs {year}: {rel}: reading", size):
                source = open_customs_source(conn, path, "customs__grid", scratch=scratch)
            with _progress(conn, say, f"customs {year}: {rel}: checking and storing", size):
                n = write_customs_fast(conn, source, tmp, folder_year=year, source_file=rel,
                                       file_hash=digest, loaded_at=now)
            valid = n is not None and invalid_rows(conn, tmp) == 0
            if valid or not source.copies:
                # removed before the key check spills to the same disk (measured: see
                # CustomsSource.drop_copies)
                source.drop_copies()
            else:  # a bad row: the exact path reads this copy, not the file again
                reread = source
            if valid and not (check_keys and repeated_keys(conn, [tmp])):
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
        # a large file takes as long again here (20M rows: 22 s after the fast path's 12 s)
        with _progress(conn, say, f"customs {year}: {rel}: validating row by row", size):
            source = (reread if reread is not None and not scan_failed else
                      open_customs_source(conn, path, f"{name}__grid", exact=scan_failed,
                                          scratch=scratch))
            rejects = stage_customs(conn, source, folder_year=year, source_file=rel,
                                    file_hash=digest, table=name, loaded_at=now)
            source.drop_copies()  # staged: the copy is read no more
        if not _errors(rejects):
            with _progress(conn, say, f"customs {year}: {rel}: storing the valid rows", size):
                write_staged(conn, name, tmp)
            os.replace(tmp, target)
        return rejects
    except UnreadableFile as exc:
        if machine_fault(exc):
            raise
        return [Reject("customs", rel, digest, exc.line, None, None, str(exc))]
    finally:
        drop_staged(conn, name)
        tmp.unlink(missing_ok=True)


def _customs_overlaps(conn, lake_files: list[Path]) -> list[Reject]:
    """Two files of one year must not both hold a row key: the year would count it twice.

    Memory-bounded: the clashing keys are found by a plain aggregate (DuckDB spills it),
    at most 50 of them, and only their rows are read back."""
    listed = ", ".join(customs_lake.sql_path(p) for p in lake_files)
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
