"""Where medtrade keeps its files.

Everything lives under one data folder (default ``data/`` in the working directory,
overridden by ``--data-dir`` or ``MEDTRADE_DATA_DIR``)::

    landing/    files users drop (customs/<year>/, yearbook/, world/)
    warehouse/  build.duckdb (written by runs) and medtrade.duckdb (published, for analysts)
    report/     rendered tables, figures and the HTML report
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
DATA_DIR_ENV = "MEDTRADE_DATA_DIR"


MEMORY_LIMIT_ENV = "MEDTRADE_DUCKDB_MEMORY_LIMIT"


def duckdb_config() -> dict[str, str]:
    """Settings for warehouse connections: the memory cap (DuckDB spills beyond it)."""
    limit = os.environ.get(MEMORY_LIMIT_ENV)
    return {"memory_limit": limit} if limit else {}


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def from_dir(cls, data_dir: str | os.PathLike | None = None) -> "DataPaths":
        return cls(Path(data_dir).resolve() if data_dir else default_data_dir())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def customs(self) -> Path:
        return self.landing / "customs"

    @property
    def yearbook(self) -> Path:
        return self.landing / "yearbook"

    @property
    def world(self) -> Path:
        return self.landing / "world"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def build_db(self) -> Path:
        """The copy runs write to; analysts never open it."""
        return self.warehouse_dir / "build.duckdb"

    @property
    def published_db(self) -> Path:
        """The validated copy analysts query (replaced atomically by publish)."""
        return self.warehouse_dir / "medtrade.duckdb"

    @property
    def report(self) -> Path:
        return self.root / "report"

    def ensure(self) -> "DataPaths":
        for folder in (self.landing, self.warehouse_dir, self.report):
            folder.mkdir(parents=True, exist_ok=True)
        return self
