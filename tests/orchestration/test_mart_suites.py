"""The shipped mart suites name the rows they refuse by their keys, not by row numbers."""
import dataclasses

import duckdb
import pandas as pd

from orchestration.assets.checks import failure_lines
from quality.suites import SUITES_DIR, load_suites, run_suite


def _suite(table: str, batch: str):
    suite = next(s for s in load_suites(SUITES_DIR) if s.table == table)
    return dataclasses.replace(suite, table="main.t",
                               batches=[b for b in suite.batches if b["name"] == batch])


def test_a_panel_row_without_its_hhi_is_named_by_province_and_year():
    """A province-year with no healthcare exports has no HHI: the panel check says which."""
    panel = pd.DataFrame({"province_code": ["110000", "540000"], "year": [2020, 2020],
                          "region3": ["east", "west"]})
    for column in ("revl", "digde", "digde_new", "ftrd", "expt", "dexp", "hc", "iv"):
        panel[column] = 0.5
    panel.loc[1, "dexp"] = None
    conn = duckdb.connect()
    conn.register("frame", panel)
    conn.execute("create table main.t as select * from frame")
    result = run_suite(conn, _suite("marts.fct_province_year_panel", "rows"))
    (failed,) = result.failures()
    assert failed["kwargs"]["column"] == "dexp" and failed["unexpected_count"] == 1
    (example,) = failed["examples"]
    assert example.endswith("province_code 540000, year 2020")
    assert "province_code 540000, year 2020" in "\n".join(failure_lines(result))
