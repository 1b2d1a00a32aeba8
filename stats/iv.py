"""Two-stage least squares with absorbed effects and ivreg2's first-stage diagnostics.

Effects (and the exogenous regressors, for the diagnostics) are partialled out first.
Covariance as ivreg2: without `small`, V = s^2 (X'PzX)^-1 with s^2 = RSS/N (or the
robust/cluster sandwich) and z-tests; with `small`, s^2 = RSS/(N-K), clustered
sandwiches scaled by (N-1)/(N-K) G/(G-1), t(N-K) or t(G-1) tests.
Diagnostics as ivreg2 prints them for the chosen covariance (``_diagnostics`` states
each formula and its scaling): Anderson LM and Cragg-Donald F (homoskedastic); the
Kleibergen-Paap rk LM and rk Wald F under the covariance (iid, robust or clustered), for
any number of endogenous regressors (`kp_rk`); Sargan (iid) or Hansen's J from the
efficient two-step GMM estimate (robust, clustered). Stock-Yogo critical values for
K1 = 1-3 come from `stats.stock_yogo`.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from stats.covariance import cluster_meat
from stats.fe import _as_list, build_design, check_rank
from stats.panel import ModelSpecError, covariance_option, group_codes
from stats.results import EstimationResult, TestStatistic
from stats.stock_yogo import critical_values


def _resid(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A minus its projection on B (B may have no columns)."""
    if B.shape[1] == 0:
        return A
    return A - B @ np.linalg.lstsq(B, A, rcond=None)[0]


def _meat(scores: np.ndarray, clusters: np.ndarray | None) -> np.ndarray:
    return scores.T @ scores if clusters is None else cluster_meat(scores, clusters)


def fe_iv(df: pd.DataFrame, y: str, endog, instruments, exog=(), *, entity: str | None = None,
          time: str | None = None, effects: Sequence[str] = ("entity", "time"),
          cluster: str | None = None, cov_type: str | None = None, small: bool = False
          ) -> EstimationResult:
    """2SLS with absorbed effects, as ivreg2 reports it. ``cov_type`` and ``cluster``:
    stats.panel.covariance_option (as fe_ols); ``small`` is ivreg2's small-sample option
    (N-K and G/(G-1) scaling, t and F instead of z and chi2)."""
    cov_type = covariance_option(cov_type, cluster)
    endog, instruments, exog = _as_list(endog), _as_list(instruments), _as_list(exog)
    overlap = set(instruments) & set(endog + exog)
    if overlap:
        raise ModelSpecError(f"instrument(s) {sorted(overlap)} also listed as regressors")
    k1, l2 = len(endog), len(instruments)
    if l2 < k1:
        raise ModelSpecError(f"{l2} excluded instrument(s) for {k1} endogenous regressor(s)")
    cols = [y, *endog, *exog, *instruments]
    data, fe_cols, frame, fe_rank, levels, dropped = build_design(
        df, cols, entity=entity, time=time, effects=effects, cluster=cluster)
    if not fe_cols:  # no effects: the constant is partialled like one
        data, fe_rank = data - data.mean(axis=0), 1
    Y, X1 = data[:, 0], data[:, 1:1 + k1]
    X2, Z1 = data[:, 1 + k1:1 + k1 + len(exog)], data[:, 1 + k1 + len(exog):]
    raw = frame[cols[1:]].to_numpy(dtype=float)
    check_rank(data[:, 1:], raw, cols[1:], "regressor(s) or instrument(s)")
    X, Z = np.column_stack([X1, X2]), np.column_stack([Z1, X2])
    n, k = len(Y), X.shape[1]
    Zx = Z @ np.linalg.lstsq(Z, X, rcond=None)[0]           # P_Z X
    beta = np.linalg.solve(Zx.T @ X, Zx.T @ Y)
    u = Y - X @ beta
    rss = float(u @ u)
    bread = np.linalg.inv(Zx.T @ Zx)
    clusters = group_codes(frame[cluster]) if cluster else None
    g = int(clusters.max() + 1) if cluster else None
    k_small = k + fe_rank  # regressors plus absorbed effects and the constant
    if cluster and g < 2:
        raise ModelSpecError(f"clustering needs at least 2 groups; '{cluster}' has {g}")
    if cov_type != "unadjusted":
        cov = bread @ _meat(Zx * u[:, None], clusters) @ bread
        if small:
            cov *= ((n - 1) / (n - k_small) * g / (g - 1)) if cluster else n / (n - k_small)
    else:
        cov = bread * rss / ((n - k_small) if small else n)
    df_resid = ((g - 1) if cluster else (n - k_small)) if small else None
    names = endog + exog
    tests = _diagnostics(Y, X, X1, X2, Z1, Z, u, n, fe_rank, clusters, cov_type)
    fit = {"rss": rss, "n_instruments_excluded": l2, "n_singletons_dropped": dropped,
           **({"n_clusters": g} if cluster else {}),
           **{f"sy_{k}": v for k, v in critical_values(k1, l2).items()},
           **{f"n_{e}": lv for e, lv in levels.items()}}
    return EstimationResult("fe_iv (2SLS)", pd.Series(beta, index=names, name="estimate"),
                            pd.DataFrame(cov, index=names, columns=names), n, df_resid,
                            cov_type, fit, tests, (f"absorbed: {', '.join(fe_cols) or 'constant'}",))


def _iid_meat(e: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Var of vec(z_i e_i') sums under conditional homoskedasticity: (E'E/N) kron Z'Z."""
    return np.kron(e.T @ e / len(e), z.T @ z)


def _efficient_gmm_j(Y, X, Z, u, clusters) -> float:
    """Hansen's J as ivreg2 reports it after 2SLS with a robust or clustered covariance:
    S from the 2SLS residuals, the efficient two-step GMM estimate with weight S^-1, and
    J = (Z'e)' S^-1 (Z'e) at that estimate's residuals e (invariant to partialling out
    the exogenous regressors, so the absorbed effects may be partialled first)."""
    s = _meat(Z * u[:, None], clusters)
    if np.linalg.matrix_rank(s) < s.shape[0]:
        raise ModelSpecError(
            f"Hansen's J: the {s.shape[0]} moment conditions have a singular covariance under "
            f"this clustering ({int(clusters.max() + 1)} clusters); use fewer instruments or "
            "more clusters")
    w = np.linalg.inv(s)
    xz = X.T @ Z
    beta = np.linalg.solve(xz @ w @ xz.T, xz @ w @ (Z.T @ Y))
    zu = Z.T @ (Y - X @ beta)
    return float(zu @ w @ zu)


def _diagnostics(Y, X, X1, X2, Z1, Z, u, n, fe_rank, clusters, cov_type
                 ) -> dict[str, TestStatistic]:
    """ivreg2's identification and overidentification statistics for ``cov_type``.

    - Anderson canonical-correlation LM, N r_min, chi2(L2-K1+1), and the Cragg-Donald Wald
      F, (N-L)/L2 * r_min/(1-r_min), both under homoskedasticity whatever cov_type;
    - Kleibergen-Paap rk LM, chi2(L2-K1+1), and rk Wald statistic W under cov_type
      (unadjusted: they equal Anderson's LM and N r_min/(1-r_min), as ivreg2 documents;
      robust: heteroskedasticity-robust; clustered: cluster-robust). The rk Wald F uses
      ivreg2's scaling: unadjusted and robust F = W/N * (N-L)/L2, with L all instruments
      plus the absorbed effects and the constant; clustered F = W/(N-1) * (N-L) *
      (G-1)/G / L2, with L the instruments plus the constant (ivreg2 does not subtract
      absorbed effects there);
    - overidentification (L2 > K1): Sargan, N * uncentred R2 of the 2SLS residuals on the
      instruments, when unadjusted; Hansen's J from the efficient two-step GMM estimate
      when robust or clustered (``_efficient_gmm_j``), as ivreg2 prints.
    """
    k1, l2 = X1.shape[1], Z1.shape[1]
    x1, z1 = _resid(X1, X2), _resid(Z1, X2)
    # squared canonical correlations between x1 and z1
    a = np.linalg.solve(x1.T @ x1, x1.T @ z1) @ np.linalg.solve(z1.T @ z1, z1.T @ x1)
    r = float(np.min(np.real(np.linalg.eigvals(a))))
    l_total = Z.shape[1] + fe_rank
    df_id = l2 - k1 + 1
    tests = {
        "anderson_lm": TestStatistic("anderson_lm", n * r, float(sps.chi2.sf(n * r, df_id)),
                                     df_id, "chi2"),
        "cragg_donald_f": TestStatistic("cragg_donald_f", (n - l_total) / l2 * r / (1 - r), None,
                                        None, "F"),
    }
    meat = _iid_meat if cov_type == "unadjusted" else None
    lm = kp_rk(x1, z1, clusters, wald=False, meat=meat)
    wald = kp_rk(x1, z1, clusters, wald=True, meat=meat)
    if clusters is not None:
        g = int(clusters.max() + 1)
        kp_f = wald / (n - 1) * (n - Z.shape[1] - 1) * (g - 1) / g / l2
    else:
        kp_f = wald / n * (n - l_total) / l2
    tests["kp_lm"] = TestStatistic("kp_lm", lm, float(sps.chi2.sf(lm, df_id)), df_id, "chi2")
    tests["kp_f"] = TestStatistic("kp_f", kp_f, None, None, "F")
    overid = l2 - k1
    if overid > 0:
        if cov_type == "unadjusted":
            fitted = Z @ np.linalg.lstsq(Z, u, rcond=None)[0]
            stat, name = n * float(fitted @ fitted) / float(u @ u), "sargan"
        else:
            stat, name = _efficient_gmm_j(Y, X, Z, u, clusters), "hansen"
        tests[name] = TestStatistic(name, stat, float(sps.chi2.sf(stat, overid)), overid, "chi2")
    return tests


def _sqrt_psd(a: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def kp_rk(y: np.ndarray, z: np.ndarray, clusters: np.ndarray | None, *, wald: bool,
          meat=None) -> float:
    """Kleibergen-Paap (2006) rk statistic that the L x K first-stage coefficient matrix
    has rank K-1 against full rank K (ivreg2's underidentification / weak-ID test).

    ``y`` (N x K endogenous) and ``z`` (N x L excluded instruments) are already partialled.
    The coefficient matrix is normalised as G Pi F with G'G = Z'Z/N and F F' = (Y'Y/N)^-1;
    its smallest singular direction (the Kleibergen-Paap projection a_q, b_q from the SVD)
    is tested with the cluster-robust covariance of vec(Pi). The LM form uses Y itself as
    the score residual (the restricted model), the Wald form the first-stage residuals.
    With homoskedastic ``meat`` the LM form is Anderson's N times the smallest squared
    canonical correlation (tested), as ivreg2 documents.
    """
    n, k = y.shape
    el = z.shape[1]
    q = k - 1
    zz = z.T @ z
    pi = np.linalg.solve(zz, z.T @ y)                        # L x K
    zhat = np.linalg.cholesky(zz / n).T                      # zhat' zhat = Z'Z/N
    yhat = np.linalg.cholesky(np.linalg.inv(y.T @ y / n))    # yhat yhat' = (Y'Y/N)^-1
    theta = zhat @ pi @ yhat
    u, _, vt = np.linalg.svd(theta)
    v = vt.T
    u12, u22 = u[:q, q:], u[q:, q:]
    v12, v22 = v[:q, q:], v[q:, q:]
    aq = np.vstack([u12, u22]) @ np.linalg.solve(u22, _sqrt_psd(u22 @ u22.T))
    bq = _sqrt_psd(v22 @ v22.T) @ np.linalg.solve(v22.T, np.hstack([v12.T, v22.T]))
    lam = (aq.T @ theta @ bq.T).reshape(-1, order="F")
    e = y - z @ pi if wald else y
    scores = (e[:, :, None] * z[:, None, :]).reshape(n, k * el)   # row i: vec(z_i e_i')
    m = meat(e, z) if meat is not None else _meat(scores, clusters)
    zz_inv = np.linalg.inv(zz)
    a = np.kron(np.eye(k), zz_inv)
    v_pi = a @ m @ a                                          # Var(vec Pi)
    t = np.kron(yhat.T, zhat)                                 # vec(theta) = t vec(Pi)
    kron_v = np.kron(bq, aq.T)
    v_lam = kron_v @ t @ v_pi @ t.T @ kron_v.T
    if np.linalg.matrix_rank(v_lam) < v_lam.shape[0]:
        groups = "" if clusters is None else f" with {int(clusters.max() + 1)} clusters"
        raise ModelSpecError(
            f"the Kleibergen-Paap rk statistic is undefined under this covariance{groups}: "
            f"the covariance of its {v_lam.shape[0]} restriction(s) (L2-K1+1) is singular; "
            "use more clusters or fewer excluded instruments")
    return float(lam @ np.linalg.solve(v_lam, lam))
