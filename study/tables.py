"""Fit each of the study's Tables 3-10 (docs/methodology.md section 6) on the panel mart.

Every function returns a StudyTable of fitted objects: its regression columns (an
EstimationResult each, with extra statistics such as the fixed-effect rows), or its
mediation results (Tables 8 and 9), plus table-level statistics and what was not
estimated. study.registry names each table; study.rows lays a table out for storage.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from stats.gmm import dynamic_panel_gmm
from stats.gmm_design import GmmInstruments, IvInstruments
from stats.groups import group_difference
from stats.iv import fe_iv
from stats.mediation import MediationResult, mediate
from stats.fe import fe_ols
from stats.panel import ModelSpecError
from stats.poolability import poolability_test
from stats.results import EstimationResult
from stats.wild_bootstrap import wild_cluster_bootstrap
from study.registry import N_BOOT, SEED, WCB_DRAWS, WCB_SEED
from study.specs import (CONTROLS, ENTITY, TABLE3, TABLE4, TABLE10, TIME, ModelSpec, fit_fe,
                         with_lags)

MEDIATORS = ("ftrd", "expt", "dexp")



@dataclass(frozen=True)
class FittedColumn:
    model_id: str
    label: str
    result: EstimationResult
    extra: dict = field(default_factory=dict)  # statistics shown with the column


@dataclass(frozen=True)
class StudyTable:
    table_id: str
    columns: list[tuple[str, str]]                 # (model_id, label), in display order
    fitted: list[FittedColumn] = field(default_factory=list)
    mediation: dict[str, MediationResult] = field(default_factory=dict)  # Tables 8, 9
    # further statistics: (model_id, stat) -> value, e.g. a difference test
    notes: dict[tuple[str, str], float] = field(default_factory=dict)
    # what the data could not identify: model_id -> reason (WHOLE_TABLE: the whole table)
    skipped: dict[str, str] = field(default_factory=dict)


WHOLE_TABLE = "table"


def skipped(table_id: str, reason: str) -> StudyTable:
    """A table the data cannot identify (e.g. GMM on a two-year panel): no estimates, and
    the reason."""
    return StudyTable(table_id, [], skipped={WHOLE_TABLE: reason})


def _table(table_id, fitted: list[FittedColumn], notes=None, skipped=None) -> StudyTable:
    return StudyTable(table_id, [(f.model_id, f.label) for f in fitted], fitted,
                      notes=notes or {}, skipped=skipped or {})


def _effects(spec: ModelSpec) -> dict:
    return {"province_effects": float("entity" in spec.effects),
            "year_effects": float("time" in spec.effects)}


def _fe_table(table_id, specs, panel) -> StudyTable:
    """Fit each spec; a spec whose sample cannot identify it (e.g. an empty split on a short
    panel) is left out with its reason rather than failing the table."""
    fitted, left_out = [], {}
    for spec in specs:
        try:
            fitted.append(FittedColumn(spec.model_id, spec.label, fit_fe(panel, spec),
                                       _effects(spec)))
        except ModelSpecError as exc:
            left_out[spec.model_id] = f"{spec.label}: {exc}"
    return _table(table_id, fitted, skipped=left_out)


def table3(panel):
    """Tables 3's four columns; column (4) also carries the wild cluster bootstrap of
    Digde (31 province clusters: the clustered t over-rejects with so few)."""
    table = _fe_table("table3", TABLE3, panel)
    fitted = []
    for column in table.fitted:
        if column.model_id == "col4":
            spec = next(s for s in TABLE3 if s.model_id == "col4")
            wcb = wild_cluster_bootstrap(spec.data(panel), spec.y, list(spec.x), "digde",
                                         cluster=ENTITY, entity=ENTITY, time=TIME,
                                         effects=spec.effects, draws=WCB_DRAWS, seed=WCB_SEED)
            column = FittedColumn(column.model_id, column.label, column.result,
                                  {**column.extra, "wcb_pvalue": wcb.pvalue,
                                   "wcb_ci_low": wcb.conf_int[0],
                                   "wcb_ci_high": wcb.conf_int[1],
                                   "wcb_draws": float(wcb.draws), "wcb_seed": float(WCB_SEED)})
        fitted.append(column)
    return _table("table3", fitted, skipped=table.skipped)


def table4b(panel):
    """Digde in Table 3's column (4) under the inference a referee asks for with 31
    provinces and shocks shared within a year: clustered by province (as Table 3),
    Driscoll-Kraay (xtscc's lag rule and small-sample factor), and clustered by province
    and year (reghdfe's factor from the smaller number of clusters)."""
    spec = next(s for s in TABLE3 if s.model_id == "col4")
    data, x = spec.data(panel), list(spec.x)
    kw = dict(entity=ENTITY, time=TIME, effects=spec.effects)
    fx = _effects(spec)
    fits = [("clustered", "Clustered by province", fit_fe(panel, spec)),
            ("driscoll_kraay", "Driscoll-Kraay", fe_ols(data, spec.y, x, cov_type="kernel", **kw)),
            ("two_way", "Clustered by province and year",
             fe_ols(data, spec.y, x, cluster=[ENTITY, TIME], **kw))]
    # Digde only: the controls' two-way variances can be negative (the CGM sum is not
    # always positive semidefinite), and the table is about Digde's inference
    return _table("table4b", [FittedColumn(m, label, _only(res, ["digde"]), fx)
                              for m, label, res in fits])


def _only(result: EstimationResult, terms: list[str]) -> EstimationResult:
    return replace(result, params=result.params[terms], cov=result.cov.loc[terms, terms])


def table4(panel):
    return _fe_table("table4", TABLE4, with_lags(panel))


def table5(panel):
    res = dynamic_panel_gmm(panel, "revl", entity=ENTITY, time=TIME,
                            regressors=["L1.revl", "digde", *CONTROLS],
                            gmm=[GmmInstruments("revl", 2, 4, collapse=True)],
                            iv=[IvInstruments(["digde", *CONTROLS])], system=True)
    return _table("table5", [FittedColumn("sys_gmm", "System GMM", res, {"collapse": 1.0})])


def table6(panel):
    both = dict(entity=ENTITY, time=TIME, cluster=ENTITY)
    first = fit_fe(panel, ModelSpec("table6", "first_stage", "First stage", "digde",
                                    ("iv", *CONTROLS)))
    second = fe_iv(panel, "revl", "digde", "iv", list(CONTROLS), small=True, **both)
    fx = {"province_effects": 1.0, "year_effects": 1.0}
    return _table("table6", [FittedColumn("first_stage", "First stage: Digde", first, fx),
                             FittedColumn("second_stage", "Second stage: Revl", second, fx)])


def mediation_fits(panel, n_boot=N_BOOT, seed=SEED):
    return {m: mediate(panel, "revl", "digde", m, controls=list(CONTROLS), entity=ENTITY,
                       time=TIME, cluster=ENTITY, n_boot=n_boot, seed=seed)
            for m in MEDIATORS}


def table7(fits) -> StudyTable:
    fx = {"province_effects": 1.0, "year_effects": 1.0}
    first = next(iter(fits.values()))
    rows = [FittedColumn("total", "Revl (c)", first.models["total"], fx)]
    for m, r in fits.items():
        rows += [FittedColumn(f"{m}_a", f"{m} (a)", r.models["mediator"], fx),
                 FittedColumn(f"{m}_b", f"Revl (c', b: {m})", r.models["outcome"], fx)]
    return _table("table7", rows)


def table8(fits) -> StudyTable:
    """Sobel, Aroian and Goodman tests of each mediator's indirect effect."""
    return StudyTable("table8", [(m, m) for m in fits], mediation=dict(fits))


def table9(fits) -> StudyTable:
    """Cluster-bootstrap intervals of each mediator's effects."""
    return StudyTable("table9", [(m, m) for m in fits], mediation=dict(fits))


def table10(panel) -> StudyTable:
    base = _fe_table("table10", TABLE10, panel)
    kw = dict(controls=list(CONTROLS), entity=ENTITY, time=TIME, cluster=ENTITY)
    notes = {}
    for name, mask, label in (("west_vs_east_central", panel.region3 == "west", "west"),
                              ("post_vs_pre_2015", panel.post_2015, "post")):
        try:
            t = group_difference(panel, "revl", "digde", mask, label=label, **kw)
        except ModelSpecError:
            continue
        notes[(name, "difference_t")] = t.statistic
        notes[(name, "difference_pvalue")] = t.pvalue
    try:  # Chow: the same slopes in the west as in the east and centre, each region
        # with its own province and year effects
        chow = poolability_test(panel.assign(west=panel.region3 == "west"), "revl",
                                ["digde", *CONTROLS], "west", entity=ENTITY, time=TIME,
                                effects=("entity", "time"), slopes_only=True)
        notes.update({("west_vs_east_central", "poolability_f"): chow.statistic,
                      ("west_vs_east_central", "poolability_pvalue"): chow.pvalue,
                      ("west_vs_east_central", "poolability_df1"): float(chow.df[0]),
                      ("west_vs_east_central", "poolability_df2"): float(chow.df[1])})
    except ModelSpecError:
        pass
    return _table("table10", base.fitted, notes, base.skipped)
