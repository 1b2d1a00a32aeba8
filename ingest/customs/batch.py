"""A year's small CSV files read by DuckDB in one pass, with each row's file and line.

Researchers download a customs year in pieces (per province, per month, per query-size
cap: hundreds of files of a few MB). One DuckDB scan over the list is as fast as one
large file; one scan per file, and one lake file, one set of checks and one line in the
console per file, made a year of 250 pieces three times slower than the same rows in one
file. So the small CSV files of a year that share a header are read together into one
Parquet copy of their text, with the file each row came from (DuckDB's ``filename``
column). DuckDB keeps the list's order and each file's row order when it copies in
parallel, so a row's position in the copy, minus the position of its file's first row,
is its line number minus 2, whenever every line of the file is a row. That is checked per
file against the lines counted while reading (and that each file's rows are one
contiguous run); a file that fails (empty lines, quoted line breaks, another encoding
DuckDB cannot read, a header of its own, no data rows) is left out and loaded on its own
by the single-file paths, which name every problem.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ingest.customs.source import STREAM_BYTES, CustomsSource
from ingest.customs.text_csv import utf8_copy
from ingest.readers import UnreadableFile
from warehouse.customs_lake import sql_path

FILE_COLUMN = "medtrade__file"  # DuckDB's filename column in the text copy
MEMBERS = "customs_batch__files"  # the registered list of the batch's files


@dataclass(frozen=True)
class Member:
    path: Path      # the landing file
    rel: str        # its path under the landing folder (source_file)
    digest: str     # its SHA-256 (file_hash)


def batchable(path: Path) -> bool:
    """Small CSV files are read together; large ones and other formats one by one."""
    return path.suffix.lower() == ".csv" and path.stat().st_size <= STREAM_BYTES


def batch_name(members: list[Member]) -> str:
    """The lake name of a batch: derived from its files' paths and hashes, so any change
    (a file added, removed, renamed or revised) gives a new name."""
    text = "\n".join(f"{m.rel}\0{m.digest}" for m in sorted(members, key=lambda m: m.rel))
    return f"batch-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.parquet"


def _header(text: Path) -> str:
    with open(text, "rb") as fh:
        first = fh.readline(1 << 16)
    return first.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")


def open_batch(conn: duckdb.DuckDBPyConnection, members: list[Member], scratch: Path
               ) -> tuple[CustomsSource | None, list[Member]]:
    """(the batch as one relation of text columns with ``source_row``, ``source_file`` and
    ``file_hash``; the members left out). None when fewer than two files can go together.

    Temporary files (GB18030 files as UTF-8, the text copy) are written under ``scratch``.
    """
    prepared: dict[str, tuple[Member, int, str]] = {}  # text path -> (member, lines, header)
    left_out: list[Member] = []
    for i, m in enumerate(members):
        try:
            text, lines = utf8_copy(m.path, scratch / f"{i}.utf8.csv")
        except UnreadableFile:
            left_out.append(m)
            continue
        if lines < 2:  # empty or header only: the single-file path says so
            left_out.append(m)
            continue
        prepared[str(text)] = (m, lines, _header(text))
    # files with another header than the most common one are loaded on their own
    common = Counter(h for _, _, h in prepared.values()).most_common(1)
    for text, (m, _, header) in list(prepared.items()):
        if header != common[0][0]:
            left_out.append(m)
            del prepared[text]
    copy = scratch / "batch.text.parquet"
    while len(prepared) >= 2:
        listed = ", ".join(sql_path(Path(t)) for t in prepared)
        conn.execute("set preserve_insertion_order = true")
        conn.execute(f"copy (select * from read_csv([{listed}], header = true, "
                     "all_varchar = true, delim = ',', quote = '\"', null_padding = true, "
                     f"filename = '{FILE_COLUMN}')) to {sql_path(copy)} "
                     "(format parquet, compression uncompressed)")
        runs = {f: (n, first, last) for f, n, first, last in conn.execute(
            f"select {FILE_COLUMN}, count(*), min(file_row_number), max(file_row_number) "
            f"from read_parquet({sql_path(copy)}, file_row_number = true) group by 1").fetchall()}
        wrong = [t for t, (_, lines, _) in prepared.items()
                 if t not in runs or runs[t][0] != lines - 1
                 or runs[t][2] - runs[t][1] + 1 != runs[t][0]]
        if not wrong:
            frame = pd.DataFrame({FILE_COLUMN: list(prepared),
                                  "source_file": [m.rel for m, _, _ in prepared.values()],
                                  "file_hash": [m.digest for m, _, _ in prepared.values()],
                                  "first_row": [runs[t][1] for t in prepared]})
            conn.register(MEMBERS, frame)
            scan = f"read_parquet({sql_path(copy)}, file_row_number = true)"
            names = [r[0] for r in conn.execute(f"describe select * from {scan}").fetchall()]
            header = [n for n in names if n not in (FILE_COLUMN, "file_row_number")]
            relation = (f"(select t.* exclude ({FILE_COLUMN}, file_row_number), "
                        "cast(t.file_row_number - m.first_row + 2 as integer) as source_row, "
                        f"m.source_file, m.file_hash from {scan} t "
                        f"join {MEMBERS} m using ({FILE_COLUMN}))")
            utf8 = tuple(Path(t) for t, (m, _, _) in prepared.items() if Path(t) != m.path)
            return (CustomsSource(relation, header, file_columns=True, copies=(copy, *utf8)),
                    left_out)
        for t in wrong:
            left_out.append(prepared.pop(t)[0])
    return None, [m for m, _, _ in prepared.values()] + left_out


def close_batch(conn: duckdb.DuckDBPyConnection) -> None:
    try:
        conn.unregister(MEMBERS)
    except duckdb.Error:
        pass
