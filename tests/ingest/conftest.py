"""A fresh data folder and build warehouse with the raw schema, for the loader tests."""
import duckdb
import pytest

from ingest.load import ensure_raw_schema
from warehouse.paths import DataPaths


@pytest.fixture
def env(tmp_path):
    paths = DataPaths.from_dir(tmp_path).ensure()
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    yield paths, conn
    conn.close()
