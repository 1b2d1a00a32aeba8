"""Fit each of the study's Tables 3-10 (METHODOLOGY.md section 6) on the panel mart.

Every function returns a StudyTable: long `estimates` and `stats` frames in the layout of
results.estimates and results.model_stats, plus the column labels for rendering.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from stats.gmm import dynamic_panel_gmm
from stats.gmm_design import GmmInstruments, IvInstruments
from stats.groups import group_difference
from stats.iv import fe_iv
from stats.mediation import mediate
from stats.panel import ModelSpecError
from stats.results import EstimationResult
from stats.study import (CONTROLS, ENTITY, TABLE3, TABLE4, TABLE10, TIME, ModelSpec, fit_fe,
                         with_lags)

MEDIATORS = ("ftrd", "expt", "dexp")
N_BOOT, SEED = 5000, 0


TITLES = {
    "table3": "Baseline: digital economy and resilience",
    "table4": "Robustness",
    "table5": "System GMM (two-step, Windmeijer-corrected SEs)",
    "table6": "Instrumental variable (2SLS)",
    "table7": "Mediation: three-step regressions",
    "table8": "Sobel, Aroian and Goodman tests",
    "table9": "Cluster bootstrap of indirect, direct and total effects",
    "table10": "Heterogeneity: region and pilot-zone period",
}


@dataclass(frozen=True)
class StudyTable:
    table_id: str
    title: str
    columns: list[tuple[str, str]]       # (model_id, label)
    estimates: pd.DataFrame
    stats: pd.DataFrame


def skipped(table_id: str, reason: str) -> StudyTable:
    """A table the data cannot identify (e.g. GMM on a two-year panel): no estimates, a
    'skipped' statistic and the reason as its only column label."""
    stats = pd.DataFrame([(table_id, "skipped", "skipped", 1.0)],
                         columns=["table_id", "model_id", "stat", "value"])
    estimates = pd.DataFrame(columns=["table_id", "model_id", "term", "estimate", "std_error",
                                      "statistic", "p_value", "ci_low", "ci_high"])
    return StudyTable(table_id, TITLES[table_id], [("skipped", f"not estimated: {reason}")],
                      estimates, stats)


def _rows(table_id: str, model_id: str, result: EstimationResult, extra: dict | None = None):
    est = result.to_frame().reset_index()
    est.insert(0, "model_id", model_id)
    est.insert(0, "table_id", table_id)
    stats = {"nobs": result.nobs, **dict(result.fit_stats), **(extra or {})}
    for name, test in result.tests.items():
        stats[f"{name}_statistic"] = test.statistic
        if test.pvalue is not None:
            stats[f"{name}_pvalue"] = test.pvalue
        if isinstance(test.df, (int, float)):
            stats[f"{name}_df"] = test.df
    st = pd.DataFrame({"table_id": table_id, "model_id": model_id, "stat": list(stats),
                       "value": [float(v) for v in stats.values()]})
    return est, st


def _table(table_id, title, fitted, extra_stats=None) -> StudyTable:
    """fitted: list of (model_id, label, result, extra stats dict)."""
    parts = [_rows(table_id, mid, res, extra) for mid, _, res, extra in fitted]
    stats = pd.concat([p[1] for p in parts] + ([extra_stats] if extra_stats is not None else []),
                      ignore_index=True)
    return StudyTable(table_id, title, [(mid, label) for mid, label, _, _ in fitted],
                      pd.concat([p[0] for p in parts], ignore_index=True), stats)


def _effects(spec: ModelSpec) -> dict:
    return {"province_effects": float("entity" in spec.effects),
            "year_effects": float("time" in spec.effects)}


def _fe_table(table_id, title, specs, panel) -> StudyTable:
    """Fit each spec; a spec whose sample cannot identify it (e.g. an empty split on a short
    panel) is skipped and reported as model_stats 'skipped' = 1 rather than failing."""
    fitted, skipped = [], []
    for spec in specs:
        try:
            fitted.append((spec.model_id, spec.label, fit_fe(panel, spec), _effects(spec)))
        except ModelSpecError:
            skipped.append((table_id, spec.model_id, "skipped", 1.0))
    extra = pd.DataFrame(skipped, columns=["table_id", "model_id", "stat", "value"])
    return _table(table_id, title, fitted, extra if skipped else None)


def table3(panel):
    return _fe_table("table3", TITLES["table3"], TABLE3, panel)


def table4(panel):
    return _fe_table("table4", TITLES["table4"], TABLE4, with_lags(panel))


def table5(panel):
    res = dynamic_panel_gmm(panel, "revl", entity=ENTITY, time=TIME,
                            regressors=["L1.revl", "digde", *CONTROLS],
                            gmm=[GmmInstruments("revl", 2, 4, collapse=True)],
                            iv=[IvInstruments(["digde", *CONTROLS])], system=True)
    return _table("table5", TITLES["table5"],
                  [("sys_gmm", "System GMM", res, {"collapse": 1.0})])


def table6(panel):
    both = dict(entity=ENTITY, time=TIME, cluster=ENTITY)
    first = fit_fe(panel, ModelSpec("table6", "first_stage", "First stage", "digde",
                                    ("iv", *CONTROLS)))
    second = fe_iv(panel, "revl", "digde", "iv", list(CONTROLS), small=True, **both)
    fx = {"province_effects": 1.0, "year_effects": 1.0}
    return _table("table6", TITLES["table6"],
                  [("first_stage", "First stage: Digde", first, fx),
                   ("second_stage", "Second stage: Revl", second, fx)])


def mediation_fits(panel, n_boot=N_BOOT, seed=SEED):
    return {m: mediate(panel, "revl", "digde", m, controls=list(CONTROLS), entity=ENTITY,
                       time=TIME, cluster=ENTITY, n_boot=n_boot, seed=seed)
            for m in MEDIATORS}


def table7(fits) -> StudyTable:
    fx = {"province_effects": 1.0, "year_effects": 1.0}
    first = next(iter(fits.values()))
    rows = [("total", "Revl (c)", first.models["total"], fx)]
    for m, r in fits.items():
        rows += [(f"{m}_a", f"{m} (a)", r.models["mediator"], fx),
                 (f"{m}_b", f"Revl (c', b: {m})", r.models["outcome"], fx)]
    return _table("table7", TITLES["table7"], rows)


def table8(fits) -> StudyTable:
    est, stats = [], []
    for m, r in fits.items():
        sobel = r.tests["sobel"]
        est.append({"table_id": "table8", "model_id": m, "term": "indirect",
                    "estimate": r.indirect, "std_error": r.indirect / sobel.statistic,
                    "statistic": sobel.statistic, "p_value": sobel.pvalue,
                    "ci_low": float("nan"), "ci_high": float("nan")})
        for name, t in r.tests.items():
            stats += [("table8", m, f"{name}_z", t.statistic), ("table8", m, f"{name}_pvalue", t.pvalue)]
    return StudyTable("table8", TITLES["table8"], [(m, m) for m in fits],
                      pd.DataFrame(est), pd.DataFrame(stats, columns=["table_id", "model_id",
                                                                      "stat", "value"]))


def table9(fits) -> StudyTable:
    est, stats = [], []
    for m, r in fits.items():
        for term, row in r.boot.iterrows():
            est.append({"table_id": "table9", "model_id": m, "term": term,
                        "estimate": row.estimate, "std_error": row.std_error,
                        "statistic": row.estimate / row.std_error, "p_value": float("nan"),
                        "ci_low": row.pct_low, "ci_high": row.pct_high})
            stats += [("table9", m, f"{term}_bc_low", row.bc_low),
                      ("table9", m, f"{term}_bc_high", row.bc_high)]
        stats += [("table9", m, "share_mediated", r.share_mediated),
                  ("table9", m, "suppression", float(r.suppression)),
                  ("table9", m, "suppression_ratio", r.suppression_ratio),
                  ("table9", m, "n_boot", r.n_boot), ("table9", m, "seed", r.seed)]
    return StudyTable("table9", TITLES["table9"],
                      [(m, m) for m in fits], pd.DataFrame(est),
                      pd.DataFrame(stats, columns=["table_id", "model_id", "stat", "value"]))


def table10(panel) -> StudyTable:
    base = _fe_table("table10", TITLES["table10"], TABLE10, panel)
    kw = dict(controls=list(CONTROLS), entity=ENTITY, time=TIME, cluster=ENTITY)
    tests = []
    for name, mask, labels in (("west_vs_east_central", panel.region3 == "west",
                                ("west", "east_central")),
                               ("post_vs_pre_2015", panel.post_2015, ("post", "pre"))):
        try:
            t = group_difference(panel, "revl", "digde", mask, labels=labels, **kw).test
        except ModelSpecError:
            continue
        tests += [("table10", name, "difference_t", t.statistic),
                  ("table10", name, "difference_pvalue", t.pvalue)]
    extra = pd.DataFrame(tests, columns=["table_id", "model_id", "stat", "value"])
    return StudyTable(base.table_id, base.title, base.columns, base.estimates,
                      pd.concat([base.stats, extra], ignore_index=True))
