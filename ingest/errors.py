"""Rejected input: what was wrong, where (file, row, column), and how bad."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

REJECT_COLUMNS = ["source", "source_file", "file_hash", "source_row", "column_name",
                  "value", "reason", "severity"]


@dataclass(frozen=True)
class Reject:
    source: str          # customs | yearbook | world
    source_file: str     # path relative to the landing folder
    file_hash: str
    source_row: int | None  # 1-based line (CSV) or sheet row (Excel); None for whole-file problems
    column_name: str | None
    value: str | None
    reason: str
    severity: str = "error"  # error stops the load; warning is reported and skipped

    def message(self) -> str:
        where = self.source_file
        if self.source_row is not None:
            where += f", row {self.source_row}"
        if self.column_name:
            where += f", column '{self.column_name}'"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.reason}{shown}"


def rejects_frame(rejects: list[Reject]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in rejects], columns=REJECT_COLUMNS)


class IngestError(ValueError):
    """A landing file broke the data contract; nothing was loaded from the batch."""

    def __init__(self, rejects: list[Reject], limit: int = 10):
        self.rejects = rejects
        errors = [r for r in rejects if r.severity == "error"]
        lines = [r.message() for r in errors[:limit]]
        more = len(errors) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more (see quality.rejected_rows)")
        super().__init__(f"{len(errors)} rejected input(s):\n  " + "\n  ".join(lines))
