"""A large file's load says how far DuckDB has got."""
import time

import duckdb

from ingest.customs.progress import bar, query_progress


def test_bar_shows_the_share_done():
    assert bar(40) == "[########------------]  40%"
    assert bar(100, width=4) == "[####] 100%" and bar(-3, width=4) == "[----]   0%"


def test_a_long_scan_reports_rising_percentages(tmp_path):
    conn = duckdb.connect()
    csv = tmp_path / "big.csv"
    conn.execute(f"copy (select range as i, md5(range::varchar) as h from range(4000000)) "
                 f"to '{csv}'")
    said = []
    with query_progress(conn, said.append, "big.csv:", step=10, interval=0.02, quiet=1e6):
        conn.execute(f"create table t as select * from read_csv('{csv}')")
    shares = [int(m.split()[-1].rstrip("%")) for m in said]
    assert shares and shares == sorted(shares) and all(0 < s < 100 for s in shares)
    assert all(m.startswith("big.csv: [") for m in said)
    assert conn.execute("select count(*) from t").fetchone()[0] == 4000000


def test_work_without_an_estimate_still_says_it_is_working():
    """Statements DuckDB gives no estimate for (or the block's Python work) are not silent."""
    conn = duckdb.connect()
    said = []
    with query_progress(conn, said.append, "big.csv: validating", interval=0.02, quiet=0.1):
        time.sleep(0.35)
    assert len(said) >= 2 and all(m.startswith("big.csv: validating: still working (")
                                  for m in said)
