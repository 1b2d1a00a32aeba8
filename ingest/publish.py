"""Publish the build warehouse as the analysts' read-only copy, atomically."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish_warehouse(build_db: Path, published_db: Path) -> Path:
    """Checkpoint the build file, copy it beside the target and rename over it.

    The rename is atomic on one file system: readers see the old file or the new one,
    never a half-written copy, and a crash leaves the previous published copy intact.
    """
    conn = duckdb.connect(str(build_db))
    try:
        conn.execute("checkpoint")
    finally:
        conn.close()
    tmp = published_db.with_name(f".{published_db.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(build_db, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, published_db)
    finally:
        tmp.unlink(missing_ok=True)
    return published_db
