"""Cluster bootstrap of linear fixed-effect regressions without refitting each draw.

Within one draw a resampled cluster keeps its rows, and a duplicated cluster is a new
entity. Entity demeaning therefore depends only on the cluster's own rows, so each
cluster's entity-demeaned cross-products are computed once: for variables W (regression
columns) and time dummies D,

    S_DD = sum_g n_g D_g'D_g,  S_DW = sum_g n_g D_g'W_g,  S_WW = sum_g n_g W_g'W_g,

with n_g the number of times cluster g is drawn, and M = S_WW - S_DW' S_DD^+ S_DW is W'W
after partialling the time effects. Any OLS among the columns of W is then
beta = M[X, X]^-1 M[X, y]. All draws are computed at once with batched linear algebra;
the result equals refitting the model on the resampled data (tested).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from stats.panel import ModelSpecError, _demean, group_codes, is_nested


def cross_products(frame: pd.DataFrame, columns: list[str], *, cluster: str, entity: str | None,
                   time: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-cluster S_WW, S_DW, S_DD (stacked on axis 0) for the effects requested."""
    if entity is not None and not is_nested(frame[entity], frame[cluster]):
        raise ModelSpecError("the fast cluster bootstrap needs entities nested in clusters")
    W = frame[columns].to_numpy(dtype=float)
    pieces = []
    if time is not None:
        # one period is the reference: with all of them D would be rank-deficient (their sum
        # is the constant, which the entity demeaning removes or the constant column repeats)
        # and the pseudo-inverse would decide the rank of each draw from rounding noise
        t = group_codes(frame[time])
        pieces.append(np.eye(t.max() + 1)[t][:, 1:])
    if entity is None:
        pieces.append(np.ones((len(frame), 1)))  # the constant is partialled like an effect
        D = np.column_stack(pieces)
    else:
        codes = group_codes(frame[entity])
        W = _demean(W, codes)
        D = _demean(np.column_stack(pieces), codes) if pieces else np.zeros((len(frame), 0))
    g = group_codes(frame[cluster])
    G, p, q = g.max() + 1, W.shape[1], D.shape[1]
    sww, sdw, sdd = np.zeros((G, p, p)), np.zeros((G, q, p)), np.zeros((G, q, q))
    for k in range(G):
        rows = g == k
        sww[k] = W[rows].T @ W[rows]
        sdw[k] = D[rows].T @ W[rows]
        sdd[k] = D[rows].T @ D[rows]
    return sww, sdw, sdd


def draw_counts(n_clusters: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n_clusters) multiplicities of clusters drawn with replacement."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_clusters, size=(n_boot, n_clusters))
    counts = np.zeros((n_boot, n_clusters))
    np.add.at(counts, (np.repeat(np.arange(n_boot), n_clusters), idx.ravel()), 1)
    return counts


def partialled_moments(counts: np.ndarray, sww, sdw, sdd) -> np.ndarray:
    """M (n_boot, p, p): W'W of each draw after partialling the time effects."""
    WW = np.einsum("bg,gij->bij", counts, sww)
    if sdd.shape[1] == 0:
        return WW
    DW = np.einsum("bg,gij->bij", counts, sdw)
    DD = np.einsum("bg,gij->bij", counts, sdd)
    # pinv only for draws that miss whole periods; rcond well above rounding noise
    return WW - np.transpose(DW, (0, 2, 1)) @ np.linalg.pinv(DD, rcond=1e-10, hermitian=True) @ DW


def batched_ols(M: np.ndarray, y: int, x: list[int]) -> np.ndarray:
    """(n_boot, len(x)) OLS coefficients of column y on columns x from moments M."""
    Mxx = M[:, x][:, :, x]
    Mxy = M[:, x, y]
    return np.linalg.solve(Mxx, Mxy[..., None])[..., 0]
