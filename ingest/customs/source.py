"""A customs landing file as a DuckDB relation of text columns with line numbers.

Large CSVs and every Parquet file are scanned by DuckDB (never held in Python); small CSV
and Excel files come through the exact text reader (``ingest.readers``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.customs.text_csv import numbered_csv_parquet, text_copy_path, utf8_copy
from ingest.readers import Grid, UnreadableFile, grid_to_frame, read_grid
from warehouse.customs_lake import sql_path
from warehouse.faults import machine_fault

STREAM_BYTES = 16 << 20  # CSV files above this are scanned by DuckDB, never read into Python


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class CustomsSource:
    """One customs file as a DuckDB relation of text columns plus ``source_row``: the
    1-based line for CSV, the sheet row for Excel, the 1-based row number for Parquet.
    ``file_columns``: the relation holds several files and names each row's
    ``source_file`` and ``file_hash`` (``ingest.customs.batch``)."""
    relation: str
    header: list[str]
    header_only: bool = False
    file_columns: bool = False
    copies: tuple[Path, ...] = ()  # scratch files the relation reads

    def drop_copies(self) -> None:
        """Remove the scratch copies once the rows are written (the relation cannot be read
        after this). Removed before the kernel writes them out, they cost the disk nothing;
        kept, their writing competed with the key checks that follow, which spill to the
        same disk (50M-row CSV year: checks 6.7-7.1 s with the text copy kept, 3.5-4.2 s
        without)."""
        for copy in self.copies:
            copy.unlink(missing_ok=True)


def open_customs_source(conn: duckdb.DuckDBPyConnection, path: Path, name: str, *,
                        exact: bool = False, scratch: Path | None = None) -> CustomsSource:
    """Large CSVs and every Parquet file are scanned by DuckDB; small CSV and Excel files
    go through the exact text reader (line numbers, GB18030, NUL checks).

    A large CSV is copied by DuckDB, in parallel and in file order, to a Parquet file of
    text columns; a row's position there is its line number when every line of the file
    is a row (DuckDB read lines - 1 rows). Otherwise (empty lines), and for a large CSV
    DuckDB could not scan (``exact``: quoted line breaks), the file is numbered line by
    line into a Parquet copy (``ingest.customs.text_csv``), streamed in bounded memory.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            scan = f"read_parquet({sql_path(path)}, file_row_number = true)"
            names = [r[0] for r in conn.execute(f"describe select * from {scan}").fetchall()]
            header = [n for n in names if n != "file_row_number"]
            cols = ", ".join(f"cast({quote(h)} as varchar) as {quote(h)}" for h in header)
            return CustomsSource(f"(select {cols}, cast(file_row_number + 1 as integer) "
                                 f"as source_row from {scan})", header)
        if suffix == ".csv" and path.stat().st_size > STREAM_BYTES:
            text, lines = utf8_copy(path, scratch=scratch)
            if not exact:
                # DuckDB keeps the file's row order when it copies in parallel, so a row's
                # position in this text copy is its line number minus 2 (header, 1-based)
                # when every line is a row: no empty line, no quoted line break
                conn.execute("set preserve_insertion_order = true")
                copy = text_copy_path(path, scratch)
                conn.execute(f"copy (select * from read_csv({sql_path(text)}, header = true, "
                             "all_varchar = true, delim = ',', quote = '\"', "
                             f"null_padding = true)) to {sql_path(copy)} "
                             "(format parquet, compression uncompressed)")
                scan = f"read_parquet({sql_path(copy)}, file_row_number = true)"
                if conn.execute(f"select count(*) from {scan}").fetchone()[0] == lines - 1:
                    _drop_copy(text, path)
                    names = [r[0] for r in conn.execute(f"describe select * from {scan}").fetchall()]
                    header = [n for n in names if n != "file_row_number"]
                    return CustomsSource(f"(select * exclude (file_row_number), "
                                         f"cast(file_row_number + 2 as integer) as source_row "
                                         f"from {scan})", header, copies=(copy,))
            numbered = numbered_csv_parquet(text, scratch)  # empty lines, quoted line breaks
            _drop_copy(text, path)
            scan = f"read_parquet({sql_path(numbered)})"
            names = [r[0] for r in conn.execute(f"describe select * from {scan}").fetchall()]
            return CustomsSource(f"(select * from {scan})", [n for n in names if n != "source_row"],
                                 copies=(numbered,))
    except UnreadableFile:
        raise
    except duckdb.Error as exc:
        if machine_fault(exc):  # a full disk is not the file's fault
            raise
        raise UnreadableFile(f"cannot be read as {suffix[1:]}: {exc}") from exc
    return source_from_grid(conn, read_grid(path), name)


def _drop_copy(text: Path, path: Path) -> None:
    """Remove a GB18030 file's UTF-8 copy once its rows are in Parquet: as large as the file,
    and removed before the kernel writes it out, it costs the disk nothing (a 50M-row year
    writes 1.9 GB less while the typed pass and the key checks run)."""
    if text != path:
        text.unlink(missing_ok=True)


def source_from_grid(conn, grid: Grid, name: str) -> CustomsSource:
    if not grid.rows:
        return CustomsSource("", [])
    frame = grid_to_frame(grid, 0)
    conn.register(name, frame)
    return CustomsSource(quote(name), [str(c) for c in frame.columns[:-1]], frame.empty)
