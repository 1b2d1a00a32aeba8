"""Every DuckDB connection medtrade opens goes through here, with the run's settings.

DuckDB allows one writer process per file, and a connection without a memory cap lets
DuckDB take most of the machine before it spills. So a connection is opened per step and
closed at once, never at import, and always with the run's memory cap
(``Settings.memory_limit``; DuckDB spills to the temp directory beyond it). A database
of None is an in-memory scratch connection (per-file checks, small frames), capped too.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import duckdb

DEFAULT_MEMORY_LIMIT = "1GB"


def connect(database: str | os.PathLike | None = None, *,
            memory_limit: str = DEFAULT_MEMORY_LIMIT,
            read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open `database` (a file, or None for memory) with the memory cap."""
    target = ":memory:" if database is None else str(database)
    return duckdb.connect(target, read_only=read_only, config={"memory_limit": memory_limit})


@contextmanager
def connection(database: str | os.PathLike | None = None, *,
               memory_limit: str = DEFAULT_MEMORY_LIMIT,
               read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """`connect`, closed when the block ends (also when it raises)."""
    conn = connect(database, memory_limit=memory_limit, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()
