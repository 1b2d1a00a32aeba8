"""Indicators and composite indices as plain functions on DataFrames.

These are the Python twins of the dbt SQL models (docs/methodology.md sections 2 and 4):
the tests run both on the same input and require equality to 1e-9.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd


def hhi(df: pd.DataFrame, *, group: Sequence[str], value: str) -> pd.Series:
    """Herfindahl index sum_k s_k^2 of ``value`` shares within each ``group``.

    Dexp in the study (docs/methodology.md section 2), in (0, 1].
    """
    total = df.groupby(list(group))[value].transform("sum")
    share_sq = (df[value] / total) ** 2
    return share_sq.groupby([df[g] for g in group]).sum().rename("hhi")


def prody(exports: pd.DataFrame, income: pd.DataFrame, *, exporter: str, product: str,
          year: str, value: str, total: pd.DataFrame | None = None,
          income_col: str = "income") -> pd.Series:
    """PRODY_kt = sum_j [ (x_jkt / X_jt) / sum_j (x_jkt / X_jt) ] * Y_jt.

    Hausmann, Hwang and Rodrik (2007). ``total`` gives each exporter's total exports X_jt
    (columns exporter, year, ``total``); without it X_jt is the sum over ``exports``.
    ``income`` holds Y_jt (exporter, year, ``income_col``).
    """
    x = exports.groupby([exporter, product, year], as_index=False)[value].sum()
    if total is None:
        total = x.groupby([exporter, year], as_index=False)[value].sum()
        total = total.rename(columns={value: "total"})
    x = x.merge(total[[exporter, year, "total"]], on=[exporter, year])
    x["rca_num"] = x[value] / x["total"]
    x["rca_den"] = x.groupby([product, year])["rca_num"].transform("sum")
    x = x.merge(income[[exporter, year, income_col]], on=[exporter, year])
    x["term"] = x["rca_num"] / x["rca_den"] * x[income_col]
    return x.groupby([product, year])["term"].sum().rename("prody")


def expy(exports: pd.DataFrame, prody_values: pd.Series, *, exporter: str, product: str,
         year: str, value: str) -> pd.Series:
    """EXPY_it = sum_k s_ikt * PRODY_kt (shares within exporter-year)."""
    x = exports.groupby([exporter, product, year], as_index=False)[value].sum()
    x["share"] = x[value] / x.groupby([exporter, year])[value].transform("sum")
    x = x.merge(prody_values.reset_index(), on=[product, year])
    x["term"] = x["share"] * x["prody"]
    return x.groupby([exporter, year])["term"].sum().rename("expy")


@dataclass(frozen=True)
class EntropyResult:
    weights: pd.DataFrame  # indicator, entropy, divergence, weight
    scores: pd.Series


def _standardise(df: pd.DataFrame, columns, negative) -> pd.DataFrame:
    x = df[list(columns)].astype(float)
    lo, hi = x.min(), x.max()
    constant = list(hi.index[(hi - lo) == 0])
    if constant:
        raise ValueError(f"indicator(s) constant over the pool, cannot standardise: {constant}")
    pos = (x - lo) / (hi - lo)
    neg = (hi - x) / (hi - lo)
    return pd.DataFrame({c: (neg[c] if c in negative else pos[c]) for c in columns})


def entropy_index(df: pd.DataFrame, columns: Sequence[str], negative: Sequence[str] = ()
                  ) -> EntropyResult:
    """Entropy weight method over the pooled rows of ``df`` (docs/methodology.md section 4).

    x' range-standardised; p = x' / sum x'; e = -(1/ln n) sum p ln p with 0 ln 0 = 0;
    d = 1 - e; w = d / sum d; score = sum_j w_j x'_j.
    """
    std = _standardise(df, columns, set(negative))
    n = len(std)
    p = std / std.sum()
    plogp = (p * np.log(p.where(p > 0, 1.0))).sum()
    entropy = -plogp / np.log(n)
    divergence = 1 - entropy
    weight = divergence / divergence.sum()
    weights = pd.DataFrame({"indicator": list(columns), "entropy": entropy.values,
                            "divergence": divergence.values, "weight": weight.values})
    return EntropyResult(weights, (std * weight).sum(axis=1).rename("score"))


@dataclass(frozen=True)
class PcaResult:
    scores: pd.Series
    eigenvalues: np.ndarray
    variance_shares: np.ndarray
    loadings: pd.DataFrame  # indicator x component (unit eigenvectors, oriented)
    n_kept: int


def _orientation(vectors: np.ndarray) -> np.ndarray:
    """+1/-1 per column so its elements sum to a positive number; when the sum is zero
    (e.g. (1, -1)/sqrt 2), the largest-magnitude element (first on ties) is made positive."""
    sums = vectors.sum(axis=0)
    lead = vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])]
    tie = np.abs(sums) < 1e-10
    return np.where(tie, np.sign(lead), np.sign(sums)) * 1.0


def pca_index(df: pd.DataFrame, columns: Sequence[str], negative: Sequence[str] = (),
              *, threshold: float = 0.85) -> PcaResult:
    """PCA composite (docs/methodology.md section 4).

    z-score each indicator (negatives times -1); eigen-decompose the correlation matrix;
    keep components with eigenvalue > 1, then add more in order until the cumulative
    variance share reaches ``threshold``; orient each eigenvector so its elements sum
    to a positive number; composite = sum_kept (l_k / sum_kept l) * F_k, F_k = u_k' z.
    """
    x = df[list(columns)].astype(float).copy()
    for c in negative:
        x[c] = -x[c]
    if (x.std(ddof=1) == 0).any():
        raise ValueError(f"indicator(s) constant over the pool: {list(x.columns[x.std() == 0])}")
    z = (x - x.mean()) / x.std(ddof=1)
    corr = np.corrcoef(z.to_numpy(), rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    vectors = vectors * _orientation(vectors)
    shares = values / values.sum()
    n_kept = max(int((values > 1).sum()), 1)
    while shares[:n_kept].sum() < threshold - 1e-12 and n_kept < len(values):
        n_kept += 1
    components = z.to_numpy() @ vectors[:, :n_kept]
    kept = values[:n_kept]
    score = components @ (kept / kept.sum())
    loadings = pd.DataFrame(vectors, index=list(columns),
                            columns=[f"pc{k + 1}" for k in range(len(values))])
    return PcaResult(pd.Series(score, index=df.index, name="score"), values, shares,
                     loadings, n_kept)
