"""The streamed customs path through the product's command: a CSV above the streaming
threshold goes through `medtrade run` and publishes with every line number; the same files
in a new data folder give bit-identical marts and results; publishing links raw files."""
import os
import shutil

import pandas as pd
import pytest

import ingest.customs.source as customs_source
from benchmarks.large_customs import write_large_customs
from tests.orchestration.helpers import medtrade
from warehouse.connection import connect

pytestmark = pytest.mark.e2e
ROWS = 470_000  # about 17.5 MB of CSV: above ingest.customs.source.STREAM_BYTES



@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-size")
    assert medtrade(root, "demo-data", "--years", "2021-2022").returncode == 0
    year = root / "landing" / "customs" / "2022"
    shutil.rmtree(year)
    year.mkdir()
    big = year / "customs_2022_large.csv"
    write_large_customs(big, ROWS, 2022, "csv")
    assert big.stat().st_size > customs_source.STREAM_BYTES
    ran = medtrade(root, "run")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    conn = connect(root / "warehouse" / "medtrade.duckdb", read_only=True)
    yield root, big, conn
    conn.close()


def test_a_streamed_csv_publishes_with_every_line_number(big_run):
    root, big, conn = big_run
    n, numbered, first, last, distinct = conn.execute(
        "select count(*), count(source_row), min(source_row), max(source_row), "
        "count(distinct source_row) from raw.customs_exports where year = 2022").fetchone()
    assert (n, numbered, first, last, distinct) == (ROWS, ROWS, 2, ROWS + 1, ROWS)
    lines = big.read_text(encoding="utf-8").splitlines()
    for line_no in (2, 123_457, ROWS + 1):
        period, region, hs, partner, mode, value = lines[line_no - 1].split(",")
        row = conn.execute("select month, region_code, hs_code, partner, trade_mode, value "
                           "from raw.customs_exports where year = 2022 and source_row = ?",
                           [line_no]).fetchone()
        assert row[:5] == (int(period[4:]), region, hs, partner, mode)
        assert float(row[5]) == float(value)


def test_publishing_links_the_raw_files_instead_of_copying_them(big_run):
    root, _, conn = big_run
    assert conn.execute("select table_type from information_schema.tables where "
                        "table_schema = 'raw' and table_name = 'customs_exports'"
                        ).fetchone()[0] == "VIEW"
    lake = sorted((root / "lake" / "raw" / "customs_exports").rglob("*.parquet"))
    published = sorted((root / "warehouse" / "raw" / "customs_exports").rglob("*.parquet"))
    assert [p.relative_to(p.parents[1]) for p in lake] == \
           [p.relative_to(p.parents[1]) for p in published]
    assert all(os.stat(a).st_ino == os.stat(b).st_ino for a, b in zip(lake, published))
    assert conn.execute("select count(*) from duckdb_tables() where table_name = "
                        "'customs_exports'").fetchone()[0] == 0  # no copy of the rows
    build = root / "warehouse" / "build" / "medtrade.duckdb"
    assert (root / "warehouse" / "medtrade.duckdb").stat().st_size < build.stat().st_size + (1 << 20)


def _tables(conn, schema):
    return [t for (t,) in conn.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_type = 'BASE TABLE' order by 1", [schema]).fetchall()]


def assert_bit_identical(first, second) -> None:
    for schema in ("marts", "results"):
        assert _tables(first, schema) == _tables(second, schema)
        for table in _tables(first, schema):
            sql = f'select * from {schema}."{table}"'
            a, b = first.execute(sql).df(), second.execute(sql).df()
            keys = list(a.columns)
            a = a.sort_values(keys, ignore_index=True, na_position="first")
            b = b.sort_values(keys, ignore_index=True, na_position="first")
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f"{schema}.{table}")


def _published(root):
    return connect(root / "warehouse" / "medtrade.duckdb", read_only=True)


def test_the_same_files_give_bit_identical_marts_and_results(big_run, tmp_path):
    root, _, first = big_run
    again = tmp_path / "again"
    shutil.copytree(root / "landing", again / "landing")
    ran = medtrade(again, "run")
    assert ran.returncode == 0, ran.stderr[-3000:]
    second = _published(again)
    try:
        assert_bit_identical(first, second)
    finally:
        second.close()


def test_reloading_a_revised_year_equals_a_fresh_build(big_run, tmp_path):
    """The incremental path (one year re-aggregated) gives the same bits as building every
    year from scratch on the same files."""
    root = big_run[0]
    incremental, fresh = tmp_path / "incremental", tmp_path / "fresh"
    shutil.copytree(root, incremental, ignore=shutil.ignore_patterns("*.wal"))
    revised = incremental / "landing" / "customs" / "2021" / "synthetic_customs_exports_2021.parquet"
    frame = pd.read_parquet(revised)
    frame.iloc[::7].to_parquet(revised, index=False)  # a revised release: fewer rows
    ran = medtrade(incremental, "load", "--years", "2021")
    assert ran.returncode == 0, ran.stderr[-3000:]
    log = max((incremental / "logs").glob("run-*.log"), key=lambda p: p.stat().st_mtime)
    # dbt's lines are in the run's full log: only the revised year was re-aggregated
    assert "years to rebuild 2021" in log.read_text(encoding="utf-8")
    shutil.copytree(incremental / "landing", fresh / "landing")
    ran = medtrade(fresh, "run")
    assert ran.returncode == 0, ran.stderr[-3000:]
    a, b = _published(incremental), _published(fresh)
    try:
        assert_bit_identical(a, b)
    finally:
        a.close()
        b.close()
