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


# The conventions of published work (docs/methodology.md section 4, "Conventions"); the
# first of each is the study's. The dbt models take the same names (seed index_methods).
ENTROPY_OPTIONS = {"pool": ("all", "year", "province"), "k": ("n", "years", "provinces"),
                   "zeros": ("zero", "shift_p", "shift_s")}
PCA_OPTIONS = {"matrix": ("correlation", "covariance"),
               "keep": ("eigenvalue_then_share", "eigenvalue", "share", "fixed"),
               "score": ("weighted", "first"), "rescale": ("none", "minmax", "range")}
# The numbers a convention takes when not given (dbt var index_defaults: the same, tested)
DEFAULT_EPSILON = {"zero": 0.0, "shift_p": 1e-10, "shift_s": 0.0001}
DEFAULT_KEEP_VALUE = {"eigenvalue_then_share": 0.85, "eigenvalue": 1.0, "share": 0.85}


def check_option(kind: str, name: str, value: str, options: dict) -> str:
    """``value`` if it is one of the choices of option ``name``; else a ValueError naming them."""
    if value not in options[name]:
        raise ValueError(f"{kind}: unknown {name} {value!r}; choose one of "
                         f"{', '.join(options[name])}")
    return value


@dataclass(frozen=True)
class EntropyResult:
    weights: pd.DataFrame  # [group,] indicator, entropy, divergence, weight
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


def entropy_index(df: pd.DataFrame, columns: Sequence[str], negative: Sequence[str] = (), *,
                  pool: str = "all", k: str = "n", zeros: str = "zero",
                  epsilon: float | None = None, scale: float = 1.0,
                  province: str = "province_code", year: str = "year") -> EntropyResult:
    """Entropy weight method (docs/methodology.md section 4), in any published convention.

    Within each pool group (``pool``: all rows; each ``year``; each ``province``): s =
    min-max standardised (negative indicators reversed), ``zeros = "shift_s"`` adds
    epsilon to s; p = s / sum s; e = -k sum p ln p with 0 ln 0 = 0, or ``zeros =
    "shift_p"``: -k sum (p + epsilon) ln(p + epsilon); ``k``: "n" 1/ln(rows of the
    group), "years" 1/ln(T_i) with T_i the rows of the row's province in ``df`` (the sum
    still runs over the group), "provinces" 1/ln(N_t) with N_t the rows of the row's
    year; d = 1 - e (may be negative); w = d / sum d; score = scale * sum_j w_j s_ij.
    ``df`` needs the ``province`` and ``year`` columns only for the options that use them.
    """
    check_option("entropy", "pool", pool, ENTROPY_OPTIONS)
    check_option("entropy", "k", k, ENTROPY_OPTIONS)
    check_option("entropy", "zeros", zeros, ENTROPY_OPTIONS)
    eps = DEFAULT_EPSILON[zeros] if epsilon is None else float(epsilon)
    groups = (pd.Series("all", index=df.index) if pool == "all"
              else df[year if pool == "year" else province].astype(str))
    if k == "years":
        k_rows = 1 / np.log(df.groupby(province)[province].transform("size").astype(float))
    elif k == "provinces":
        k_rows = 1 / np.log(df.groupby(year)[year].transform("size").astype(float))
    weights, scores = [], []
    for group, rows in df.groupby(groups, sort=True):
        std = _standardise(rows, columns, set(negative))
        if zeros == "shift_s":
            std = std + eps
        p = std / std.sum()
        plnp = ((p + eps) * np.log(p + eps) if zeros == "shift_p"
                else p * np.log(p.where(p > 0, 1.0)))
        if k == "n":
            entropy = -plnp.sum() / np.log(len(std))
        else:
            entropy = -plnp.mul(k_rows.loc[rows.index], axis=0).sum()
        divergence = 1 - entropy
        weight = divergence / divergence.sum()
        weights.append(pd.DataFrame({"group": group, "indicator": list(columns),
                                     "entropy": entropy.values, "divergence": divergence.values,
                                     "weight": weight.values}))
        scores.append(scale * (std * weight).sum(axis=1))
    table = pd.concat(weights, ignore_index=True)
    if pool == "all":
        table = table.drop(columns="group")
    return EntropyResult(table, pd.concat(scores).loc[df.index].rename("score"))


@dataclass(frozen=True)
class PcaResult:
    scores: pd.Series
    eigenvalues: np.ndarray
    variance_shares: np.ndarray
    loadings: pd.DataFrame  # indicator x component (unit eigenvectors, oriented)
    n_kept: int
    composite_weights: np.ndarray  # per component: its weight in the composite (0 if unused)


def _orientation(vectors: np.ndarray) -> np.ndarray:
    """+1/-1 per column so its elements sum to a positive number; when the sum is zero
    (e.g. (1, -1)/sqrt 2), the largest-magnitude element (first on ties) is made positive."""
    sums = vectors.sum(axis=0)
    lead = vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])]
    tie = np.abs(sums) < 1e-10
    return np.where(tie, np.sign(lead), np.sign(sums)) * 1.0


def _kept(values: np.ndarray, shares: np.ndarray, keep: str, keep_value: float | None) -> int:
    if keep == "fixed":
        if keep_value is None or not 1 <= int(keep_value) <= len(values):
            raise ValueError(f"pca: keep fixed needs 1 to {len(values)} components, "
                             f"not {keep_value!r}")
        return int(keep_value)
    if keep_value is None:
        keep_value = DEFAULT_KEEP_VALUE[keep]
    if keep == "eigenvalue":
        return max(int((values > keep_value).sum()), 1)
    threshold = keep_value
    n_kept = 1 if keep == "share" else max(int((values > 1).sum()), 1)
    while shares[:n_kept].sum() < threshold - 1e-12 and n_kept < len(values):
        n_kept += 1
    return n_kept


def pca_index(df: pd.DataFrame, columns: Sequence[str], negative: Sequence[str] = (),
              *, matrix: str = "correlation",
              keep: str = "eigenvalue_then_share", keep_value: float | None = None,
              score: str = "weighted", rescale: str = "none",
              rescale_range: tuple[float, float] | None = None) -> PcaResult:
    """PCA composite (docs/methodology.md section 4), in any published convention.

    Negative indicators times -1; ``matrix = "correlation"``: z-scores and their
    correlation matrix (default), ``"covariance"``: centred values and their covariance
    matrix; components oriented so each eigenvector's elements sum to a positive number;
    ``keep``: eigenvalues > 1 then more until the cumulative share reaches ``keep_value``
    (default 0.85), ``"eigenvalue"`` eigenvalues > keep_value (default
    1), ``"share"`` the fewest components reaching the share, ``"fixed"`` keep_value
    components; ``score``: sum of kept F_k weighted by l_k / sum kept l (default), or
    F_1; ``rescale``: none, ``"minmax"`` to [0, 1], ``"range"`` to ``rescale_range``.
    """
    check_option("pca", "matrix", matrix, PCA_OPTIONS)
    check_option("pca", "keep", keep, PCA_OPTIONS)
    check_option("pca", "score", score, PCA_OPTIONS)
    check_option("pca", "rescale", rescale, PCA_OPTIONS)
    x = df[list(columns)].astype(float).copy()
    for c in negative:
        x[c] = -x[c]
    if (x.std(ddof=1) == 0).any():
        raise ValueError(f"indicator(s) constant over the pool: {list(x.columns[x.std() == 0])}")
    centred = x - x.mean()
    z = centred / x.std(ddof=1) if matrix == "correlation" else centred
    values, vectors = np.linalg.eigh(np.corrcoef(z.to_numpy(), rowvar=False)
                                     if matrix == "correlation"
                                     else np.cov(z.to_numpy(), rowvar=False, ddof=1))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    vectors = vectors * _orientation(vectors)
    shares = values / values.sum()
    n_kept = _kept(values, shares, keep, keep_value)
    components = z.to_numpy() @ vectors[:, :n_kept]
    weights = np.zeros(len(values))
    if score == "first":
        weights[0] = 1.0
        composite = components[:, 0]
    else:
        kept = values[:n_kept]
        weights[:n_kept] = kept / kept.sum()
        composite = components @ weights[:n_kept]
    if rescale != "none":
        low, high = (0.0, 1.0) if rescale == "minmax" else _range(rescale_range)
        composite = low + (high - low) * (composite - composite.min()) / (
            composite.max() - composite.min())
    loadings = pd.DataFrame(vectors, index=list(columns),
                            columns=[f"pc{k + 1}" for k in range(len(values))])
    return PcaResult(pd.Series(composite, index=df.index, name="score"), values, shares,
                     loadings, n_kept, weights)


def _range(bounds) -> tuple[float, float]:
    if bounds is None or len(bounds) != 2 or not bounds[0] < bounds[1]:
        raise ValueError(f"pca: rescale range needs (low, high) with low < high, not {bounds!r}")
    return float(bounds[0]), float(bounds[1])
