"""Resources: where the data live and how the warehouse is opened."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import dagster as dg
import duckdb

from ingest.paths import DataPaths, duckdb_config
from orchestration.engine import dbt_env


class Warehouse(dg.ConfigurableResource):
    """The data folder (landing files, build and published warehouses, report).

    Connections are opened per step and closed at once: DuckDB allows one writer
    process, and dbt needs the file between Python steps.
    """

    data_dir: str
    engine: str = "duckdb"  # the dbt engine: duckdb or spark (orchestration.engine)

    @property
    def paths(self) -> DataPaths:
        return DataPaths.from_dir(self.data_dir).ensure()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = duckdb.connect(str(self.paths.build_db), read_only=read_only,
                              config=duckdb_config())
        try:
            yield conn
        finally:
            conn.close()

    def dbt_env(self) -> dict[str, str]:
        return dbt_env(self.paths, self.engine)
