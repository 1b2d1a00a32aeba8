"""The results schema: estimates and model statistics, replaced per table."""
from __future__ import annotations

import duckdb
import pandas as pd

DDL = """
create schema if not exists results;
create table if not exists results.estimates (
    table_id varchar, model_id varchar, term varchar, estimate double, std_error double,
    statistic double, p_value double, ci_low double, ci_high double);
create table if not exists results.model_stats (
    table_id varchar, model_id varchar, stat varchar, value double);
"""


def replace_table_results(conn: duckdb.DuckDBPyConnection, table_id: str,
                          estimates: pd.DataFrame, stats: pd.DataFrame) -> None:
    """Delete-then-insert one study table's rows in a single transaction."""
    conn.execute(DDL)
    conn.execute("begin transaction")
    try:
        for name, frame in (("estimates", estimates), ("model_stats", stats)):
            conn.execute(f"delete from results.{name} where table_id = ?", [table_id])
            conn.register("incoming", frame)
            conn.execute(f"insert into results.{name} by name select * from incoming")
            conn.unregister("incoming")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
