"""Read landing files into rows of text, keeping the line numbers users see.

Every cell is kept as text: HS codes keep their leading zeros and numbers are parsed
later, where a bad one can be reported with its row and column.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest.transcode import NotText
from warehouse.faults import machine_fault

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312
TABLE_SUFFIXES = {".csv", ".xlsx", ".xls", ".parquet"}


class UnreadableFile(ValueError):
    """The file cannot be read as the format its extension claims; ``line``: where, when
    one line is to blame (1-based)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# (path, its signature) -> (line feeds, last byte) of each file hashed by this process: the
# loader's line check of a large CSV reads them instead of the file again
_LINE_FEEDS: dict[tuple, tuple[int, bytes]] = {}


def file_signature(path: Path) -> tuple[int, int, int, int]:
    """(size, modification time, change time, inode): any write to the file changes it (a
    user or a copy tool can set the modification time back, not the change time)."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _signature(path: Path) -> tuple:
    return str(path.resolve()), *file_signature(path)


def file_sha256(path: Path) -> str:
    """The file's SHA-256; its line feeds are counted in the same read (``line_feeds``)."""
    digest, feeds, last = hashlib.sha256(), 0, b""
    signature = _signature(path)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            feeds += block.count(b"\n")
            last = block[-1:]
    _LINE_FEEDS[signature] = (feeds, last)
    return digest.hexdigest()


def line_feeds(path: Path) -> tuple[int, bytes] | None:
    """(line feeds, last byte) of the file as ``file_sha256`` read it in this process, if it
    has not changed since (same size, times and inode); else None."""
    return _LINE_FEEDS.get(_signature(path))


def decode_text(raw: bytes) -> str:
    if b"\x00" in raw[:65536]:
        raise UnreadableFile("binary content (NUL bytes), not CSV text: is it another format "
                             "renamed to .csv?")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            failed = NotText.in_text(raw, exc)  # the last one tried (GB18030) is named
    raise UnreadableFile(f"not UTF-8 or GB18030/GBK text: {failed}", line=failed.line)


@dataclass(frozen=True)
class Grid:
    """Cells of a file as text; ``line_numbers[i]`` is the 1-based row of ``rows[i]``."""
    rows: list[list[str]]
    line_numbers: list[int]


def read_grid(path: Path) -> Grid:
    """All non-empty rows of a CSV, Excel or Parquet file, no header assumed."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = decode_text(path.read_bytes())
            raw_rows = list(csv.reader(io.StringIO(text)))
        elif suffix in (".xlsx", ".xls"):
            engine = "openpyxl" if suffix == ".xlsx" else "xlrd"
            frame = pd.read_excel(path, header=None, dtype=str, engine=engine,
                                  keep_default_na=False)
            raw_rows = frame.fillna("").to_numpy().tolist()
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
            raw_rows = [list(map(str, frame.columns))]
            raw_rows += frame.astype("string").fillna("").to_numpy().tolist()
        else:
            raise UnreadableFile(f"unsupported file type '{suffix}'")
    except UnreadableFile:
        raise
    except Exception as exc:  # a truncated xlsx, a PDF renamed .csv, ...
        if machine_fault(exc):  # ... but not a full disk or memory
            raise
        raise UnreadableFile(f"cannot be read as {suffix[1:]}: {exc}") from exc
    rows, numbers = [], []
    for number, row in enumerate(raw_rows, start=1):
        cells = [str(c).strip() for c in row]
        if any(cells):
            rows.append(cells)
            numbers.append(number)
    return Grid(rows, numbers)


def grid_to_frame(grid: Grid, header_index: int) -> pd.DataFrame:
    """Rows below ``header_index`` as a DataFrame of text with a ``source_row`` column."""
    header = [h.strip().lstrip("\ufeff") for h in grid.rows[header_index]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in grid.rows[header_index + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype="string")
    frame["source_row"] = grid.line_numbers[header_index + 1:]
    return frame


def landing_files(folder: Path, suffixes=TABLE_SUFFIXES) -> list[Path]:
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes
                  and not p.name.startswith((".", "~$")))
