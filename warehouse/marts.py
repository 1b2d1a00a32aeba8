"""Marts read back from the warehouse by the Python steps (study tables, report, benchmarks)."""
from __future__ import annotations

import duckdb
import pandas as pd

PANEL = ("marts", "fct_province_year_panel")


def read_panel(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The province-year panel in a fixed row order (province, year): bootstrap draws and
    GMM instrument blocks follow the rows, so results must not depend on how an engine
    happened to store the table."""
    return conn.execute(f"select * from {'.'.join(PANEL)} order by province_code, year").df()
