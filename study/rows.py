"""A study table as rows of the results schema (warehouse.results_schema stores them):

- results.estimates: one row per (table, model, term): estimate, standard error,
  statistic, p-value and interval;
- results.model_stats: one row per (table, model, statistic): N, R2, effects, tests,
  and `skipped` = 1 for what was not estimated;
- results.table_columns: the columns in display order with their labels and the title.
"""
from __future__ import annotations

import pandas as pd

from study.registry import table_spec
from study.tables import StudyTable
from warehouse.results_schema import COLUMN_COLUMNS, ESTIMATE_COLUMNS, STAT_COLUMNS, replace_results


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


MEDIATION_ROWS = {"sobel": _sobel_rows, "bootstrap": _bootstrap_rows}


def table_rows(table: StudyTable) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A StudyTable as (estimates, model_stats, table_columns) rows, in its registry layout.

    What was not estimated is stored one way (study.registry): `skipped` = 1 in model_stats
    and "not estimated: <reason>" as the column's label, after the fitted columns."""
    tid = table.table_id
    spec = table_spec(tid)
    est_parts, stats = [], []
    for column in table.fitted:
        est, st = _fitted_rows(tid, column)
        est_parts.append(est)
        stats += st
    for mediator, r in table.mediation.items():
        est, st = MEDIATION_ROWS[spec.layout](tid, mediator, r)
        est_parts.append(pd.DataFrame(est))
        stats += st
    stats += [(tid, model_id, stat, float(value)) for (model_id, stat), value in table.notes.items()]
    stats += [(tid, model_id, "skipped", 1.0) for model_id in table.skipped]
    estimates = (pd.concat(est_parts, ignore_index=True)[ESTIMATE_COLUMNS] if est_parts
                 else pd.DataFrame(columns=ESTIMATE_COLUMNS))
    shown = [*table.columns, *((m, f"not estimated: {why}") for m, why in table.skipped.items())]
    columns = pd.DataFrame([(tid, i, m, label, spec.title) for i, (m, label) in enumerate(shown)],
                           columns=COLUMN_COLUMNS)
    return estimates, pd.DataFrame(stats, columns=STAT_COLUMNS), columns




def store_table(conn, table: StudyTable) -> pd.DataFrame:
    """Replace the table's rows in results.* (one transaction); returns its estimates."""
    estimates, stats, columns = table_rows(table)
    replace_results(conn, table.table_id, estimates, stats, columns)
    return estimates
