"""Arellano-Bond / Blundell-Bond dynamic panel GMM, as Stata's xtabond2 computes it.

One step: b1 = (X'Z A1 Z'X)^-1 X'Z A1 Z'y with A1 = (sum_i Z_i' H Z_i)^+. Two step:
A2 = (sum_i Z_i' e1_i e1_i' Z_i)^+. Two-step robust standard errors carry Windmeijer's
(2005) finite-sample correction. AR(m): Arellano and Bond's (1991) test on the
differenced residuals; Hansen J from the two-step criterion; Sargan from the one-step
(homoskedastic) criterion. Generalised inverses as in xtabond2.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from stats.gmm_design import Design, GmmInstruments, IvInstruments, build_design
from stats.panel import ModelSpecError, covariance_option
from stats.results import EstimationResult, TestStatistic


def _sum(parts):
    return sum(parts[1:], parts[0])


def _step(d: Design, A: np.ndarray):
    ZX = _sum([Z.T @ X for Z, X in zip(d.Z, d.X)])
    Zy = _sum([Z.T @ y for Z, y in zip(d.Z, d.y)])
    M = np.linalg.inv(ZX.T @ A @ ZX)
    beta = M @ ZX.T @ A @ Zy
    resid = [y - X @ beta for y, X in zip(d.y, d.X)]
    return beta, resid, M, ZX


def _omega(d: Design, resid) -> np.ndarray:
    return _sum([Z.T @ np.outer(e, e) @ Z for Z, e in zip(d.Z, resid)])


def _windmeijer(d: Design, A2, M2, ZX, resid1, resid2, V1):
    """V2c = V2 + D V2 + V2 D' + D V1 D', D_k = M2 X'Z A2 dOmega_k A2 Z'e2."""
    Ze2 = _sum([Z.T @ e for Z, e in zip(d.Z, resid2)])
    k = M2.shape[0]
    D = np.zeros((k, k))
    for j in range(k):
        dOmega = _sum([Z.T @ (np.outer(X[:, j], e) + np.outer(e, X[:, j])) @ Z
                       for Z, X, e in zip(d.Z, d.X, resid1)])
        D[:, j] = M2 @ ZX.T @ A2 @ dOmega @ A2 @ Ze2
    return M2 + D @ M2 + M2 @ D.T + D @ V1 @ D.T


def _ar_test(d: Design, order: int, resid, A, M, V, ZX) -> TestStatistic:
    """Arellano-Bond AR(order) z on the differenced residuals."""
    b0, var1, cross = 0.0, 0.0, np.zeros(ZX.shape[0])
    wX = np.zeros(ZX.shape[1])
    for Z, X, e, nd, t in zip(d.Z, d.X, resid, d.n_diff, d.diff_periods):
        w = np.zeros(len(e))
        pos = {p: r for r, p in enumerate(t)}
        for r, p in enumerate(t):
            if p - order in pos:
                w[r] = e[pos[p - order]]
        s = w @ e
        b0 += s
        var1 += s * s
        cross += Z.T @ e * s
        wX += w @ X
    var = var1 - 2 * wX @ M @ ZX.T @ A @ cross + wX @ V @ wX
    z = b0 / np.sqrt(var) if var > 0 else np.nan
    return TestStatistic(f"ar{order}", float(z), float(2 * sps.norm.sf(abs(z))), None, "z")


def _overid(name, moments, weight, df, scale=1.0) -> TestStatistic:
    stat = float(moments @ weight @ moments) / scale
    return TestStatistic(name, stat, float(sps.chi2.sf(stat, df)) if df > 0 else None, df, "chi2")


def dynamic_panel_gmm(df: pd.DataFrame, y: str, *, entity: str, time: str,
                      regressors: Sequence[str], gmm: Sequence[GmmInstruments],
                      iv: Sequence[IvInstruments] = (), system: bool = True,
                      twostep: bool = True, cov_type: str | None = None,
                      cluster: str | None = None, h: int = 2,
                      constant: bool = True) -> EstimationResult:
    """Difference (system=False) or system GMM; ``regressors`` accept lags ('L1.n').

    ``cov_type`` and ``cluster`` as for fe_ols and fe_iv (stats.panel.covariance_option),
    default ``clustered`` by ``entity`` (xtabond2's ``robust``: Windmeijer-corrected after
    two steps) or ``unadjusted``. The moments are per entity, so the only cluster is the
    entity.
    """
    cluster = entity if cluster is None and cov_type in (None, "clustered") else cluster
    cov_type = covariance_option(cov_type, cluster, allowed=("unadjusted", "clustered"))
    if cluster is not None and cluster != entity:
        raise ModelSpecError(f"dynamic panel GMM clusters by the entity ('{entity}'), "
                             f"not by '{cluster}'")
    robust = cov_type == "clustered"
    if not regressors:
        raise ModelSpecError("at least one regressor is needed")
    if isinstance(gmm, GmmInstruments):
        gmm = [gmm]
    if isinstance(iv, IvInstruments):
        iv = [iv]
    d = build_design(df, y, entity=entity, time=time, regressors=list(regressors), gmm=gmm,
                     iv=iv, system=system, constant=constant, h=h)
    n_inst, k = d.Z[0].shape[1], d.X[0].shape[1]
    if n_inst < k:
        raise ModelSpecError(f"{n_inst} instruments for {k} parameters: underidentified")
    A1 = np.linalg.pinv(_sum([Z.T @ H @ Z for Z, H in zip(d.Z, d.H)]), hermitian=True)
    b1, e1, M1, ZX = _step(d, A1)
    omega1 = _omega(d, e1)
    V1_robust = M1 @ ZX.T @ A1 @ omega1 @ A1 @ ZX @ M1
    n_rows = sum(len(e) for e in e1)
    sigma2 = sum(float(e[:nd] @ e[:nd]) / 2 + float(e[nd:] @ e[nd:])
                 for e, nd in zip(e1, d.n_diff)) / (n_rows - k)
    Ze1 = _sum([Z.T @ e for Z, e in zip(d.Z, e1)])
    tests = {"sargan": _overid("sargan", Ze1, A1, n_inst - k, sigma2)}
    if twostep:
        A2 = np.linalg.pinv(omega1, hermitian=True)
        beta, resid, M, ZX = _step(d, A2)
        V = _windmeijer(d, A2, M, ZX, e1, resid, V1_robust) if robust else M
        A = A2
        tests["hansen"] = _overid("hansen", _sum([Z.T @ e for Z, e in zip(d.Z, resid)]), A2,
                                  n_inst - k)
    else:
        beta, resid, M, A = b1, e1, M1, A1
        V = V1_robust if robust else M1 * sigma2
        tests["hansen"] = _overid("hansen", Ze1, np.linalg.pinv(omega1, hermitian=True),
                                  n_inst - k)
    for order in (1, 2):
        tests[f"ar{order}"] = _ar_test(d, order, resid, A, M, V, ZX)
    cov_type = ("clustered (Windmeijer)" if twostep else "clustered") if robust else "unadjusted"
    return EstimationResult(
        model=("system" if system else "difference") + " GMM" + (" two-step" if twostep else ""),
        params=pd.Series(beta, index=d.names, name="estimate"),
        cov=pd.DataFrame(V, index=d.names, columns=d.names), nobs=d.nobs, df_resid=None,
        cov_type=cov_type, tests=tests,
        fit_stats={"n_instruments": n_inst, "n_groups": d.n_groups, "h": h},
        notes=(f"instruments: {n_inst}",))
