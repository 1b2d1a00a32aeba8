"""Heterogeneity: a test that the coefficient of x differs between two groups.

The groups' own coefficients come from split-sample fits the caller already has (Table 10
fits them as its columns). The difference is tested in one pooled model where x is
interacted with the group indicator (controls and effects common):
y = b x + d (x * in_group) + controls + effects; H0: d = 0, with the pooled model's
clustered standard errors (valid also when the groups share clusters, e.g. a time split).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from stats.fe import fe_ols
from stats.results import TestStatistic


def group_difference(df: pd.DataFrame, y: str, x: str, in_group: pd.Series, *,
                     label: str = "group", controls: Sequence[str] = (),
                     entity: str | None = None, time: str | None = None,
                     effects: Sequence[str] = ("entity", "time"),
                     cluster: str | None = None, cov_type: str | None = None) -> TestStatistic:
    """t test of H0: the coefficient of ``x`` is the same where ``in_group`` is True as in
    the rest (the interaction ``<x>_x_<label>`` in the pooled model)."""
    mask = in_group.astype(bool).to_numpy()
    term = f"{x}_x_{label}"
    pooled = fe_ols(df.assign(**{term: df[x] * mask}), y, [x, term, *controls], entity=entity,
                    time=time, effects=effects, cluster=cluster, cov_type=cov_type)
    return TestStatistic("group_difference", float(pooled.tstats[term]),
                         float(pooled.pvalues[term]), pooled.df_resid, "t")
