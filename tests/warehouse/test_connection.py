"""Memory sizes as DuckDB writes them, and a lower cap for one block of work."""
import pytest

from warehouse.connection import connection, memory_capped, size_bytes
from warehouse.settings import check_memory_limit


def _cap(conn) -> int:
    return size_bytes(conn.execute("select current_setting('memory_limit')").fetchone()[0])


def test_sizes_read_as_duckdb_writes_them():
    assert size_bytes("1GB") == 10**9
    assert size_bytes("953.6 MiB") == int(953.6 * 2**20)
    assert size_bytes(" 512 mb ") == 512 * 10**6
    for bad in ["12", "lots", "1 XB", ""]:
        with pytest.raises(ValueError):
            size_bytes(bad)
        with pytest.raises(ValueError, match="is not a size"):
            check_memory_limit(bad)
    assert check_memory_limit(" 2GiB ") == "2GiB"


def test_a_capped_block_lowers_the_cap_and_restores_it_but_never_raises_it():
    with connection(None, memory_limit="1GB") as conn:
        before = _cap(conn)
        for _ in range(3):  # restoring does not drift
            with memory_capped(conn, "300MB"):
                assert abs(_cap(conn) - 300 * 10**6) < 2**20
            assert abs(_cap(conn) - before) < 2**20
        now = _cap(conn)  # DuckDB shows the cap to 0.1 MiB: restoring may round it once
        with memory_capped(conn, "4GB"):
            assert _cap(conn) == now
        with pytest.raises(RuntimeError):
            with memory_capped(conn, "300MB"):
                raise RuntimeError("the block failed")
        assert abs(_cap(conn) - before) < 2**20
