"""Linear regression with absorbed fixed effects, reporting as Stata's reghdfe does.

Clustered covariance (docs/methodology.md section 6):
    V = (X'X)^-1 [sum_g X_g' u_g u_g' X_g] (X'X)^-1 * (N-1)/(N-K) * G/(G-1),
K = regressors + constant + levels of fixed effects not nested in the clusters (minus
one redundant level each); effects nested in the cluster variable count 0. Inference
uses t(G-1). Two clustering columns: Cameron-Gelbach-Miller, reghdfe's one factor from
the smaller G (or per term), t(G_min - 1); ``cov_type="kernel"``: Driscoll-Kraay as xtscc
(stats.covariance). Unclustered: conventional s^2 (X'X)^-1 with s^2 = RSS / (N - K_all),
t(N - K_all), K_all = regressors + rank of the fixed-effect design. ``small=False`` drops
every small-sample factor (CR0, HC0, xtscc's ``ase``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from stats.covariance import (MULTIWAY, cluster_meat, default_lag, driscoll_kraay_meat,
                              two_way_cov)
from stats.panel import (FE_COV_TYPES, ModelSpecError, absorb, check_effects, clean_frame,
                         covariance_option, drop_singletons, group_codes, is_nested)
from stats.results import EstimationResult


def _as_list(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x)


def build_design(df: pd.DataFrame, columns: Sequence[str], *, entity, time, effects,
                 cluster=None) -> tuple[np.ndarray, list, pd.DataFrame, int, dict, int]:
    """Absorb the effects from ``columns``; returns (data, fe columns, frame, rank, levels, dropped)."""
    effects = check_effects(effects)
    if "entity" in effects and entity is None:
        raise ModelSpecError("effects include 'entity' but no entity column was given")
    if "time" in effects and time is None:
        raise ModelSpecError("effects include 'time' but no time column was given")
    fe_cols = [c for e, c in (("entity", entity), ("time", time)) if e in effects]
    keys = list(dict.fromkeys([*fe_cols, *_as_list(cluster or [])]))
    frame = clean_frame(df, columns, keys)
    frame, dropped = drop_singletons(frame, fe_cols)
    codes = {e: group_codes(frame[c]) for e, c in (("entity", entity), ("time", time))
             if e in effects}
    values = frame[list(columns)].to_numpy(dtype=float)
    if not effects:
        return values, fe_cols, frame, 0, {}, dropped
    absorbed = absorb(values, codes.get("entity"), codes.get("time"))
    return absorbed.data, fe_cols, frame, absorbed.fe_rank, absorbed.levels, dropped


def check_rank(X: np.ndarray, raw: np.ndarray, names: list[str], what: str) -> None:
    """Fail clearly when a regressor is (near) collinear with the fixed effects or others."""
    scale = np.maximum(np.abs(raw).max(axis=0), 1e-300)
    gone = [n for n, s, col in zip(names, scale, X.T) if np.abs(col).max() <= 1e-9 * s]
    if gone:
        raise ModelSpecError(f"{what} {gone} collinear with the fixed effects (no variation left)")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ModelSpecError(f"{what} {names} are collinear")


def fe_ols(df: pd.DataFrame, y: str, x, *, entity: str | None = None, time: str | None = None,
           effects: Sequence[str] = ("entity", "time"), cluster: str | Sequence[str] | None = None,
           cov_type: str | None = None, lag: int | None = None, small: bool = True,
           multiway: str = "min") -> EstimationResult:
    """OLS of ``y`` on ``x`` with absorbed entity/time effects (reghdfe conventions).

    ``effects=()`` gives pooled OLS with a constant (term ``const``). ``cov_type`` and
    ``cluster``: stats.panel.covariance_option, as for fe_iv and dynamic_panel_gmm; here
    ``cluster`` may name two columns (two-way clustering, ``multiway`` "min" or
    "per_term") and ``cov_type="kernel"`` (or "driscoll_kraay") gives Driscoll-Kraay
    standard errors over ``time`` with ``lag`` (default xtscc's rule).
    """
    x = _as_list(x)
    clusters_by = _as_list(cluster or [])
    cov_type = covariance_option(cov_type, cluster, allowed=FE_COV_TYPES, max_ways=2)
    if multiway not in MULTIWAY:
        raise ModelSpecError(f"unknown multiway '{multiway}'; choose from {list(MULTIWAY)}")
    if cov_type == "kernel" and time is None:
        raise ModelSpecError("cov_type 'kernel' (Driscoll-Kraay) needs the time column: time=")
    keys = [*clusters_by, *([time] if cov_type == "kernel" else [])]
    data, fe_cols, frame, fe_rank, levels, dropped = build_design(
        df, [y, *x], entity=entity, time=time, effects=effects, cluster=keys or None)
    Y, X, names = data[:, 0], data[:, 1:], list(x)
    if not fe_cols:
        X, names = np.column_stack([np.ones(len(Y)), X]), ["const", *x]
    check_rank(X, frame[x].to_numpy(dtype=float) if fe_cols else X, names, "regressor(s)")
    n, k = X.shape
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ Y
    u = Y - X @ beta
    rss = float(u @ u)
    k_all = k + fe_rank
    scores = X * u[:, None]
    if cov_type == "clustered":
        cov, df_resid, extra = _clustered(scores, xtx_inv, frame, clusters_by, fe_cols, levels,
                                          fe_rank, n, k, small, multiway,
                                          {"entity": entity, "time": time})
    elif cov_type == "kernel":
        cov, df_resid, extra = _driscoll_kraay(scores, xtx_inv, frame[time], lag, n, k,
                                               fe_cols, levels, small)
    elif cov_type == "robust":
        cov = xtx_inv @ (scores.T @ scores) @ xtx_inv * (n / (n - k_all) if small else 1.0)
        df_resid, extra = n - k_all, {}
    else:
        cov = xtx_inv * rss / (n - k_all)
        df_resid, extra = n - k_all, {}
    y_raw = frame[y].to_numpy(dtype=float)
    tss = float(((y_raw - y_raw.mean()) ** 2).sum())
    fit = {"r2": 1 - rss / tss, "rss": rss, "df_resid": df_resid,
           "r2_within": 1 - rss / float(Y @ Y) if fe_cols else 1 - rss / tss,
           "n_singletons_dropped": dropped, **extra,
           **{f"n_{e}": lv for e, lv in levels.items()}}
    return EstimationResult(
        model="fe_ols", params=pd.Series(beta, index=names, name="estimate"),
        cov=pd.DataFrame(cov, index=names, columns=names), nobs=n,
        df_resid=df_resid, cov_type=cov_type, fit_stats=fit,
        notes=(f"absorbed: {', '.join(effects) or 'none'}",))


def _clustered(scores, xtx_inv, frame, clusters_by, fe_cols, levels, fe_rank, n, k, small,
               multiway, columns):
    """One- or two-way clustered covariance with reghdfe's K (effects nested in a
    clustering column count 0)."""
    codes = [group_codes(frame[c]) for c in clusters_by]
    counts = [int(c.max() + 1) for c in codes]
    for col, g in zip(clusters_by, counts):
        if g < 2:
            raise ModelSpecError(f"clustering needs at least 2 groups; '{col}' has {g}")
    nested = [c for c in fe_cols if any(is_nested(frame[c], frame[b]) for b in clusters_by)]
    k_fe = (1 + sum(lv - 1 for e, lv in levels.items() if columns[e] not in nested)
            if nested else fe_rank)
    k_small = k + k_fe
    if n <= k_small:
        raise ModelSpecError(f"too few observations ({n}) for {k_small} parameters")
    adjust = (n - 1) / (n - k_small) if small else 1.0
    if len(codes) == 1:
        g = counts[0]
        scale = adjust * g / (g - 1) if small else 1.0
        cov = xtx_inv @ cluster_meat(scores, codes[0]) @ xtx_inv * scale
        return cov, g - 1, {"n_clusters": g, "k_small_sample": k_small}
    cov, g_min = two_way_cov(scores, xtx_inv, codes[0], codes[1], adjust,
                             multiway if small else "none")
    return cov, g_min - 1, {"n_clusters": g_min, "k_small_sample": k_small,
                            **{f"n_clusters_{c}": g for c, g in zip(clusters_by, counts)}}


def _driscoll_kraay(scores, xtx_inv, periods, lag, n, k, fe_cols, levels, small):
    """Driscoll-Kraay covariance as xtscc: K counts a constant (xtscc keeps one in its
    within regression) and time dummies; entity effects count 0; t(T-1)."""
    codes = group_codes(periods)
    T = int(codes.max() + 1)
    lag = default_lag(T) if lag is None else int(lag)
    if lag < 0 or lag > T - 1:
        raise ModelSpecError(f"lag {lag} is longer than the panel ({T} periods): use "
                             f"0 to {T - 1}")
    if T < 2:
        raise ModelSpecError("Driscoll-Kraay standard errors need at least 2 periods")
    k_dk = k + (1 + levels.get("time", 1) - 1 if fe_cols else 0)
    scale = T / (T - 1) * (n - 1) / (n - k_dk) if small else 1.0
    cov = xtx_inv @ driscoll_kraay_meat(scores, codes, lag) @ xtx_inv * scale
    return cov, T - 1, {"kernel_lag": lag, "n_periods": T}
