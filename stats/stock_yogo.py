"""Stock and Yogo (2005) critical values for the Cragg-Donald F statistic.

Table 5.2 (2SLS, 5% test, maximal IV size of a nominal 5% Wald test of 10/15/20/25%), for
one endogenous regressor and L2 = 1..10 excluded instruments, as ivreg2 prints them.
Only the one-endogenous-regressor rows are carried here; for 2 or 3 endogenous
regressors `critical_values` returns nothing (see README, Known limits).
"""
from __future__ import annotations

IV_SIZE_ONE_ENDOG = {  # L2 -> (10%, 15%, 20%, 25%)
    1: (16.38, 8.96, 6.66, 5.53), 2: (19.93, 11.59, 8.75, 7.25), 3: (22.30, 12.83, 9.54, 7.80),
    4: (24.58, 13.96, 10.26, 8.31), 5: (26.87, 15.09, 10.98, 8.84), 6: (29.18, 16.23, 11.72, 9.38),
    7: (31.50, 17.38, 12.48, 9.93), 8: (33.84, 18.54, 13.24, 10.50),
    9: (36.19, 19.71, 14.01, 11.07), 10: (38.54, 20.88, 14.78, 11.65),
}


def critical_values(n_endog: int, n_excluded: int) -> dict[str, float]:
    """{'iv_size_10': ..., 'iv_size_15': ..., ...} or {} where no table row is carried."""
    if n_endog != 1 or n_excluded not in IV_SIZE_ONE_ENDOG:
        return {}
    return dict(zip(("iv_size_10", "iv_size_15", "iv_size_20", "iv_size_25"),
                    IV_SIZE_ONE_ENDOG[n_excluded]))
