"""Immutable estimation results, shaped like linearmodels' (params, std_errors, ...)."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats as sps


@dataclass(frozen=True)
class TestStatistic:
    """A test's statistic, degrees of freedom (where one applies) and p-value."""
    name: str
    statistic: float
    pvalue: float | None
    df: float | tuple | None = None
    distribution: str = ""

    def __str__(self) -> str:
        df = f"({self.df})" if self.df is not None else ""
        p = "" if self.pvalue is None else f", p = {self.pvalue:.4f}"
        return f"{self.name}: {self.distribution}{df} = {self.statistic:.4f}{p}"


@dataclass(frozen=True)
class EstimationResult:
    """Estimates of one model. ``df_resid`` None means normal inference, else t(df_resid)."""
    model: str
    params: pd.Series
    cov: pd.DataFrame
    nobs: int
    df_resid: float | None
    cov_type: str
    fit_stats: Mapping[str, float] = field(default_factory=dict)
    tests: Mapping[str, TestStatistic] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "fit_stats", MappingProxyType(dict(self.fit_stats)))
        object.__setattr__(self, "tests", MappingProxyType(dict(self.tests)))
        self.params.flags.allows_duplicate_labels = False

    @property
    def std_errors(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index,
                         name="std_error")

    @property
    def tstats(self) -> pd.Series:
        return (self.params / self.std_errors).rename("statistic")

    @property
    def pvalues(self) -> pd.Series:
        t = self.tstats.abs()
        if self.df_resid is None:
            p = 2 * sps.norm.sf(t)
        else:
            p = 2 * sps.t.sf(t, self.df_resid)
        return pd.Series(p, index=self.params.index, name="p_value")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        q = (sps.norm.ppf if self.df_resid is None else
             (lambda a: sps.t.ppf(a, self.df_resid)))(0.5 + level / 2)
        se = self.std_errors
        return pd.DataFrame({"lower": self.params - q * se, "upper": self.params + q * se})

    def to_frame(self) -> pd.DataFrame:
        ci = self.conf_int()
        return pd.DataFrame({"estimate": self.params, "std_error": self.std_errors,
                             "statistic": self.tstats, "p_value": self.pvalues,
                             "ci_low": ci["lower"], "ci_high": ci["upper"]}).rename_axis("term")

    @property
    def summary(self) -> str:
        lines = [f"{self.model}   N = {self.nobs}   covariance: {self.cov_type}"]
        lines += [f"  {k} = {v:.6g}" for k, v in self.fit_stats.items()]
        lines.append(self.to_frame().to_string(float_format=lambda v: f"{v:.6g}"))
        lines += [f"  {t}" for t in self.tests.values()]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary
