"""The study's model specifications (docs/methodology.md section 6) as data, and their fitting.

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


TABLE4 = (
    ModelSpec("table4", "col1", "Digde_new (PCA) instead of Digde", "revl",
              ("digde_new", *CONTROLS)),
    ModelSpec("table4", "col2", "Eco added", "revl", ("digde", *CONTROLS, "eco")),
    ModelSpec("table4", "col3", "Digde lagged one year", "revl", ("l1_digde", *CONTROLS)),
)

TABLE10 = (
    ModelSpec("table10", "east_central", "East and central", "revl", ("digde", *CONTROLS),
              sample="region3 != 'west'"),
    ModelSpec("table10", "west", "West", "revl", ("digde", *CONTROLS), sample="region3 == 'west'"),
    ModelSpec("table10", "pre_2015", "Before 2015", "revl", ("digde", *CONTROLS),
              sample="not post_2015"),
    ModelSpec("table10", "post_2015", "2015 on", "revl", ("digde", *CONTROLS), sample="post_2015"),
)

TABLE3 = (
    ModelSpec("table3", "col1", "Both effects, no controls", "revl", ("digde",)),
    ModelSpec("table3", "col2", "Controls, year effects", "revl", ("digde", *CONTROLS), ("time",)),
    ModelSpec("table3", "col3", "Controls, province effects", "revl", ("digde", *CONTROLS),
              ("entity",)),
    ModelSpec("table3", "col4", "Controls, both effects", "revl", ("digde", *CONTROLS)),
)


def with_lags(panel: pd.DataFrame) -> pd.DataFrame:
    """Add l1_digde (Digde of the same province in t-1; missing in the first year)."""
    ordered = panel.sort_values([ENTITY, TIME])
    previous = ordered.assign(**{TIME: ordered[TIME] + 1})[[ENTITY, TIME, "digde"]]
    return ordered.merge(previous.rename(columns={"digde": "l1_digde"}), on=[ENTITY, TIME],
                         how="left")


def fit_fe(panel: pd.DataFrame, spec: ModelSpec) -> EstimationResult:
    return fe_ols(spec.data(panel), spec.y, list(spec.x), entity=ENTITY, time=TIME,
                  effects=spec.effects, cluster=ENTITY)
