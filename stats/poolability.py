"""Chow / poolability F test: do the groups share one set of coefficients?

As plm's ``pooltest`` and Baltagi (Econometric Analysis of Panel Data, section 4.1) print
it: the restricted model is fitted on the pooled sample, the unrestricted one group by
group, and

    F = ((RSS_r - RSS_u) / (K_u - K_r)) / (RSS_u / (N - K_u)),   F(K_u - K_r, N - K_u),

RSS_u the sum of the groups' residual sums of squares and K the parameters each side
estimates (fixed effects included). ``slopes_only=False`` tests every coefficient (the
intercepts and any effects too: plm's ``model = "pooling"``); ``slopes_only=True`` lets
each group keep its own intercept and effects and tests the slopes only (plm's
``model = "within"`` when the groups are the panel's units).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from scipy import stats as sps

from stats.fe import fe_ols
from stats.panel import ModelSpecError, check_effects
from stats.results import TestStatistic


def _rss_and_k(frame: pd.DataFrame, y: str, x: list[str], entity, time, effects):
    fit = fe_ols(frame, y, x, entity=entity, time=time, effects=effects,
                 cov_type="unadjusted")
    return fit.fit_stats["rss"], fit.nobs, fit.nobs - fit.df_resid


def poolability_test(df: pd.DataFrame, y: str, x: Sequence[str], group: str, *,
                     entity: str | None = None, time: str | None = None,
                     effects: Sequence[str] = (), slopes_only: bool = False) -> TestStatistic:
    """F test of H0: every group of ``group`` has the same coefficients."""
    x = [x] if isinstance(x, str) else list(x)
    effects = check_effects(effects)
    if group not in df:
        raise ModelSpecError(f"group column {group!r} is not in the data")
    groups = [g for g, _ in df.groupby(group, sort=True)]
    if len(groups) < 2:
        raise ModelSpecError(f"the poolability test needs at least 2 groups; '{group}' has "
                             f"{len(groups)}")
    rss_u = n_u = k_u = 0.0
    for g in groups:
        rss, n, k = _rss_and_k(df[df[group] == g], y, x, entity, time, effects)
        rss_u, n_u, k_u = rss_u + rss, n_u + n, k_u + k
    if slopes_only:  # each group keeps its intercept and effects: interact them with it
        keyed = df.assign(__group=df[group].astype(str))
        for e, col in (("entity", entity), ("time", time)):
            if e in effects:
                keyed[f"__{e}"] = keyed["__group"] + ":" + keyed[col].astype(str)
        ent = "__entity" if "entity" in effects else "__group"
        tim = "__time" if "time" in effects else None
        rss_r, n_r, k_r = _rss_and_k(keyed, y, x, ent, tim,
                                     ("entity", *(("time",) if tim else ())))
    else:
        rss_r, n_r, k_r = _rss_and_k(df, y, x, entity, time, effects)
    if n_r != n_u:
        raise ModelSpecError(f"the groups' fits use {int(n_u)} observations and the pooled "
                             f"fit {int(n_r)} (singletons dropped in a group?)")
    df1, df2 = int(round(k_u - k_r)), int(round(n_u - k_u))
    if df1 < 1 or df2 < 1:
        raise ModelSpecError(f"too few observations for the poolability test "
                             f"(F({df1}, {df2}))")
    f = ((rss_r - rss_u) / df1) / (rss_u / df2)
    return TestStatistic("poolability", float(f), float(sps.f.sf(f, df1, df2)), (df1, df2), "F")
