"""The study's tables, one entry each: what the assets fit, the results store keeps and
the report draws. Adding a table is one entry here plus its fitting function
(study.tables).

- `fit`: how the table is fitted. "panel" tables are functions of the panel mart; the
  "mediation" tables are functions of one shared set of mediation fits (the bootstrap
  draws are drawn once for Tables 7-9), fitted together in one step.
- `layout`: how its rows are laid out in results.* (study.rows) and drawn (report.render):
  "regression" (a column per model: coefficients, N, R2, effects, tests), "sobel" and
  "bootstrap" (a row per mediator).
- Skipped: what the data cannot identify is never an error of the run. A model whose
  sample cannot identify it (a split with too few provinces) is left out of its table with
  the reason; a table that cannot be fitted at all (GMM on a panel too short for its lags,
  mediation without variation) keeps its place with the reason. Both are stored the same
  way: a `skipped` = 1 row in results.model_stats and the reason as the model's label in
  results.table_columns (model_id "table" for the whole table).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

N_BOOT, SEED = 5000, 0             # Table 9: cluster bootstrap of the mediation effects
WCB_DRAWS, WCB_SEED = 9999, 0      # Table 3 (4): wild cluster bootstrap of Digde
# the tests of differences between groups in Table 10, as the report names them
GROUP_TESTS = {"west_vs_east_central": "West vs east and central",
               "post_vs_pre_2015": "2015 on vs before 2015"}


@dataclass(frozen=True)
class TableSpec:
    table_id: str
    asset: str          # the Dagster asset results/<asset>
    title: str          # as printed in the report
    description: str    # the asset's description in the UI
    fit: str            # "panel" or "mediation"
    fitted_by: str      # its function in study.tables: panel (or mediation fits) -> StudyTable
    layout: str = "regression"
    note: str | None = None  # under the table; None: the study's standard note

    @property
    def build(self) -> Callable:
        """The fitting function; the estimators (scipy) are imported when a table is
        fitted, not when the definitions load."""
        from study import tables
        return getattr(tables, self.fitted_by)


TABLES = (
    TableSpec("table3", "table3_baseline", "Baseline: digital economy and resilience",
              "Table 3, baseline: Revl on Digde with province and/or year effects, with and "
              "without controls.", "panel", "table3"),
    TableSpec("table4", "table4_robustness", "Robustness",
              "Table 4, robustness: Digde_new (PCA) instead of Digde; Eco added; Digde lagged "
              "one year.", "panel", "table4"),
    TableSpec("table4b", "table4b_inference", "Inference: common shocks and few clusters",
              "Table 4b: Digde of Table 3 (4) with Driscoll-Kraay and two-way (province and "
              "year) clustered standard errors next to the province-clustered ones.",
              "panel", "table4b",
              note="Standard errors in parentheses: (1) clustered by province (reghdfe "
                   "scaling, t(G-1)); (2) Driscoll-Kraay, Bartlett weights, xtscc's lag rule "
                   "and small-sample factor, t(T-1); (3) clustered by province and year "
                   "(Cameron-Gelbach-Miller; reghdfe's factor from the smaller number of "
                   "clusters, t(G_min-1)). *** p<0.01, ** p<0.05, * p<0.1."),
    TableSpec("table5", "table5_system_gmm", "System GMM (two-step, Windmeijer-corrected SEs)",
              "Table 5, system GMM (two-step, Windmeijer SEs, collapsed instruments): AR(1), "
              "AR(2), Hansen, Sargan.", "panel", "table5"),
    TableSpec("table6", "table6_iv", "Instrumental variable (2SLS)",
              "Table 6, 2SLS of Revl on Digde instrumented by Iv, both effects partialled out, "
              "with ivreg2's first-stage diagnostics.", "panel", "table6"),
    TableSpec("table7", "table7_mediation", "Mediation: three-step regressions",
              "Table 7, three-step mediation for Ftrd, Expt and Dexp (c, a, c' and b).",
              "mediation", "table7"),
    TableSpec("table8", "table8_sobel", "Sobel, Aroian and Goodman tests",
              "Table 8, Sobel, Aroian and Goodman tests.", "mediation", "table8", "sobel"),
    TableSpec("table9", "table9_bootstrap", "Cluster bootstrap of indirect, direct and total "
              "effects", f"Table 9, cluster bootstrap (B = {N_BOOT}, seed "
              f"{SEED}): percentile and bias-corrected intervals, share mediated.",
              "mediation", "table9", "bootstrap"),
    TableSpec("table10", "table10_heterogeneity", "Heterogeneity: region and pilot-zone period",
              "Table 10, heterogeneity: east+central vs west, before 2015 vs 2015 on, with "
              "tests of the difference.", "panel", "table10"),
)
FITS = ("panel", "mediation")
LAYOUTS = ("regression", "sobel", "bootstrap")
_BY_ID = {t.table_id: t for t in TABLES}


def table_spec(table_id: str) -> TableSpec:
    try:
        return _BY_ID[table_id]
    except KeyError:
        raise KeyError(f"no study table {table_id!r}: the registry has "
                       f"{', '.join(_BY_ID)}") from None


def fitted_by(fit: str) -> list[TableSpec]:
    return [t for t in TABLES if t.fit == fit]
