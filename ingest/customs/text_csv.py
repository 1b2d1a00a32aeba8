"""Large CSV files in one streamed pass each: encoding, empty lines, exact line numbers.

DuckDB's CSV scanner is fast but skips empty lines and cannot number lines; the loader
numbers rows by their order, which is the line number only when the file has no empty
line. ``utf8_copy`` counts the lines, so the loader can tell (and transcodes GB18030 to
UTF-8 on the way);
``numbered_csv_parquet`` is the exact path for the other files: Python's csv reader,
batch by batch into a Parquet copy with each record's first line, in bounded memory.
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.readers import UnreadableFile, line_feeds
from ingest.transcode import NotText, gb18030_to_utf8

BLOCK = 1 << 22
BATCH_ROWS = 500_000


def _temp(path: Path, suffix: str, scratch: Path | None = None) -> Path:
    """Where a copy made for ``path`` goes: the load's scratch folder (in the data folder,
    cleared by the next load if this one is killed), else the temp folder."""
    return (scratch or Path(tempfile.gettempdir())) / f"medtrade-{os.getpid()}-{path.stem}{suffix}"


def utf8_copy(path: Path, out: Path | None = None, scratch: Path | None = None
              ) -> tuple[Path, int]:
    """(a UTF-8 file with the same text, its number of lines).

    The path itself when it is UTF-8; else a streamed UTF-8 copy of a GB18030 file (at
    ``out``, by default in the temp folder). Lines
    are counted as line feeds, plus one when the last line has none: the loader compares
    them with the rows DuckDB read, which equal lines - 1 (the header) only when the file
    has no empty line and no line break inside a quoted cell.
    """
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if b"\x00" in head:
        raise UnreadableFile("binary content (NUL bytes), not CSV text: is it another format "
                             "renamed to .csv?")
    utf8 = True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8 = exc.start > len(head) - 4  # a character cut by the end of the sample
    lines, last = 0, b"\n"
    if utf8:
        counted = line_feeds(path)  # counted while the file was hashed (1.2 s at 50M rows)
        if counted:
            lines, last = counted
        else:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(BLOCK), b""):
                    lines += block.count(b"\n")
                    last = block[-1:]
        return path, lines + (last not in (b"\n", b""))
    out = out or _temp(path, ".utf8.csv", scratch)
    try:
        lines, last = gb18030_to_utf8(path, out)
    except NotText as exc:
        raise UnreadableFile(f"not UTF-8 or GB18030 text: {exc}", line=exc.line) from exc
    return out, lines + (last != b"\n")


def numbered_csv_parquet(path: Path, scratch: Path | None = None) -> Path:
    """A UTF-8 CSV as Parquet text columns plus ``source_row`` (the record's first line).

    Empty records are skipped; the first non-empty record is the header; short rows are
    padded with empty cells and long rows cut to the header's width, as the grid reader does.
    """
    out = _temp(path, ".numbered.parquet", scratch)
    writer = None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header: list[str] | None = None
            batch: list[list[str]] = []
            lines: list[int] = []
            previous = 0
            for record in reader:
                first_line, previous = previous + 1, reader.line_num
                cells = [c.strip() for c in record]
                if not any(cells):
                    continue
                if header is None:
                    header = cells
                    schema = pa.schema([*(pa.field(h, pa.string()) for h in header),
                                        pa.field("source_row", pa.int32())])
                    writer = pq.ParquetWriter(out, schema, compression="zstd")
                    continue
                batch.append((cells + [""] * len(header))[:len(header)])
                lines.append(first_line)
                if len(batch) >= BATCH_ROWS:
                    _write(writer, header, batch, lines)
                    batch, lines = [], []
            if header is None:
                raise UnreadableFile("file is empty")
            _write(writer, header, batch, lines)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFile(f"cannot be read as csv: {exc}") from exc
    finally:
        if writer is not None:
            writer.close()
    return out


def _write(writer, header: list[str], batch: list[list[str]], lines: list[int]) -> None:
    columns = list(zip(*batch)) if batch else [[] for _ in header]
    arrays = [pa.array(list(col), pa.string()) for col in columns]
    writer.write_table(pa.Table.from_arrays([*arrays, pa.array(lines, pa.int32())],
                                            names=[*header, "source_row"]))


def text_copy_path(path: Path, scratch: Path | None = None) -> Path:
    """Where the loader keeps a Parquet copy of a large CSV's text while it loads."""
    return _temp(path, ".text.parquet", scratch)
