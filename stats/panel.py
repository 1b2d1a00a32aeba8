"""Input checks and fixed-effect absorption shared by the panel estimators."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

EFFECTS = ("entity", "time")


class ModelSpecError(ValueError):
    """The data or the options cannot define the requested model."""


COV_TYPES = ("unadjusted", "robust", "clustered")
FE_COV_TYPES = (*COV_TYPES, "kernel")  # fe_ols also offers Driscoll-Kraay
ALIASES = {"driscoll_kraay": "kernel"}


def covariance_option(cov_type: str | None, cluster, allowed: Sequence[str] = COV_TYPES,
                      max_ways: int = 1) -> str:
    """The covariance option every estimator takes (as linearmodels' ``cov_type``):
    ``unadjusted``, ``robust`` (heteroskedasticity), ``clustered`` (by ``cluster``: one
    column, or up to ``max_ways`` columns) and, where allowed, ``kernel`` (Driscoll-Kraay,
    alias ``driscoll_kraay``). Default: ``clustered`` when a cluster column is given, else
    ``unadjusted``."""
    chosen = ALIASES.get(cov_type, cov_type) or ("clustered" if cluster else "unadjusted")
    if chosen not in allowed:
        raise ModelSpecError(f"unknown cov_type '{cov_type}'; choose from {list(allowed)}")
    ways = [cluster] if isinstance(cluster, str) else list(cluster or [])
    if len(ways) > max_ways:
        raise ModelSpecError(f"clustering takes at most {'two columns' if max_ways == 2 else 'one column'} "
                             f"here; got {ways}")
    if chosen == "clustered" and not ways:
        raise ModelSpecError("cov_type 'clustered' needs a cluster column")
    if ways and chosen != "clustered":
        raise ModelSpecError(f"a cluster column was given with cov_type '{chosen}'; "
                             "use cov_type='clustered'")
    return chosen


def check_effects(effects: Sequence[str]) -> tuple[str, ...]:
    effects = tuple(effects)
    unknown = [e for e in effects if e not in EFFECTS]
    if unknown:
        raise ModelSpecError(f"unknown effect(s) {unknown}; choose from {list(EFFECTS)}")
    return effects


def clean_frame(df: pd.DataFrame, columns: Sequence[str], keys: Sequence[str]) -> pd.DataFrame:
    """Select ``columns`` (numeric) and ``keys``; drop incomplete rows."""
    missing = [c for c in [*columns, *keys] if c not in df.columns]
    if missing:
        raise ModelSpecError(f"column(s) not in the data: {missing}")
    for c in columns:
        if not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]):
            if not pd.api.types.is_bool_dtype(df[c]):
                raise ModelSpecError(f"column '{c}' is not numeric (dtype {df[c].dtype})")
    out = df[list(dict.fromkeys([*columns, *keys]))].dropna()
    out = out[np.isfinite(out[list(columns)].astype(float)).all(axis=1)]
    if out.empty:
        raise ModelSpecError("no complete observations")
    return out


def drop_singletons(frame: pd.DataFrame, groups: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """Drop observations alone in a fixed-effect group, repeatedly (as reghdfe does)."""
    dropped = 0
    while groups:
        single = np.zeros(len(frame), dtype=bool)
        for g in groups:
            single |= frame.groupby(g, sort=False)[g].transform("size").to_numpy() == 1
        if not single.any():
            break
        dropped += int(single.sum())
        frame = frame[~single]
    if frame.empty:
        raise ModelSpecError("every observation is a singleton of a fixed effect: "
                             "a panel needs at least two periods per entity")
    return frame, dropped


@dataclass(frozen=True)
class Absorbed:
    """Columns with the fixed effects partialled out, and the FE design's rank."""
    data: np.ndarray
    fe_rank: int              # rank of the FE design, constant included
    levels: dict              # effect -> number of groups


def _demean(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    sums = np.zeros((codes.max() + 1, values.shape[1]))
    np.add.at(sums, codes, values)
    counts = np.bincount(codes)[:, None]
    return values - (sums / counts)[codes]


def absorb(values: np.ndarray, entity_codes: np.ndarray | None,
           time_codes: np.ndarray | None) -> Absorbed:
    """Partial out entity and/or time effects exactly (Frisch-Waugh-Lovell).

    With both effects the time dummies are demeaned by entity and projected out, which
    is exact for unbalanced panels. With none, the mean (constant) is removed.
    """
    values = np.asarray(values, dtype=float)
    levels = {}
    if entity_codes is not None:
        levels["entity"] = int(entity_codes.max() + 1)
    if time_codes is not None:
        levels["time"] = int(time_codes.max() + 1)
    if entity_codes is None and time_codes is None:
        return Absorbed(values - values.mean(axis=0), 1, levels)
    if entity_codes is None or time_codes is None:
        codes = entity_codes if entity_codes is not None else time_codes
        return Absorbed(_demean(values, codes), int(codes.max() + 1), levels)
    dummies = np.eye(levels["time"])[time_codes][:, 1:]
    within = _demean(values, entity_codes)
    dummies_within = _demean(dummies, entity_codes)
    coef, _, rank, _ = np.linalg.lstsq(dummies_within, within, rcond=None)
    return Absorbed(within - dummies_within @ coef, levels["entity"] + int(rank), levels)


def group_codes(series: pd.Series) -> np.ndarray:
    return pd.factorize(series, sort=True)[0]


def is_nested(inner: pd.Series, outer: pd.Series) -> bool:
    """True if every group of ``inner`` lies within one group of ``outer``."""
    return bool((pd.DataFrame({"i": inner.to_numpy(), "o": outer.to_numpy()})
                 .groupby("i")["o"].nunique() <= 1).all())
