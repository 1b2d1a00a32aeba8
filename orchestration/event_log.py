"""Dagster's SQLite run history, with its database connections kept open.

Dagster's ``SqliteEventLogStorage`` builds a new SQLAlchemy engine, opens the SQLite file and
throws both away for every statement it runs (``NullPool``), and asks SQLite whether a table
exists before each asset-check event. A medtrade run stores about 1,700 events (each dbt
model and test, each GX check): py-spy found 4.8 s of an unchanged `medtrade run` (26 s)
in storing events, 2.7-3.3 s with this subclass, which keeps one engine, with a small
connection pool, per database file (the index and the most recent runs' files) and
remembers tables once seen. What is stored, where and in which transactions is unchanged:
the same files, the same schema, the same statements, so a data folder written by either
class is read by the other (the UI and `dagster` commands too).

Selected in ``dagster.yaml`` (``event_log_storage``), which the CLI copies into each data
folder's Dagster home with ``base_dir`` set where Dagster keeps event logs by default
(``history/runs`` there), so earlier runs stay in the history.
"""
from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event

from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData

KEPT_SHARDS = 8  # index + recent runs; a long-lived UI process reads many runs' files
# SQLite's write-ahead log is copied into the database every this many pages (SQLite's
# default is 1,000, 4 MB). Dagster's own class closes its connection after each statement,
# which empties the log each time; kept open, the log would hold up to 4 MB beside the
# database, which a nearly full disk may not have.
WAL_PAGES = 25


def _small_wal(dbapi_connection, _record) -> None:
    dbapi_connection.execute(f"pragma wal_autocheckpoint = {WAL_PAGES}")
    dbapi_connection.execute(f"pragma journal_size_limit = {WAL_PAGES * 4096}")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that reuses one engine per database file."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, object] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "PooledSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str):
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(self.conn_string_for_shard(shard),
                                   connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            event.listen(engine, "connect", _small_wal)
            self._engines[shard] = engine
            while len(self._engines) > KEPT_SHARDS:
                _, old = self._engines.popitem(last=False)
                old.dispose()
        else:
            self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables:  # tables are added by migrations, never dropped
            return True
        found = super().has_table(table_name)
        if found:
            self._tables.add(table_name)
        return found

    def wipe(self) -> None:
        with self._db_lock:  # the run files are deleted: close what reads them
            for shard in [s for s in self._engines if s != INDEX_SHARD_NAME]:
                self._engines.pop(shard).dispose()
        super().wipe()

    def upgrade(self) -> None:
        self._tables.clear()
        super().upgrade()

    def dispose(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        super().dispose()
