"""The study's model specifications (METHODOLOGY.md section 6) as data, and their fitting.

Every model absorbs province and/or year effects and clusters by province. A spec names
the dependent variable, regressors and effects; the panel is fct_province_year_panel.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from stats.fe import fe_ols
from stats.results import EstimationResult

CONTROLS = ("hc", "inft_road", "inft_freight", "labor", "inds", "gov", "indu")
ENTITY, TIME = "province_code", "year"
BOTH = ("entity", "time")


@dataclass(frozen=True)
class ModelSpec:
    table_id: str
    model_id: str
    label: str
    y: str
    x: tuple[str, ...]
    effects: tuple[str, ...] = BOTH
    sample: str | None = None  # a pandas query selecting the estimation sample

    def data(self, panel: pd.DataFrame) -> pd.DataFrame:
        return panel.query(self.sample) if self.sample else panel


TABLE3 = (
    ModelSpec("table3", "col1", "Both effects, no controls", "revl", ("digde",)),
    ModelSpec("table3", "col2", "Controls, year effects", "revl", ("digde", *CONTROLS), ("time",)),
    ModelSpec("table3", "col3", "Controls, province effects", "revl", ("digde", *CONTROLS),
              ("entity",)),
    ModelSpec("table3", "col4", "Controls, both effects", "revl", ("digde", *CONTROLS)),
)


def fit_fe(panel: pd.DataFrame, spec: ModelSpec) -> EstimationResult:
    return fe_ols(spec.data(panel), spec.y, list(spec.x), entity=ENTITY, time=TIME,
                  effects=spec.effects, cluster=ENTITY)


def estimate_rows(spec: ModelSpec, result: EstimationResult) -> pd.DataFrame:
    frame = result.to_frame().reset_index()
    frame.insert(0, "model_id", spec.model_id)
    frame.insert(0, "table_id", spec.table_id)
    return frame


def stat_rows(spec: ModelSpec, result: EstimationResult) -> pd.DataFrame:
    stats = {"nobs": result.nobs, **dict(result.fit_stats),
             "province_effects": float("entity" in spec.effects),
             "year_effects": float("time" in spec.effects)}
    for name, test in result.tests.items():
        stats[f"{name}_statistic"] = test.statistic
        if test.pvalue is not None:
            stats[f"{name}_pvalue"] = test.pvalue
    return pd.DataFrame({"table_id": spec.table_id, "model_id": spec.model_id,
                         "stat": list(stats), "value": [float(v) for v in stats.values()]})
