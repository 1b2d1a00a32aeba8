"""Stock and Yogo (2005) critical values for the Cragg-Donald (or Kleibergen-Paap) F.

The 2SLS tables as ivreg2 prints them, carried in ``stats/data/stock_yogo_2sls.csv``:
Table 5.1 (maximal IV relative bias 5/10/20/30% of OLS's, 5% test; K1 = 1-3 endogenous
regressors, defined for L2 >= K1 + 2 excluded instruments) and Table 5.2 (maximal size
10/15/20/25% of a nominal 5% Wald test; K1 = 1-2). Rows are kept for L2 = 1-30, which
covers every specification of the study; beyond that ``critical_values`` returns the
columns it has (none), as ivreg2 prints nothing where the tables stop.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "stock_yogo_2sls.csv"
COLUMNS = {"bias_5": "iv_bias_5", "bias_10": "iv_bias_10", "bias_20": "iv_bias_20",
           "bias_30": "iv_bias_30", "size_10": "iv_size_10", "size_15": "iv_size_15",
           "size_20": "iv_size_20", "size_25": "iv_size_25"}


@lru_cache(maxsize=1)
def _rows() -> dict[tuple[int, int], dict[str, float]]:
    with TABLE.open(newline="") as fh:
        return {(int(r["k1"]), int(r["l2"])): {COLUMNS[c]: float(v) for c, v in r.items()
                                               if c in COLUMNS and v}
                for r in csv.DictReader(fh)}


def critical_values(n_endog: int, n_excluded: int) -> dict[str, float]:
    """{'iv_bias_5': ..., 'iv_size_10': ..., ...}: the published cells for (K1, L2); {} if none."""
    return dict(_rows().get((n_endog, n_excluded), {}))
