"""Publish the build warehouse as the analysts' read-only copy, atomically, without raw rows.

The build warehouse holds no customs rows: they are Parquet files in the lake, read through
the view raw.customs_exports (warehouse.customs_lake). Publishing hard-links the files the
build lists into ``warehouse/raw/customs_exports/`` (no bytes copied), copies the build
file (tables of aggregates, marts and results: small), points the copy's view at the linked
files, and renames the copy over the published file. Files no published view lists any
longer are removed afterwards. So publishing costs the same whatever the size of raw.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from warehouse import customs_lake
from warehouse.settings import Settings


def published_raw_root(published_db: Path) -> Path:
    return published_db.parent / "raw" / customs_lake.TABLE


def publish_warehouse(settings: Settings) -> Path:
    """Checkpoint the build file, copy it beside the published file and rename over it.

    The rename is atomic on one file system: readers see the old file or the new one,
    never a half-written copy, and a crash leaves the previous published copy intact.
    """
    build_db, published_db, lake = (settings.paths.build_db, settings.paths.published_db,
                                    settings.paths.lake)
    with settings.connect() as conn:
        conn.execute("checkpoint")
        files = customs_lake.listed_files(conn)
    raw_root = published_raw_root(published_db)
    customs_lake.link_files(customs_lake.table_root(lake), raw_root, files)
    tmp = published_db.with_name(f".{published_db.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(build_db, tmp)
        with settings.connect(tmp) as conn:
            conn.execute(customs_lake.view_sql(raw_root, files))
            conn.execute("checkpoint")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, published_db)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    customs_lake.remove_unlisted(raw_root, files)
    return published_db
