"""Wild cluster bootstrap (WCR: the null imposed) for a linear restriction after fe_ols.

As Stata's boottest (Roodman, MacKinnon, Nielsen and Webb 2019, "Fast and wild"):
the bootstrap-t of H0: R b = r with the null imposed on the bootstrap DGP,
y* = X b~ + u~ * v_g, where b~ is the restricted estimate, u~ its residuals and v_g one
auxiliary weight per cluster (Rademacher, Webb or Mammen). Each draw's t is
(R b* - r) / se*(R b*), se* the cluster-robust standard error of the draw with the same
small-sample factor as the original t (so p-values do not depend on it).

Fixed effects nested in the clusters are partialled out (they drop out of every draw
exactly); the others (year effects when clustering by province) stay in X as dummies.

Speed: with A = (X'X)^-1, S_g = X_g' u~_g and c = X A R', a draw's numerator is
sum_g a_g v_g (a_g = R A S_g) and its score in cluster h is q_h v_h - sum_g W_hg v_g
(q_h = c_h' u~_h, W_hg = c_h' X_h A S_g): G x G work for all draws at once, never an
n x B matrix. Every piece is affine in r, so the p-value at any r costs O(B), which makes
the confidence interval by test inversion cheap.

p-values (boottest's): symmetric P(|t*| > |t|), equal-tailed 2 min(P(t* < t), P(t* > t)),
strict inequalities over the B draws; draws equal to t up to rounding are ties and do not
count (boottest's own rounding sometimes counts one of them). With Rademacher weights and
2^G <= draws asked for, every sign pattern is used once (full enumeration: exact and
deterministic). The confidence interval is {r : p(r) > 1 - level} around the estimate,
its ends at the exact steps of p(r) (boottest stops its search within one draw of the
level, so its printed ends can differ by up to one step).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats.fe import build_design, check_rank
from stats.panel import ModelSpecError, check_effects, group_codes, is_nested

WEIGHTS = ("rademacher", "webb", "mammen")
TIE = 1e-10  # relative: draws this close to the statistic are ties (rounding, not data)
PTYPES = ("symmetric", "equaltail")


@dataclass(frozen=True)
class WildBootstrapResult:
    hypothesis: str
    statistic: float          # t of the original sample (cluster-robust, reghdfe scaling)
    df: int                   # G - 1 (for display, as boottest prints t(G-1))
    pvalue: float
    conf_int: tuple[float, float]
    draws: int
    enumerated: bool          # every Rademacher sign pattern used once
    weights: str
    ptype: str
    seed: int | None
    level: float
    n_clusters: int

    def __str__(self) -> str:
        lo, hi = self.conf_int
        how = "all 2^G sign patterns" if self.enumerated else f"{self.draws} draws"
        return (f"wild cluster bootstrap-t (null imposed, {self.weights}, {how}): "
                f"{self.hypothesis}: t({self.df}) = {self.statistic:.4f}, "
                f"p = {self.pvalue:.4f}, {self.level:.0%} CI [{lo:.5g}, {hi:.5g}]")


def parse_hypothesis(text: str, names: list[str]) -> tuple[np.ndarray, float]:
    """'x', 'x = .04', 'x - z = 0', '2*x + z = 1' -> (R, r) over ``names``."""
    left, _, right = text.partition("=")
    try:
        r = float(right) if right.strip() else 0.0
    except ValueError:
        raise ModelSpecError(f"hypothesis {text!r}: the right side must be a number") from None
    R = np.zeros(len(names))
    terms = re.findall(r"([+-]?)\s*(?:([0-9.eE]+)\s*\*\s*)?([A-Za-z_][\w.]*)", left)
    rebuilt = "".join(s + (c or "") + n for s, c, n in terms).replace(" ", "")
    if not terms or rebuilt != re.sub(r"[\s*]", "", left).replace("*", ""):
        raise ModelSpecError(f"hypothesis {text!r}: write it as a linear combination of "
                             "terms, e.g. 'digde', 'digde = 1' or 'a - b = 0'")
    for sign, coef, name in terms:
        if name not in names:
            raise ModelSpecError(f"hypothesis {text!r} names {name!r}, which is not a "
                                 f"regressor of the model ({', '.join(names)})")
        R[names.index(name)] += (-1.0 if sign == "-" else 1.0) * (float(coef) if coef else 1.0)
    return R, r


def auxiliary_weights(kind: str, n_clusters: int, draws: int,
                      rng: np.random.Generator) -> np.ndarray:
    """(G, B) weights with mean 0 and variance 1."""
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(n_clusters, draws))
    if kind == "webb":
        values = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
        return rng.choice(values, size=(n_clusters, draws))
    s5 = np.sqrt(5.0)
    low, high = -(s5 - 1) / 2, (s5 + 1) / 2
    return np.where(rng.random((n_clusters, draws)) < (s5 + 1) / (2 * s5), low, high)


def _design(df, y, x, entity, time, effects, cluster):
    """Partial out effects nested in the clusters; others become dummy columns. Returns
    (y, X, names, frame, nested effects)."""
    effects = check_effects(effects)
    cols = {"entity": entity, "time": time}
    for e in effects:
        if cols[e] is None or cols[e] not in df:
            raise ModelSpecError(f"effects include '{e}' but its column is not given")
    nested = tuple(e for e in effects if is_nested(df[cols[e]], df[cluster]))
    frame = df.copy()
    dummies = []
    for e in effects:
        if e in nested:
            continue
        levels = pd.get_dummies(frame[cols[e]].astype(str), prefix=f"__{e}", drop_first=True,
                                dtype=float)
        frame = pd.concat([frame, levels], axis=1)
        dummies += list(levels.columns)
    data, fe_cols, frame, _, _, _ = build_design(
        frame, [y, *x, *dummies], entity=entity, time=time, effects=nested, cluster=cluster)
    Y, X = data[:, 0], data[:, 1:]
    names = [*x, *dummies]
    if not fe_cols:
        X, names = np.column_stack([X, np.ones(len(Y))]), [*names, "const"]
    check_rank(X, X, names, "regressor(s)")
    return Y, X, names, frame, nested


def wild_cluster_bootstrap(df: pd.DataFrame, y: str, x, hypothesis: str, *, cluster: str,
                           entity: str | None = None, time: str | None = None,
                           effects=("entity", "time"), draws: int = 9999,
                           weights: str = "rademacher", ptype: str = "symmetric",
                           seed: int | None = 0, level: float = 0.95) -> WildBootstrapResult:
    """Wild cluster restricted bootstrap-t of ``hypothesis`` after fe_ols (same sample,
    effects and clustering), with a confidence interval by test inversion."""
    x = [x] if isinstance(x, str) else list(x)
    if weights not in WEIGHTS:
        raise ModelSpecError(f"unknown weights {weights!r}: use one of {', '.join(WEIGHTS)}")
    if ptype not in PTYPES:
        raise ModelSpecError(f"unknown ptype {ptype!r}: use one of {', '.join(PTYPES)}")
    if cluster not in df:
        raise ModelSpecError(f"cluster column {cluster!r} is not in the data")
    Y, X, names, frame, nested = _design(df, y, x, entity, time, effects, cluster)
    R, r0 = parse_hypothesis(hypothesis, names)
    clusters = group_codes(frame[cluster])
    G = int(clusters.max()) + 1
    if G < 2:
        raise ModelSpecError(f"the wild cluster bootstrap needs at least 2 clusters; "
                             f"'{cluster}' has {G}")
    n, k = X.shape
    # reghdfe's K: the regressors with the dummies of effects not nested in the clusters;
    # absorbed (nested) effects count 0 but absorb the constant (1)
    small = G / (G - 1) * (n - 1) / (n - k - (1 if nested else 0))
    enumerated = weights == "rademacher" and G * np.log(2) <= np.log(draws) + 1e-6
    if enumerated:
        V = np.array(list(itertools.product((1.0, -1.0), repeat=G))).T
    else:
        V = auxiliary_weights(weights, G, draws, np.random.default_rng(seed))
    curve = _Curve(Y, X, R, clusters, G, V, small)
    t0 = curve.t_observed(r0)
    p = curve.pvalue(r0, ptype)
    ci = curve.interval(1 - level, ptype)
    return WildBootstrapResult(hypothesis, t0, G - 1, p, ci, V.shape[1], enumerated, weights,
                               ptype, None if enumerated else seed, level, G)


class _Curve:
    """The bootstrap-t of every draw as a function of the null value r (affine pieces)."""

    def __init__(self, Y, X, R, clusters, G, V, small):
        A = np.linalg.inv(X.T @ X)
        beta = A @ X.T @ Y
        u = Y - X @ beta
        self.estimate = float(R @ beta)
        rar = float(R @ A @ R)
        c = X @ (A @ R)                       # n: R A x_i
        z = c / rar                           # u~(r) = u + (R b - r) z
        onehot = np.zeros((len(Y), G))
        onehot[np.arange(len(Y)), clusters] = 1.0
        S0, S1 = (X * u[:, None]).T @ onehot, (X * z[:, None]).T @ onehot     # k x G
        a0, a1 = R @ A @ S0, R @ A @ S1                                        # G
        CX = (X * c[:, None]).T @ onehot                                       # k x G: X_h'c_h
        q0, q1 = (c * u) @ onehot, (c * z) @ onehot                            # G
        M0 = np.diag(q0) - CX.T @ A @ S0                                       # G x G
        M1 = np.diag(q1) - CX.T @ A @ S1
        self.small = small
        ones = np.ones((G, 1))
        self._parts = [self._project(a0, a1, M0, M1, W) for W in (ones, V)]
        self.draws = V.shape[1]

    @staticmethod
    def _project(a0, a1, M0, M1, W):
        P0, P1 = M0 @ W, M1 @ W
        return (a0 @ W, a1 @ W, (P0 * P0).sum(0), 2 * (P0 * P1).sum(0), (P1 * P1).sum(0))

    def _t(self, part, r):
        n0, n1, s00, s01, s11 = part
        d = self.estimate - r
        den = np.sqrt(self.small * np.maximum(s00 + d * s01 + d * d * s11, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            return (n0 + d * n1) / den

    def t_observed(self, r) -> float:
        return float(self._t(self._parts[0], r)[0])

    def pvalue(self, r, ptype) -> float:
        """Strict inequalities; a draw equal to t up to rounding (the all-ones draw, and
        its mirror in the symmetric test) is a tie and does not count."""
        t, dist = self._t(self._parts[0], r)[0], self._t(self._parts[1], r)
        tie = TIE * abs(t)
        if ptype == "symmetric":
            return float(np.sum(np.abs(dist) > abs(t) + tie) / self.draws)
        return float(2 * min(np.sum(dist < t - tie), np.sum(dist > t + tie)) / self.draws)

    def interval(self, alpha, ptype) -> tuple[float, float]:
        """The set {r : p(r) > alpha} around the estimate, its two ends found by widening
        a bracket and bisecting to machine precision (p is a step function of r)."""
        inside = self.estimate
        t1 = self.t_observed(inside + 1.0)   # t is linear in r: 1 / se
        step = 3.0 / max(abs(t1), 1e-300)
        bounds = []
        for direction in (-1.0, 1.0):
            width = step
            for _ in range(60):
                if self.pvalue(inside + direction * width, ptype) <= alpha:
                    break
                width *= 2
            else:
                bounds.append(direction * np.inf)
                continue
            lo, hi = 0.0, width
            for _ in range(200):
                mid = (lo + hi) / 2
                if mid in (lo, hi):
                    break
                if self.pvalue(inside + direction * mid, ptype) > alpha:
                    lo = mid
                else:
                    hi = mid
            bounds.append(inside + direction * (lo + hi) / 2)
        return (float(bounds[0]), float(bounds[1]))
