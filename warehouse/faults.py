"""Faults of the machine, named as such: a full disk, memory, a lock held by another
process. They are never bad data, so the loaders must not treat them as a file's fault
(e.g. fall back to row-by-row validation), and the user is told what to do."""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

DISK_FULL = "the disk is full"
OUT_OF_MEMORY = "DuckDB ran out of memory"
LOCKED = "a file is locked by another process"


def machine_fault(exc: BaseException | str, where: Path | None = None) -> str | None:
    """Which machine fault an exception (or one it was raised from, or an error message)
    is, or None. ``where``: the folder being written; SQLite may report a disk with no
    room left as a "disk I/O error" rather than as full (seen when Dagster's run history
    met a full file system), which with under a megabyte free there is the full disk."""
    if isinstance(exc, str):
        exc = RuntimeError(exc)
    seen = 0
    while exc is not None and seen < 10:
        text = str(exc)
        if ((isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
                or "No space left on device" in text or "not enough space" in text.lower()
                or "database or disk is full" in text  # SQLite's SQLITE_FULL
                or (where is not None and "disk I/O error" in text and free_mb(where) < 1)):
            return DISK_FULL
        if type(exc).__name__ == "OutOfMemoryException" or "Out of Memory Error" in text:
            return OUT_OF_MEMORY
        if "Could not set lock on file" in text or "Conflicting lock is held" in text:
            return LOCKED
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def free_mb(path: Path) -> float:
    """Free space on the file system that holds path (its nearest existing parent)."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free / 1e6


def disk_full_message(exc: BaseException, where: Path, what: str, need_mb: float) -> str:
    """What a full disk during `what` tells the user: where, how much is free, how much
    the work needs, and that nothing was published."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"{DISK_FULL}: {what} stopped ({first}). {free_mb(where):.0f} MB are free on the "
            f"disk of {where}; this needs about {need_mb:.0f} MB. Free space (or move the "
            "data folder) and run again: nothing was published, and the lake and the "
            "published warehouse are as they were.")
