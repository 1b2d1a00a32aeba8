"""Is every customs lake file the warehouse lists still there and whole?

A data folder is copied, backed up, restored and moved; the lake can be left behind,
cleaned or restored from an older backup, and a killed load can leave files nobody lists.
The landing files are the truth, so a run checks, before it loads, every lake file that
`raw.loaded_files` records: it must exist, have the recorded size, and end in a Parquet
footer (the first and last four bytes are `PAR1`; a cut-off copy fails). A damaged file is
removed and forgotten, so its year loads again from its landing files as a changed year;
when the year has no landing file left, the run stops and says which file to restore
(nothing is published, so the published warehouse keeps the year).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.readers import landing_files
from warehouse import customs_lake
from warehouse.paths import DataPaths
from warehouse.transaction import transaction

MAGIC = b"PAR1"


@dataclass(frozen=True)
class LakeFile:
    year: int
    source_file: str   # the landing file, relative to the landing folder
    stored_file: str   # under lake/raw/customs_exports/
    stored_bytes: int | None


@dataclass
class Repairs:
    reload: dict[int, list[str]] = field(default_factory=dict)  # year -> what is wrong
    lost: list[str] = field(default_factory=list)               # cannot be rebuilt

    def warnings(self) -> list[str]:
        return [f"customs {year}: {'; '.join(why)}; reloading {year} from its landing files"
                for year, why in sorted(self.reload.items())]


def recorded_files(conn: duckdb.DuckDBPyConnection) -> list[LakeFile]:
    return [LakeFile(int(y), s, f, b) for y, s, f, b in conn.execute(
        "select partition_key, source_file, stored_file, stored_bytes from raw.loaded_files "
        "where source = 'customs' and stored_file is not null order by 1, 2").fetchall()]


def damage(path: Path, expected_bytes: int | None) -> str | None:
    """What is wrong with one lake file, or None when it looks whole."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "is missing"
    if expected_bytes is not None and size != expected_bytes:
        return f"has {size} bytes, {expected_bytes} were written"
    if size < 12:
        return "is not a Parquet file"
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(-8, 2)
        footer_length, tail = int.from_bytes(fh.read(4), "little"), fh.read(4)
    if head != MAGIC or tail != MAGIC or footer_length > size - 12:
        return "is not a whole Parquet file"
    return None


def plan_repairs(conn: duckdb.DuckDBPyConnection, paths: DataPaths) -> Repairs:
    """Check every recorded lake file. When every damaged one can be rebuilt (its year
    still has landing files), remove them and forget them in raw.loaded_files (one
    transaction, the raw view re-pointed), so their years load again as changed years;
    otherwise change nothing and name the files that are lost."""
    root = customs_lake.table_root(paths.lake)
    repairs, damaged = Repairs(), []
    for f in recorded_files(conn):
        what = damage(root / f.stored_file, f.stored_bytes)
        if what is None:
            continue
        problem = f"the lake file of {f.source_file} ({f.stored_file}) {what}"
        # the year's landing files are the truth: while any are there, reload from them
        if (paths.landing / f.source_file).is_file() or landing_files(paths.customs / str(f.year)):
            repairs.reload.setdefault(f.year, []).append(problem)
            damaged.append(f)
        else:
            repairs.lost.append(
                f"customs {f.year}: {problem}, and its landing file {f.source_file} is gone "
                f"too (no landing file of {f.year} is left): put the landing file back under "
                f"{paths.landing} (or restore {root / f.stored_file} from a backup) and run "
                f"again; the published warehouse still holds {f.year} as it was")
    if damaged and not repairs.lost:
        with transaction(conn):
            conn.executemany("delete from raw.loaded_files where source = 'customs' and "
                             "stored_file = ?", [[f.stored_file] for f in damaged])
            customs_lake.refresh_view(conn, paths.lake)
        for f in damaged:
            (root / f.stored_file).unlink(missing_ok=True)
    return repairs
