"""Stacked equations and instruments of difference and system GMM, as xtabond2 builds them.

Data go on a rectangular entity x period grid, so a lag or a difference across a gap is
missing (as with Stata's time-series operators). Per entity, rows are the equation in
first differences (periods 2..T) followed, in system GMM, by the equation in levels.
Missing instruments are zeros; instrument columns that are zero everywhere are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from stats.panel import ModelSpecError

EQUATIONS = ("diff", "level", "both")


def _validate_group(group) -> None:
    """Both instrument kinds: a lone variable name becomes a tuple; the equation is known."""
    if isinstance(group.variables, str):
        object.__setattr__(group, "variables", (group.variables,))
    else:
        object.__setattr__(group, "variables", tuple(group.variables))
    if group.equation not in EQUATIONS:
        raise ModelSpecError(f"unknown equation '{group.equation}'; choose from {EQUATIONS}")


@dataclass(frozen=True)
class GmmInstruments:
    """GMM-style instruments, as xtabond2's gmm(vars, laglimits(min_lag max_lag))."""
    variables: tuple[str, ...] | str
    min_lag: int = 1
    max_lag: int | None = None
    collapse: bool = False
    equation: str = "both"

    def __post_init__(self):
        _validate_group(self)
        if self.max_lag is not None and self.max_lag < self.min_lag:
            raise ModelSpecError("max_lag must be at least min_lag")


@dataclass(frozen=True)
class IvInstruments:
    """IV-style instruments, as xtabond2's iv(vars, eq(...)): one column per variable."""
    variables: tuple[str, ...] | str
    equation: str = "both"

    def __post_init__(self):
        _validate_group(self)


LAG = re.compile(r"^L(\d*)\.(.+)$")


def parse_term(term: str) -> tuple[str, int]:
    """'L2.n' -> ('n', 2); 'L.n' -> ('n', 1); 'w' -> ('w', 0)."""
    match = LAG.match(term)
    if not match:
        return term, 0
    return match.group(2), int(match.group(1) or 1)


@dataclass(frozen=True)
class Design:
    y: list[np.ndarray]      # per entity: stacked (diff rows, level rows)
    X: list[np.ndarray]
    Z: list[np.ndarray]
    H: list[np.ndarray]      # one-step weighting blocks
    n_diff: list[int]        # number of diff rows per entity (they come first)
    names: list[str]
    instrument_names: list[str]
    nobs: int
    n_groups: int
    diff_periods: list[np.ndarray]  # period index of each diff row, per entity


class Grid:
    """Variables on an entity x period grid; lag(v, k)[e, t] = v[e, t - k]."""

    def __init__(self, df: pd.DataFrame, entity: str, time: str, variables: Sequence[str]):
        for c in [entity, time, *variables]:
            if c not in df.columns:
                raise ModelSpecError(f"column not in the data: '{c}'")
        for c in variables:
            if not pd.api.types.is_numeric_dtype(df[c]):
                raise ModelSpecError(f"column '{c}' is not numeric (dtype {df[c].dtype})")
        if df.duplicated([entity, time]).any():
            raise ModelSpecError(f"({entity}, {time}) does not identify rows uniquely")
        times = df[time].astype(int)
        self.entities = np.sort(df[entity].unique())
        self.periods = np.arange(times.min(), times.max() + 1)
        e = np.searchsorted(self.entities, df[entity].to_numpy())
        t = times.to_numpy() - self.periods[0]
        self.values = {}
        for v in variables:
            grid = np.full((len(self.entities), len(self.periods)), np.nan)
            grid[e, t] = df[v].to_numpy(dtype=float)
            self.values[v] = grid

    def lag(self, var: str, k: int) -> np.ndarray:
        base = self.values[var]
        if k == 0:
            return base
        out = np.full_like(base, np.nan)
        if k < base.shape[1]:
            out[:, k:] = base[:, :-k]
        return out

    def diff(self, arr: np.ndarray) -> np.ndarray:
        out = np.full_like(arr, np.nan)
        out[:, 1:] = arr[:, 1:] - arr[:, :-1]
        return out


def _by_period(values: np.ndarray, split: bool):
    """One column, or one column per period (GMM-style) holding that period's values."""
    if not split:
        return [(None, values)]
    out = []
    for t in range(values.shape[1]):
        col = np.zeros_like(values)
        col[:, t] = values[:, t]
        out.append((t, col))
    return out


def instrument_columns(grid: Grid, gmm: Sequence[GmmInstruments], iv: Sequence[IvInstruments],
                       system: bool, constant: bool):
    """(name, diff-equation values, level-equation values) per instrument column."""
    zeros = np.zeros((len(grid.entities), len(grid.periods)))
    cols = []
    for spec in gmm:
        max_lag = spec.max_lag if spec.max_lag is not None else len(grid.periods)
        for var in spec.variables:
            if spec.equation in ("diff", "both"):
                for lag in range(spec.min_lag, max_lag + 1):
                    for t, col in _by_period(np.nan_to_num(grid.lag(var, lag)), not spec.collapse):
                        cols.append((f"diff L{lag}.{var}" + ("" if t is None else f" t{t}"),
                                     col, zeros))
            if system and spec.equation in ("level", "both"):
                lag = max(spec.min_lag - 1, 0)
                values = np.nan_to_num(grid.diff(grid.lag(var, lag)))
                for t, col in _by_period(values, not spec.collapse):
                    cols.append((f"level L{lag}D.{var}" + ("" if t is None else f" t{t}"),
                                 zeros, col))
    for spec in iv:
        for term in spec.variables:
            var, lag = parse_term(term)
            level = grid.lag(var, lag)
            diff_part = np.nan_to_num(grid.diff(level)) if spec.equation != "level" else zeros
            level_part = np.nan_to_num(level) if system and spec.equation != "diff" else zeros
            cols.append((f"iv {term} ({spec.equation})", diff_part, level_part))
    if system and constant:
        cols.append(("iv _cons (level)", zeros, np.ones_like(zeros)))
    return cols


def _one_step_weights(diff_t: np.ndarray, level_t: np.ndarray, h: int) -> np.ndarray:
    """xtabond2's H: h=1 identity; h=2 (2, -1) band for differences, identity for levels;
    h=3 also links a differenced error to the level errors of t and t-1."""
    nd, nl = len(diff_t), len(level_t)
    H = np.eye(nd + nl)
    if h == 1:
        return H
    gap = np.abs(diff_t[:, None] - diff_t[None, :])
    H[:nd, :nd] = np.where(gap == 0, 2.0, np.where(gap == 1, -1.0, 0.0))
    if h == 3 and nl:
        cross = (level_t[None, :] == diff_t[:, None]) * 1.0 - \
            (level_t[None, :] == diff_t[:, None] - 1) * 1.0
        H[:nd, nd:] = cross
        H[nd:, :nd] = cross.T
    return H


def build_design(df: pd.DataFrame, y: str, *, entity: str, time: str, regressors: Sequence[str],
                 gmm: Sequence[GmmInstruments], iv: Sequence[IvInstruments], system: bool,
                 constant: bool, h: int) -> Design:
    if h not in (1, 2, 3):
        raise ModelSpecError(f"h must be 1, 2 or 3 (xtabond2's h()); got {h}")
    terms = [parse_term(r) for r in regressors]
    inst_vars = [v for g in gmm for v in g.variables] + \
        [parse_term(t)[0] for s in iv for t in s.variables]
    grid = Grid(df, entity, time, list(dict.fromkeys([y, *(v for v, _ in terms), *inst_vars])))
    levels = [grid.values[y]] + [grid.lag(v, k) for v, k in terms]
    diffs = [grid.diff(a) for a in levels]
    diff_ok = np.all([np.isfinite(a) for a in diffs], axis=0)
    level_ok = np.all([np.isfinite(a) for a in levels], axis=0) if system else \
        np.zeros_like(diff_ok)
    cols = instrument_columns(grid, gmm, iv, system, constant)
    used = [k for k, (_, d, l) in enumerate(cols)
            if np.any(d[diff_ok] != 0) or np.any(l[level_ok] != 0)]
    cols = [cols[k] for k in used]
    names = list(regressors) + (["_cons"] if system and constant else [])
    ys, Xs, Zs, Hs, nd_list, periods = [], [], [], [], [], []
    for e in range(len(grid.entities)):
        td, tl = np.flatnonzero(diff_ok[e]), np.flatnonzero(level_ok[e])
        if len(td) + len(tl) == 0:
            continue
        ys.append(np.concatenate([diffs[0][e, td], levels[0][e, tl]]))
        X = np.vstack([np.column_stack([a[e, td] for a in diffs[1:]]),
                       np.column_stack([a[e, tl] for a in levels[1:]])])
        if system and constant:
            X = np.column_stack([X, np.r_[np.zeros(len(td)), np.ones(len(tl))]])
        Xs.append(X)
        Zs.append(np.vstack([np.column_stack([d[e, td] for _, d, _ in cols]),
                             np.column_stack([l[e, tl] for _, _, l in cols])]))
        Hs.append(_one_step_weights(td, tl, h))
        nd_list.append(len(td))
        periods.append(td)
    if not ys:
        raise ModelSpecError("no observations: every entity lacks the lags the model needs")
    nobs = int(level_ok.sum()) if system else int(diff_ok.sum())
    return Design(ys, Xs, Zs, Hs, nd_list, names, [c[0] for c in cols], nobs, len(ys), periods)
