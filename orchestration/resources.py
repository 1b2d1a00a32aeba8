"""Resources: the run's settings (data folder, engine, memory cap) and warehouse connections."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import dagster as dg
import duckdb

from ingest.paths import DataPaths
from ingest.settings import DEFAULT_MEMORY_LIMIT, Settings


class Warehouse(dg.ConfigurableResource):
    """The run's Settings as a Dagster resource (shown in the UI), and connections.

    Connections are opened per step and closed at once: DuckDB allows one writer
    process, and dbt needs the file between Python steps.
    """

    data_dir: str
    engine: str = "duckdb"  # the dbt engine: duckdb or spark (ingest.settings)
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(data_dir=str(settings.data_dir), engine=settings.engine,
                   memory_limit=settings.memory_limit)

    @property
    def settings(self) -> Settings:
        return Settings(self.data_dir, self.engine, self.memory_limit)

    @property
    def paths(self) -> DataPaths:
        return self.settings.paths

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        db = self.paths.build_db
        if not read_only:
            db.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(db), read_only=read_only, config=self.settings.duckdb_config())
        try:
            yield conn
        finally:
            conn.close()
