"""Resources: the run's settings (data folder, engine, memory cap, dbt project) and
warehouse connections."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import dagster as dg
import duckdb

from warehouse.paths import DataPaths
from warehouse.settings import DBT_PROJECT_DIR, DEFAULT_MEMORY_LIMIT, Settings


class Warehouse(dg.ConfigurableResource):
    """The run's Settings as a Dagster resource (shown in the UI), and connections.

    Connections are opened per step and closed at once: DuckDB allows one writer
    process, and dbt needs the file between Python steps.
    """

    data_dir: str
    engine: str = "duckdb"  # the dbt engine: duckdb or spark (warehouse.settings)
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    dbt_project_dir: str = str(DBT_PROJECT_DIR)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(data_dir=str(settings.data_dir), engine=settings.engine,
                   memory_limit=settings.memory_limit,
                   dbt_project_dir=str(settings.dbt_project_dir))

    @property
    def settings(self) -> Settings:
        return Settings(self.data_dir, self.engine, self.memory_limit, self.dbt_project_dir)

    @property
    def paths(self) -> DataPaths:
        return self.settings.paths

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The build warehouse with the run's memory cap (warehouse.connection)."""
        if not read_only:
            self.paths.build_db.parent.mkdir(parents=True, exist_ok=True)
        with self.settings.connect(read_only=read_only) as conn:
            yield conn
