"""The results schema: each study table's estimates and statistics, replaced per table.

stats.study_tables fits the tables; this module lays them out for storage:
- results.estimates: one row per (table, model, term): estimate, standard error,
  statistic, p-value and interval;
- results.model_stats: one row per (table, model, statistic): N, R2, effects, tests;
- results.table_columns: the columns in display order with their labels and the title.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ingest.transaction import transaction

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


def _fitted_rows(table_id: str, column) -> tuple[pd.DataFrame, list[tuple]]:
    """One regression column: its coefficient rows and its statistics (N, fit, tests)."""
    result = column.result
    est = result.to_frame().reset_index()
    est.insert(0, "model_id", column.model_id)
    est.insert(0, "table_id", table_id)
    stats = {"nobs": result.nobs, **dict(result.fit_stats), **column.extra}
    for name, test in result.tests.items():
        stats[f"{name}_statistic"] = test.statistic
        if test.pvalue is not None:
            stats[f"{name}_pvalue"] = test.pvalue
        if isinstance(test.df, (int, float)):
            stats[f"{name}_df"] = test.df
    return est, [(table_id, column.model_id, k, float(v)) for k, v in stats.items()]


def _sobel_rows(table_id: str, mediator: str, r) -> tuple[list[dict], list[tuple]]:
    """Table 8: the indirect effect with the Sobel z; every test's z and p."""
    sobel = r.tests["sobel"]
    est = [{"table_id": table_id, "model_id": mediator, "term": "indirect",
            "estimate": r.indirect, "std_error": r.indirect / sobel.statistic,
            "statistic": sobel.statistic, "p_value": sobel.pvalue,
            "ci_low": float("nan"), "ci_high": float("nan")}]
    stats = []
    for name, t in r.tests.items():
        stats += [(table_id, mediator, f"{name}_z", t.statistic),
                  (table_id, mediator, f"{name}_pvalue", t.pvalue)]
    return est, stats


def _bootstrap_rows(table_id: str, mediator: str, r) -> tuple[list[dict], list[tuple]]:
    """Table 9: each effect with its bootstrap SE and percentile interval; bias-corrected
    bounds, share mediated (or suppression), B and the seed as statistics."""
    est, stats = [], []
    for term, row in r.boot.iterrows():
        est.append({"table_id": table_id, "model_id": mediator, "term": term,
                    "estimate": row.estimate, "std_error": row.std_error,
                    "statistic": row.estimate / row.std_error, "p_value": float("nan"),
                    "ci_low": row.pct_low, "ci_high": row.pct_high})
        stats += [(table_id, mediator, f"{term}_bc_low", row.bc_low),
                  (table_id, mediator, f"{term}_bc_high", row.bc_high)]
    stats += [(table_id, mediator, "share_mediated", r.share_mediated),
              (table_id, mediator, "suppression", float(r.suppression)),
              (table_id, mediator, "suppression_ratio", r.suppression_ratio),
              (table_id, mediator, "n_boot", r.n_boot), (table_id, mediator, "seed", r.seed)]
    return est, stats


MEDIATION_ROWS = {"table8": _sobel_rows, "table9": _bootstrap_rows}


def table_rows(table) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A StudyTable as (estimates, model_stats, table_columns) rows."""
    tid = table.table_id
    est_parts, stats = [], []
    if table.skipped_reason is not None:
        stats.append((tid, "skipped", "skipped", 1.0))
    for column in table.fitted:
        est, st = _fitted_rows(tid, column)
        est_parts.append(est)
        stats += st
    for mediator, r in table.mediation.items():
        est, st = MEDIATION_ROWS[tid](tid, mediator, r)
        est_parts.append(pd.DataFrame(est))
        stats += st
    stats += [(tid, model_id, stat, float(value)) for (model_id, stat), value in table.notes.items()]
    estimates = (pd.concat(est_parts, ignore_index=True)[ESTIMATE_COLUMNS] if est_parts
                 else pd.DataFrame(columns=ESTIMATE_COLUMNS))
    columns = pd.DataFrame([(tid, i, m, label, table.title)
                            for i, (m, label) in enumerate(table.columns)],
                           columns=["table_id", "position", "model_id", "label", "title"])
    return estimates, pd.DataFrame(stats, columns=STAT_COLUMNS), columns


def replace_table_results(conn: duckdb.DuckDBPyConnection, table) -> pd.DataFrame:
    """Delete-then-insert one study table's rows in a single transaction; returns its
    estimates (for the asset's metadata)."""
    estimates, stats, columns = table_rows(table)
    conn.execute(DDL)
    with transaction(conn):
        for name, frame in (("estimates", estimates), ("model_stats", stats),
                            ("table_columns", columns)):
            conn.execute(f"delete from results.{name} where table_id = ?", [table.table_id])
            conn.register("incoming", frame)
            conn.execute(f"insert into results.{name} by name select * from incoming")
            conn.unregister("incoming")
    return estimates
