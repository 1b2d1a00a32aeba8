"""Where medtrade keeps its files.

Everything lives under one data folder (default ``data/`` in the working directory,
overridden by ``--data-dir`` or ``MEDTRADE_DATA_DIR``)::

    landing/    files users drop (customs/<year>/, yearbook/, world/)
    warehouse/  build/medtrade.duckdb (written by runs) and medtrade.duckdb (published, for
                analysts); both files have the same name so views, which DuckDB stores
                with the file's catalog name, work in the published copy
    report/     rendered tables, figures and the HTML report
    lake/       Parquet files: raw tables for the Spark engine (raw/<table>/year=<y>/) and
                the PCA composites (composites/<table>/), read by dbt on either engine
    spark/      the local Spark engine's table files and metastore (engine spark only)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
DATA_DIR_ENV = "MEDTRADE_DATA_DIR"


MEMORY_LIMIT_ENV = "MEDTRADE_DUCKDB_MEMORY_LIMIT"
ENGINE_ENV = "MEDTRADE_ENGINE"
ENGINES = ("duckdb", "spark")


def active_engine(engine: str | None = None) -> str:
    """The transform engine: the argument, else MEDTRADE_ENGINE, else duckdb."""
    chosen = (engine or os.environ.get(ENGINE_ENV) or "duckdb").strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown engine {chosen!r}: use one of {', '.join(ENGINES)}")
    return chosen


# DuckDB's memory cap for every warehouse connection and dbt: memory is bounded by this
# setting, not by the size of the data (DuckDB spills to disk beyond it).
DEFAULT_MEMORY_LIMIT = "1GB"


def duckdb_config() -> dict[str, str]:
    """Settings for warehouse connections: the memory cap (DuckDB spills beyond it)."""
    return {"memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT}


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
        return self.warehouse_dir / "build" / "medtrade.duckdb"

    @property
    def published_db(self) -> Path:
        """The validated copy analysts query (replaced atomically by publish)."""
        return self.warehouse_dir / "medtrade.duckdb"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def spark_dir(self) -> Path:
        return self.root / "spark"

    @property
    def hash_cache(self) -> Path:
        """SHA-256 of the landing files, by file version (ingest.hash_cache)."""
        return self.warehouse_dir / "landing_hashes.json"

    @property
    def report(self) -> Path:
        return self.root / "report"

    def ensure(self) -> "DataPaths":
        for folder in (self.landing, self.warehouse_dir, self.build_db.parent, self.report):
            folder.mkdir(parents=True, exist_ok=True)
        return self
