"""A partition of a raw source (one customs year, the yearbook folder, a world table):
its files and hashes, whether it changed, and its replacement in one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from ingest.errors import Reject, rejects_frame
from ingest.hash_cache import hashes as file_hashes
from warehouse.paths import DataPaths
from warehouse.transaction import transaction


@dataclass
class PartitionResult:
    source: str
    partition_key: str
    files: list[tuple[str, str]]  # (relative path, sha256)
    rows: int = 0
    skipped_unchanged: bool = False
    warnings: list[str] = field(default_factory=list)


def loaded_files(conn, source: str, partition_key: str) -> set[tuple[str, str]]:
    rows = conn.execute("select source_file, file_hash from raw.loaded_files "
                        "where source = ? and partition_key = ?", [source, partition_key]).fetchall()
    return set(rows)


def replace_partition(conn, table: str | None, where: str, params: list,
                       result: PartitionResult, now: datetime,
                       insert: Callable[[], dict[str, int]],
                       stored: dict[str, tuple[str, int]] | None = None,
                       after: Callable[[], None] | None = None) -> None:
    """Delete-then-insert one partition, and record its files, in one transaction.

    ``insert`` writes the new rows and returns the row count per source file; ``stored``
    names the file each source file was stored as and its size in bytes (customs: what the
    next run checks, ingest.customs.lake_health), ``after`` runs last inside
    the transaction (customs: the raw view is pointed at the recorded files)."""
    stored = stored or {}
    with transaction(conn):
        if table:
            conn.execute(f"delete from {table} where {where}", params)
        counts = insert()
        conn.execute("delete from raw.loaded_files where source = ? and partition_key = ?",
                     [result.source, result.partition_key])
        conn.executemany("insert into raw.loaded_files (source, partition_key, source_file, "
                         "file_hash, row_count, loaded_at, stored_file, stored_bytes) "
                         "values (?, ?, ?, ?, ?, ?, ?, ?)",
                         [[result.source, result.partition_key, f, h, int(counts.get(f, 0)), now,
                           *stored.get(f, (None, None))] for f, h in result.files])
        if after:
            after()
    result.rows = sum(counts.values())


def record_rejects(conn, source: str, partition_key: str, files, rejects, now) -> None:
    """Quarantine the batch's rejects, replacing earlier ones for the same files."""
    names = [f for f, _ in files]
    with transaction(conn):
        if names:
            conn.execute("delete from quality.rejected_rows where source = ? and source_file in "
                         f"({', '.join('?' * len(names))})", [source, *names])
        if rejects:
            frame = rejects_frame(rejects).assign(partition_key=partition_key, rejected_at=now)
            conn.register("rejects", frame)
            conn.execute("insert into quality.rejected_rows by name select * from rejects")
            conn.unregister("rejects")


def partition_result(conn, paths: DataPaths, source: str, partition_key: str,
                      files: list[Path], force: bool) -> PartitionResult:
    """The partition's files and hashes; ``skipped_unchanged`` when they are all loaded."""
    hashes = list(zip((str(p.relative_to(paths.landing)) for p in files),
                      file_hashes(paths.hash_cache, files)))
    result = PartitionResult(source, partition_key, hashes)
    result.skipped_unchanged = (not force
                                and set(hashes) == loaded_files(conn, source, partition_key))
    return result


def distinct_files(source: str, files: list[Path], hashes: list[tuple[str, str]]
                   ) -> tuple[list[tuple[Path, str, str]], list[Reject]]:
    """(path, relative path, sha256) of each file once; a file saved twice under two names
    is read once, and its copies are warnings naming the first name."""
    unique, rejects, seen = [], [], {}
    for path, (rel, digest) in zip(files, hashes):
        if digest in seen:
            rejects.append(Reject(source, rel, digest, None, None, None,
                                  f"identical to {seen[digest]}; skipped", "warning"))
        else:
            seen[digest] = rel
            unique.append((path, rel, digest))
    return unique, rejects
