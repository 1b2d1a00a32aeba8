"""The results schema: each study table's rows (study.rows), replaced per table.

Tables: results.estimates (table, model, term), results.model_stats (table, model,
statistic) and results.table_columns (display order, labels, title).
"""
from __future__ import annotations

import duckdb
import pandas as pd

from warehouse.transaction import transaction

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
ESTIMATE_COLUMNS = ["table_id", "model_id", "term", "estimate", "std_error", "statistic",
                    "p_value", "ci_low", "ci_high"]
STAT_COLUMNS = ["table_id", "model_id", "stat", "value"]
COLUMN_COLUMNS = ["table_id", "position", "model_id", "label", "title"]


def replace_results(conn: duckdb.DuckDBPyConnection, table_id: str, estimates: pd.DataFrame,
                    stats: pd.DataFrame, columns: pd.DataFrame) -> None:
    """Delete-then-insert one study table's rows in a single transaction."""
    conn.execute(DDL)
    with transaction(conn):
        for name, frame in (("estimates", estimates), ("model_stats", stats),
                            ("table_columns", columns)):
            conn.execute(f"delete from results.{name} where table_id = ?", [table_id])
            conn.register("incoming", frame)
            conn.execute(f"insert into results.{name} by name select * from incoming")
            conn.unregister("incoming")
