"""Three-step mediation with Sobel-type tests and a cluster bootstrap (docs/methodology.md 6).

c: y ~ x + controls;  a: m ~ x + controls;  c' and b: y ~ x + m + controls, all with the
same effects, sample and clustering. Indirect effect a*b; in linear models c = c' + a*b.
Sobel z = ab / sqrt(b^2 s_a^2 + a^2 s_b^2); Aroian adds s_a^2 s_b^2 under the root,
Goodman subtracts it. The bootstrap resamples clusters (rows when there is no cluster
or entity) and reports percentile and bias-corrected intervals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from stats.bootstrap import batched_ols, cross_products, draw_counts, partialled_moments
from stats.fe import fe_ols
from stats.panel import check_effects, clean_frame, drop_singletons
from stats.results import EstimationResult, TestStatistic


@dataclass(frozen=True)
class MediationResult:
    x: str
    m: str
    a: float
    b: float
    c: float
    c_prime: float
    models: Mapping[str, EstimationResult]
    tests: Mapping[str, TestStatistic]
    boot: pd.DataFrame          # rows indirect/direct/total; estimate, std_error, intervals
    draws: pd.DataFrame = field(repr=False)
    n_boot: int = 0
    seed: int = 0
    level: float = 0.95

    def __post_init__(self):
        object.__setattr__(self, "models", MappingProxyType(dict(self.models)))
        object.__setattr__(self, "tests", MappingProxyType(dict(self.tests)))

    @property
    def indirect(self) -> float:
        return self.a * self.b

    @property
    def share_mediated(self) -> float:
        """a*b / c, the share of the total effect that goes through the mediator."""
        return self.indirect / self.c

    @property
    def suppression(self) -> bool:
        """Indirect and direct effects of opposite signs (a suppression effect)."""
        return bool(np.sign(self.indirect) != np.sign(self.c_prime))

    @property
    def suppression_ratio(self) -> float:
        """|a*b / c'|, the size of a suppression effect."""
        return abs(self.indirect / self.c_prime)

    @property
    def nobs(self) -> int:
        return self.models["outcome"].nobs

    @property
    def params(self) -> pd.Series:
        return pd.Series({"a": self.a, "b": self.b, "c": self.c, "c_prime": self.c_prime,
                          "indirect": self.indirect})

    @property
    def std_errors(self) -> pd.Series:
        m, x, med = self.models, self.x, self.m
        return pd.Series({"a": m["mediator"].std_errors[x], "b": m["outcome"].std_errors[med],
                          "c": m["total"].std_errors[x], "c_prime": m["outcome"].std_errors[x],
                          "indirect": self.boot.loc["indirect", "std_error"]})

    @property
    def pvalues(self) -> pd.Series:
        m, x, med = self.models, self.x, self.m
        return pd.Series({"a": m["mediator"].pvalues[x], "b": m["outcome"].pvalues[med],
                          "c": m["total"].pvalues[x], "c_prime": m["outcome"].pvalues[x],
                          "indirect": self.tests["sobel"].pvalue})

    def conf_int(self, kind: str = "percentile") -> pd.DataFrame:
        col = {"percentile": "pct", "bias_corrected": "bc"}[kind]
        return self.boot[[f"{col}_low", f"{col}_high"]].set_axis(["lower", "upper"], axis=1)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": self.params, "std_error": self.std_errors,
                             "p_value": self.pvalues}).rename_axis("term")

    @property
    def summary(self) -> str:
        lines = [f"Mediation  N = {self.nobs}  bootstrap draws = {self.n_boot} (seed {self.seed})",
                 self.to_frame().to_string(float_format=lambda v: f"{v:.6g}"),
                 self.boot.to_string(float_format=lambda v: f"{v:.6g}")]
        lines += [f"  {t}" for t in self.tests.values()]
        label = (f"suppression: |ab/c'| = {self.suppression_ratio:.4f}" if self.suppression
                 else f"share mediated ab/c = {self.share_mediated:.4f}")
        return "\n".join(lines + [f"  {label}"])


def sobel_tests(a: float, b: float, se_a: float, se_b: float) -> dict[str, TestStatistic]:
    base = b ** 2 * se_a ** 2 + a ** 2 * se_b ** 2
    out = {}
    for name, var in (("sobel", base), ("aroian", base + se_a ** 2 * se_b ** 2),
                      ("goodman", base - se_a ** 2 * se_b ** 2)):
        z = a * b / np.sqrt(var) if var > 0 else np.nan
        out[name] = TestStatistic(name, float(z), float(2 * sps.norm.sf(abs(z))), None, "z")
    return out


def _intervals(draws: np.ndarray, estimate: float, level: float) -> dict[str, float]:
    alpha = (1 - level) / 2
    lo, hi = np.quantile(draws, [alpha, 1 - alpha])
    z0 = sps.norm.ppf(np.clip((draws < estimate).mean(), 1e-12, 1 - 1e-12))
    p_lo, p_hi = sps.norm.cdf(2 * z0 + sps.norm.ppf([alpha, 1 - alpha]))
    bc_lo, bc_hi = np.quantile(draws, [p_lo, p_hi])
    return {"estimate": estimate, "std_error": float(draws.std(ddof=1)), "pct_low": lo,
            "pct_high": hi, "bc_low": bc_lo, "bc_high": bc_hi}


def mediate(df: pd.DataFrame, y: str, x: str, m: str, *, controls: Sequence[str] = (),
            entity: str | None = None, time: str | None = None,
            effects: Sequence[str] = ("entity", "time"), cluster: str | None = None,
            n_boot: int = 5000, seed: int = 0, level: float = 0.95) -> MediationResult:
    """Mediation of x -> y through m (see module docstring)."""
    effects = check_effects(effects if (entity or time) else ())
    fe_cols = [c for e, c in (("entity", entity), ("time", time)) if e in effects]
    keys = list(dict.fromkeys([*fe_cols, *([cluster] if cluster else [])]))
    frame, _ = drop_singletons(clean_frame(df, [y, x, m, *controls], keys), fe_cols)
    kw = dict(entity=entity, time=time, effects=effects, cluster=cluster)
    total = fe_ols(frame, y, [x, *controls], **kw)
    mediator = fe_ols(frame, m, [x, *controls], **kw)
    outcome = fe_ols(frame, y, [x, m, *controls], **kw)
    a, c = mediator.params[x], total.params[x]
    c_prime, b = outcome.params[x], outcome.params[m]
    tests = sobel_tests(a, b, mediator.std_errors[x], outcome.std_errors[m])
    draws = bootstrap_paths(frame, y, x, m, controls, entity=entity if "entity" in effects else None,
                            time=time if "time" in effects else None, cluster=cluster,
                            n_boot=n_boot, seed=seed)
    boot = pd.DataFrame({name: _intervals(draws[col].to_numpy(), est, level) for name, col, est in
                         (("indirect", "indirect", a * b), ("direct", "c_prime", c_prime),
                          ("total", "c", c))}).T
    return MediationResult(x, m, a, b, c, c_prime, {"total": total, "mediator": mediator,
                                              "outcome": outcome}, tests, boot, draws,
                           n_boot, seed, level)


def bootstrap_paths(frame: pd.DataFrame, y: str, x: str, m: str, controls: Sequence[str], *,
                    entity, time, cluster, n_boot: int, seed: int) -> pd.DataFrame:
    """Bootstrap draws of a, b, c, c' and a*b (columns), one row per draw."""
    if cluster is None:
        cluster = entity if entity is not None else "__row__"
        frame = frame.assign(__row__=np.arange(len(frame)))
    cols = [y, x, m, *controls]
    sww, sdw, sdd = cross_products(frame, cols, cluster=cluster, entity=entity, time=time)
    counts = draw_counts(sww.shape[0], n_boot, seed)
    M = partialled_moments(counts, sww, sdw, sdd)
    ctrl = list(range(3, len(cols)))
    c = batched_ols(M, 0, [1, *ctrl])[:, 0]
    a = batched_ols(M, 2, [1, *ctrl])[:, 0]
    out = batched_ols(M, 0, [1, 2, *ctrl])
    return pd.DataFrame({"a": a, "b": out[:, 1], "c": c, "c_prime": out[:, 0],
                         "indirect": a * out[:, 1]})
