"""Where medtrade keeps its files.

Everything lives under one data folder (default ``data/`` in the working directory,
``--data-dir`` or ``MEDTRADE_DATA_DIR``; warehouse.settings)::

    landing/    files users drop (customs/<year>/, yearbook/, world/)
    warehouse/  build/medtrade.duckdb (written by runs) and medtrade.duckdb (published, for
                analysts); both files have the same name so views, which DuckDB stores
                with the file's catalog name, work in the published copy
    report/     rendered tables, figures and the HTML report
    lake/       Parquet files: the customs rows (raw/customs_exports/year=<y>/), the other
                raw tables and the PCA composites for the Spark engine
    spark/      the local Spark engine's table files and metastore (engine spark only)
    dagster/    Dagster's run history of this data folder (DAGSTER_HOME)
    logs/       the full log of each `medtrade run` / `medtrade load`
    dbt/        dbt's artifacts of the latest invocations and its parse cache
    tmp/        temporary copies a load makes while it reads files (removed when it ends;
                what a killed load left is removed by the next one)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def from_dir(cls, data_dir: str | os.PathLike) -> "DataPaths":
        return cls(Path(data_dir).resolve())

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
    def scratch(self) -> Path:
        return self.root / "tmp"

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

    @property
    def dagster_home(self) -> Path:
        """Dagster's run history for this data folder (DAGSTER_HOME of its runs and UI)."""
        return self.root / "dagster"

    @property
    def dbt_work(self) -> Path:
        """dbt's target folders of this data folder's runs and its parse cache."""
        return self.root / "dbt"

    @property
    def logs(self) -> Path:
        """One full log file per `medtrade run` / `medtrade load`."""
        return self.root / "logs"

    def ensure(self) -> "DataPaths":
        for folder in (self.landing, self.warehouse_dir, self.build_db.parent, self.report):
            folder.mkdir(parents=True, exist_ok=True)
        return self
