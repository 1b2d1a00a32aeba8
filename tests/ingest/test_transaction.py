"""A failing write inside a transaction leaves the warehouse as it was and usable."""
import duckdb
import pytest

from ingest.errors import Reject
from ingest.load import ensure_raw_schema
from ingest.partition import record_rejects
from warehouse.transaction import transaction


def test_an_error_rolls_back_and_the_next_transaction_starts(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("create table t (x integer)")
    with pytest.raises(RuntimeError):
        with transaction(conn):
            conn.execute("insert into t values (1)")
            raise RuntimeError("a failed load")
    with transaction(conn):  # would fail inside a transaction left open
        conn.execute("insert into t values (2)")
    assert conn.execute("select list(x) from t").fetchone()[0] == [2]


def test_rejects_that_cannot_be_written_leave_the_earlier_ones(tmp_path):
    from datetime import datetime
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_raw_schema(conn)
    now = datetime(2026, 1, 1)
    old = Reject("customs", "a.csv", "h", 3, "value", "x", "not a number")
    record_rejects(conn, "customs", "2020", [("a.csv", "h")], [old], now)
    with pytest.raises(Exception):
        record_rejects(conn, "customs", "2020", [("a.csv", "h")], ["not a reject"], now)
    rows = conn.execute("select source_row, reason from quality.rejected_rows").fetchall()
    assert rows == [(3, "not a number")]
    record_rejects(conn, "customs", "2020", [("a.csv", "h")], [], now)  # connection usable
    assert conn.execute("select count(*) from quality.rejected_rows").fetchone()[0] == 0
