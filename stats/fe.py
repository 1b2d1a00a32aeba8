"""Linear regression with absorbed fixed effects, reporting as Stata's reghdfe does.

Clustered covariance (docs/methodology.md section 6):
    V = (X'X)^-1 [sum_g X_g' u_g u_g' X_g] (X'X)^-1 * (N-1)/(N-K) * G/(G-1),
K = regressors + constant + levels of fixed effects not nested in the clusters (minus
one redundant level each); effects nested in the cluster variable count 0. Inference
uses t(G-1). Unclustered: conventional s^2 (X'X)^-1 with s^2 = RSS / (N - K_all),
t(N - K_all), K_all = regressors + rank of the fixed-effect design.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from stats.panel import (ModelSpecError, absorb, check_effects, clean_frame, covariance_option,
                         drop_singletons, group_codes, is_nested)
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
    keys = list(dict.fromkeys([*fe_cols, *([cluster] if cluster else [])]))
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


def cluster_meat(scores: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """sum_g s_g' s_g for score rows s_i = x_i u_i summed within cluster g."""
    sums = np.zeros((clusters.max() + 1, scores.shape[1]))
    np.add.at(sums, clusters, scores)
    return sums.T @ sums


def fe_ols(df: pd.DataFrame, y: str, x, *, entity: str | None = None, time: str | None = None,
           effects: Sequence[str] = ("entity", "time"), cluster: str | None = None,
           cov_type: str | None = None) -> EstimationResult:
    """OLS of ``y`` on ``x`` with absorbed entity/time effects (reghdfe conventions).

    ``effects=()`` gives pooled OLS with a constant (term ``const``). ``cov_type`` and
    ``cluster``: stats.panel.covariance_option, as for fe_iv and dynamic_panel_gmm.
    """
    x = _as_list(x)
    cov_type = covariance_option(cov_type, cluster)
    data, fe_cols, frame, fe_rank, levels, dropped = build_design(
        df, [y, *x], entity=entity, time=time, effects=effects, cluster=cluster)
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
    if cov_type == "clustered":
        clusters = group_codes(frame[cluster])
        g = int(clusters.max() + 1)
        if g < 2:
            raise ModelSpecError(f"clustering needs at least 2 groups; '{cluster}' has {g}")
        nested = [c for c in fe_cols if is_nested(frame[c], frame[cluster])]
        k_fe = (1 + sum(lv - 1 for e, lv in levels.items()
                        if ({"entity": entity, "time": time}[e]) not in nested)
                if nested else fe_rank)
        k_small = k + k_fe
        if n <= k_small:
            raise ModelSpecError(f"too few observations ({n}) for {k_small} parameters")
        scale = (n - 1) / (n - k_small) * g / (g - 1)
        cov = xtx_inv @ cluster_meat(X * u[:, None], clusters) @ xtx_inv * scale
        df_resid, extra = g - 1, {"n_clusters": g, "k_small_sample": k_small}
    elif cov_type == "robust":
        cov = xtx_inv @ ((X * u[:, None] ** 2).T @ X) @ xtx_inv * n / (n - k_all)
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
