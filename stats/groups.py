"""Heterogeneity: the coefficient of x in two groups, and a test that they differ.

Split-sample fits give each group's coefficient. The difference is tested in one pooled
model where x is interacted with the group indicator (controls and effects common):
y = b x + d (x * in_group) + controls + effects; H0: d = 0, with the pooled model's
clustered standard errors (valid also when the groups share clusters, e.g. a time split).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from stats.fe import fe_ols
from stats.results import EstimationResult, TestStatistic


@dataclass(frozen=True)
class GroupComparison:
    groups: dict[str, EstimationResult]
    interaction: EstimationResult
    test: TestStatistic


def group_difference(df: pd.DataFrame, y: str, x: str, in_group: pd.Series, *,
                     labels: tuple[str, str] = ("group", "rest"), controls: Sequence[str] = (),
                     entity: str | None = None, time: str | None = None,
                     effects: Sequence[str] = ("entity", "time"),
                     cluster: str | None = None) -> GroupComparison:
    """Compare the coefficient of ``x`` where ``in_group`` is True against the rest."""
    mask = in_group.astype(bool).to_numpy()
    kw = dict(entity=entity, time=time, effects=effects, cluster=cluster)
    fits = {labels[0]: fe_ols(df[mask], y, [x, *controls], **kw),
            labels[1]: fe_ols(df[~mask], y, [x, *controls], **kw)}
    term = f"{x}_x_{labels[0]}"
    pooled = fe_ols(df.assign(**{term: df[x] * mask}), y, [x, term, *controls], **kw)
    test = TestStatistic("group_difference", float(pooled.tstats[term]),
                         float(pooled.pvalues[term]), pooled.df_resid, "t")
    return GroupComparison(fits, pooled, test)
