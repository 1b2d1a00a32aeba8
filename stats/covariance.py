"""Sandwich covariances for fe_ols beyond one-way clustering, each with the convention of
the software it matches (docs/estimators.md).

- Two-way clustering (Cameron, Gelbach and Miller 2011): V = V_a + V_b - V_ab, each term
  A (sum_g s_g s_g') A over the groups of a, of b and of their intersection.
  Small-sample factor, ``multiway="min"`` (default): reghdfe's and ivreg2's, one factor
  for the sum, (N-1)/(N-K) * G/(G-1) with G the smaller number of clusters, and t(G-1).
  ``multiway="per_term"``: each term with its own G/(G-1) (and the common (N-1)/(N-K)), as
  Petersen's published standard errors, Cameron-Gelbach-Miller's cgmreg and fixest with
  ssc(cluster.df = "conventional") compute them.
- Driscoll-Kraay (Stata xtscc; ivreg2 dkraay()): the scores summed within each period,
  h_t = sum_i x_it u_it, and a Bartlett kernel over periods,
  S = sum_t h_t h_t' + sum_{j=1..L} (1 - j/(L+1)) (G_j + G_j'), G_j = sum_t h_t h_{t-j}';
  V = A S A. Default L = floor(4 (T/100)^(2/9)) (xtscc's rule). xtscc's small-sample
  factor T/(T-1) * (N-1)/(N-K), K the estimated coefficients with the constant (xtscc
  keeps one in its within regression too); inference t(T-1). ``small=False`` is xtscc's
  ``ase`` (ivreg2's dkraay() without ``small``).
"""
from __future__ import annotations

import numpy as np

MULTIWAY = ("min", "per_term")


def cluster_meat(scores: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """sum_g s_g' s_g for score rows s_i = x_i u_i summed within cluster g."""
    sums = np.zeros((clusters.max() + 1, scores.shape[1]))
    np.add.at(sums, clusters, scores)
    return sums.T @ sums


def intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Group codes of the (a, b) cells."""
    return np.unique(a.astype(np.int64) * (int(b.max()) + 1) + b, return_inverse=True)[1]


def two_way_cov(scores: np.ndarray, xtx_inv: np.ndarray, a: np.ndarray, b: np.ndarray,
                adjust: float, multiway: str = "min") -> tuple[np.ndarray, int]:
    """CGM two-way clustered covariance; returns (V, the smaller number of clusters).
    ``adjust`` is (N-1)/(N-K) (1 without small-sample factors)."""
    ab = intersection(a, b)
    terms = [(cluster_meat(scores, c), int(c.max()) + 1, sign)
             for c, sign in ((a, 1.0), (b, 1.0), (ab, -1.0))]
    g_min = min(terms[0][1], terms[1][1])
    if multiway == "min":
        meat = sum(sign * m for m, _, sign in terms) * g_min / (g_min - 1)
    elif multiway == "per_term":
        meat = sum(sign * m * g / (g - 1) for m, g, sign in terms)
    else:  # "none": no cluster factor (small=False)
        meat = sum(sign * m for m, _, sign in terms)
    return xtx_inv @ meat @ xtx_inv * adjust, g_min


def default_lag(n_periods: int) -> int:
    """xtscc's rule for the maximum lag: floor(4 (T/100)^(2/9))."""
    return int(np.floor(4 * (n_periods / 100) ** (2 / 9)))


def driscoll_kraay_meat(scores: np.ndarray, periods: np.ndarray, lag: int) -> np.ndarray:
    """Bartlett-weighted long-run covariance of the per-period score sums (periods coded
    0..T-1 in time order)."""
    h = np.zeros((periods.max() + 1, scores.shape[1]))
    np.add.at(h, periods, scores)
    meat = h.T @ h
    for j in range(1, lag + 1):
        gamma = h[j:].T @ h[:-j]
        meat += (1 - j / (lag + 1)) * (gamma + gamma.T)
    return meat
