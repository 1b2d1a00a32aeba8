"""Resources: the run's settings (data folder, engine, memory cap, dbt project) and
warehouse connections."""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import Iterator

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from warehouse.lock import DataFolderBusy, data_folder_lock
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
    spark_thrift: str | None = None  # engine spark: HOST:PORT of a Thrift server, else session
    _run_lock: ExitStack | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """A run holds its data folder for its whole length (warehouse.lock): a second run
        on the same folder fails at once, naming the first. The CLI holds it already (the
        lock is re-entrant); a run the UI or the sensor starts takes it here. Sensors and
        schedules, which only read, take no lock."""
        if context.dagster_run is None:
            return
        stack = ExitStack()
        try:
            stack.enter_context(data_folder_lock(
                self.settings.data_dir, f"Dagster run {context.dagster_run.run_id[:8]}"))
        except DataFolderBusy as exc:
            raise dg.Failure(str(exc)) from None
        self._run_lock = stack

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run_lock is not None:
            self._run_lock.close()
            self._run_lock = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(data_dir=str(settings.data_dir), engine=settings.engine,
                   memory_limit=settings.memory_limit,
                   dbt_project_dir=str(settings.dbt_project_dir),
                   spark_thrift=settings.spark_thrift)

    @property
    def settings(self) -> Settings:
        return Settings(self.data_dir, self.engine, self.memory_limit, self.dbt_project_dir,
                        self.spark_thrift)

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
