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
create table if not exists results.table_columns (
    table_id varchar, position integer, model_id varchar, label varchar, title varchar);
"""


def replace_table_results(conn: duckdb.DuckDBPyConnection, table) -> None:
    """Delete-then-insert one study table's rows (a StudyTable) in a single transaction."""
    columns = pd.DataFrame([(table.table_id, i, m, label, table.title)
                            for i, (m, label) in enumerate(table.columns)],
                           columns=["table_id", "position", "model_id", "label", "title"])
    conn.execute(DDL)
    conn.execute("begin transaction")
    try:
        for name, frame in (("estimates", table.estimates), ("model_stats", table.stats),
                            ("table_columns", columns)):
            conn.execute(f"delete from results.{name} where table_id = ?", [table.table_id])
            conn.register("incoming", frame)
            conn.execute(f"insert into results.{name} by name select * from incoming")
            conn.unregister("incoming")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
