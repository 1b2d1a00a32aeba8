"""Optional SYNTHETIC world trade files, to exercise the `world` PRODY variant.

40 countries with GDP per capita; exports of every basket code in force each year (the
revision follows China's timetable) plus a few non-basket codes carrying most of each
country's trade, so X_jt covers a wider product space than the basket.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from synthetic.dgp import _families, revisions_of
from warehouse.paths import DataPaths

OTHER_GOODS = ("847130", "851712", "870323", "610910", "940360")


def write_world_demo(paths: DataPaths, years, seed: int = 20240601) -> None:
    rng = np.random.default_rng(seed + 7)
    chosen, members = _families(years)
    revision_of = revisions_of(years)
    countries = [f"Country {c:02d}" for c in range(1, 41)]
    income0 = np.exp(rng.uniform(np.log(800), np.log(80000), len(countries)))
    skill = (np.log(income0) - np.log(800)) / np.log(100)        # 0 (poor) .. 1 (rich)
    soph = rng.uniform(0, 1, len(chosen))
    trade, gdp = [], []
    for year in years:
        revision = revision_of[year]
        for c, country in enumerate(countries):
            income = income0[c] * 1.03 ** (year - years[0])
            gdp.append((country, year, round(income, 2)))
            total = 5e9 * (income / 1e4) ** 0.8 * rng.lognormal(0, 0.2)
            for f, s in zip(chosen, soph):
                weight = np.exp(3 * skill[c] * s + rng.normal(0, 0.3))
                codes = members.get((revision, f), [])
                for hs6 in codes:
                    trade.append((country, year, hs6, revision,
                                  round(total * 0.002 * weight / len(codes), 0)))
            for hs6 in OTHER_GOODS:
                trade.append((country, year, hs6, revision, round(total * 0.19, 0)))
    (paths.world / "trade").mkdir(parents=True, exist_ok=True)
    pd.DataFrame(trade, columns=["country", "year", "hs6", "hs_revision", "export_value_usd"]
                 ).to_csv(paths.world / "trade" / "synthetic_world_trade.csv", index=False)
    pd.DataFrame(gdp, columns=["country", "year", "gdp_per_capita"]).to_csv(
        paths.world / "gdp_per_capita.csv", index=False)
