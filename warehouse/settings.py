"""The settings of one medtrade run, built once and passed down (never set in os.environ).

The CLI builds a Settings from its options; `dagster dev` builds it from the environment
(`Settings.from_env`, the one place MEDTRADE_* variables are read). Definitions, resources
and the dbt resource receive it; the dbt subprocesses receive `dbt_env()` as their
environment, because profiles.yml reads paths with env_var().
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.connection import DEFAULT_MEMORY_LIMIT, connection, size_bytes
from warehouse.paths import DataPaths

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SPARK_CONF_DIR = DBT_PROJECT_DIR / "spark_conf"
# the dbt installed beside this interpreter from the lock file (PATH may not hold the venv)
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

DATA_DIR_ENV = "MEDTRADE_DATA_DIR"
ENGINE_ENV = "MEDTRADE_ENGINE"
MEMORY_LIMIT_ENV = "MEDTRADE_DUCKDB_MEMORY_LIMIT"
SPARK_THRIFT_ENV = "MEDTRADE_SPARK_THRIFT"
ENGINES = ("duckdb", "spark")
# DEFAULT_MEMORY_LIMIT (warehouse.connection): DuckDB's memory cap for every connection and
# dbt; memory is bounded by this setting, not by the size of the data.


def check_memory_limit(limit: str) -> str:
    """A DuckDB size such as 1GB, 512MB or 2.5GiB (DuckDB's own units)."""
    text = str(limit).strip()
    try:
        size_bytes(text)
    except ValueError:
        raise ValueError(f"memory limit {limit!r} is not a size: write it as DuckDB does, "
                         "e.g. 1GB, 512MB or 2GiB") from None
    return text


def check_thrift(address: str | None) -> str | None:
    """HOST:PORT of a Spark Thrift server, or None (the local session method)."""
    if not address:
        return None
    host, _, port = str(address).strip().rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"Spark Thrift server {address!r}: write it as HOST:PORT, "
                         "e.g. 127.0.0.1:10000")
    return f"{host}:{port}"


def check_engine(engine: str) -> str:
    chosen = engine.strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown engine {chosen!r}: use one of {', '.join(ENGINES)}")
    return chosen


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    engine: str = "duckdb"
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    # the dbt project (models, seeds: the indicator catalogue); a copy with its own index
    # system can stand in for the repository's (tests/orchestration/test_index_system.py)
    dbt_project_dir: Path = DBT_PROJECT_DIR
    # engine spark: HOST:PORT of a Spark Thrift server (`make spark-cluster`), else None for
    # the local session method inside dbt's process
    spark_thrift: str | None = None
    paths: DataPaths = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "data_dir", Path(self.data_dir).resolve())
        object.__setattr__(self, "dbt_project_dir", Path(self.dbt_project_dir).resolve())
        object.__setattr__(self, "engine", check_engine(self.engine))
        object.__setattr__(self, "memory_limit", check_memory_limit(self.memory_limit))
        object.__setattr__(self, "spark_thrift", check_thrift(self.spark_thrift))
        if self.spark_thrift and self.engine != "spark":
            raise ValueError("a Spark Thrift server is used by the spark engine only: "
                             "add --engine spark")
        object.__setattr__(self, "paths", DataPaths(self.data_dir))

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike | None = None, engine: str | None = None,
                 memory_limit: str | None = None, spark_thrift: str | None = None
                 ) -> "Settings":
        """Arguments first, then MEDTRADE_DATA_DIR / MEDTRADE_ENGINE /
        MEDTRADE_DUCKDB_MEMORY_LIMIT / MEDTRADE_SPARK_THRIFT, then the defaults (./data,
        duckdb, 1GB, the session method)."""
        env = os.environ
        return cls(Path(data_dir or env.get(DATA_DIR_ENV) or "data"),
                   engine or env.get(ENGINE_ENV) or "duckdb",
                   memory_limit or env.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT,
                   spark_thrift=spark_thrift or env.get(SPARK_THRIFT_ENV) or None)

    @property
    def dbt_target(self) -> str:
        """The output of profiles.yml: duckdb, spark (session) or spark_thrift."""
        return "spark_thrift" if self.spark_thrift else self.engine

    def connect(self, database: Path | None = None, *, read_only: bool = False):
        """A DuckDB connection with this run's memory cap (warehouse.connection), closed when
        the block ends: the build warehouse by default, another file, or None for memory."""
        return connection(self.paths.build_db if database is None else database,
                          memory_limit=self.memory_limit, read_only=read_only)

    def dbt_env(self) -> dict[str, str]:
        """What profiles.yml reads: the warehouse, lake and Spark paths, the memory cap."""
        paths = self.paths
        env = {"MEDTRADE_BUILD_DB": str(paths.build_db), "MEDTRADE_LAKE": str(paths.lake),
               MEMORY_LIMIT_ENV: self.memory_limit}
        if self.engine == "spark":
            env.update({"MEDTRADE_SPARK_DIR": str(paths.spark_dir),
                        "SPARK_CONF_DIR": str(SPARK_CONF_DIR)})
        if self.spark_thrift:
            host, _, port = self.spark_thrift.rpartition(":")
            env.update({"MEDTRADE_SPARK_HOST": host, "MEDTRADE_SPARK_PORT": port})
        return env
