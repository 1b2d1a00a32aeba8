"""Indicator computations in DuckDB SQL vs a straightforward pandas version (target >= 5x).

The same steps on the same 5 million export rows (31 provinces x 3 years, 8-digit HS
codes, 200 partners): the healthcare-basket filter, the HS product-family mapping,
family values and totals per province-year, the Herfindahl index over families, PRODY
per family-year (provincial variant, GDP per capita as income) and EXPY. The SQL is the
logic of the dbt models (int_export_family_values, int_export_structure, int_prody,
EXPY in fct_prody) run in DuckDB; the pandas side is the project's Python twins
(stats.hs_families.hs_families for the mapping, stats.indices.hhi/prody/expy) with
merges and group-bys. Both start from data already in memory (a DuckDB table, a
DataFrame); the results are checked equal (1e-9) before the ratio is printed.

    python -m benchmarks.bench_sql_vs_pandas [--rows 5000000]
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from benchmarks._common import machine, timed
from stats.hs_families import hs_families
from stats.indices import expy, hhi, prody
from warehouse.connection import connect
from warehouse.seeds import correlation_seeds, seed_frame

YEARS = (2019, 2020, 2021)  # all HS2017
TARGET = 5.0


def make_data(conn, rows: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cand = seed_frame("ref_hs6_healthcare_candidates")
    fam = hs_families(cand, correlation_seeds(), ["HS2012", "HS2017", "HS2022"])
    fam = fam[fam["revision"] == "HS2017"][["hs6", "family_id"]].reset_index(drop=True)
    inside = [h + s for h in fam["hs6"] for s in ("00", "90")]
    outside = [f"{ch:02d}{h:02d}{s:02d}00" for ch in (61, 84, 85) for h in range(1, 60)
               for s in (10, 90)]
    codes = inside + outside
    provinces = seed_frame("ref_provinces")["code"].tolist()
    rng = np.random.default_rng(7)
    income = pd.DataFrame([(p, y, float(rng.uniform(30_000, 150_000)))
                           for p in provinces for y in YEARS],
                          columns=["province_code", "year", "income"])
    lit = lambda v: "[" + ", ".join(f"'{x}'" for x in v) + "]"  # noqa: E731
    conn.execute(f"""
        create or replace table exports as
        select {lit(provinces)}[1 + i % {len(provinces)}] as province_code,
               {YEARS[0]} + (i // {len(provinces)}) % {len(YEARS)} as year,
               {lit(codes)}[1 + (i // {len(provinces) * len(YEARS)}) % {len(codes)}] as hs_code,
               cast(101 + (hash(i) % 200) as varchar) as partner,
               1 + (hash(i * 7 + 3) % 1000000) / 100.0 as value_usd
        from range({rows}) t(i)""")
    conn.register("families_df", fam)
    conn.execute("create or replace table families as select * from families_df")
    conn.register("income_df", income)
    conn.execute("create or replace table income as select * from income_df")
    return conn.execute("select * from exports").df(), fam, income


SQL = """
with x as (
    select e.province_code, e.year, e.value_usd, f.family_id
    from exports e left join families f on f.hs6 = substr(e.hs_code, 1, 6)
),
totals as (select province_code, year, sum(value_usd) as total from x group by all),
fam as (
    select province_code, year, family_id, sum(value_usd) as value_usd
    from x where family_id is not null group by all
),
shares as (
    select fam.*, value_usd / sum(value_usd) over (partition by province_code, year) as share,
           value_usd / totals.total as rca_num
    from fam join totals using (province_code, year)
),
prody as (
    select s.family_id, s.year,
           sum(s.rca_num / d.denominator * i.income) as prody
    from shares s
    join (select family_id, year, sum(rca_num) as denominator from shares group by all) d
        using (family_id, year)
    join income i using (province_code, year)
    group by all
),
hhi as (select province_code, year, sum(share * share) as hhi from shares group by all),
expy as (
    select s.province_code, s.year, sum(s.share * p.prody) as expy
    from shares s join prody p using (family_id, year) group by all
)
select hhi.province_code, hhi.year, hhi.hhi, expy.expy
from hhi join expy using (province_code, year)
order by 1, 2
"""


def with_sql(conn) -> pd.DataFrame:
    return conn.execute(SQL).df()


def with_pandas(exports: pd.DataFrame, fam: pd.DataFrame, income: pd.DataFrame) -> pd.DataFrame:
    x = exports.assign(hs6=exports["hs_code"].str[:6]).merge(fam, on="hs6", how="left")
    totals = (x.groupby(["province_code", "year"], as_index=False)["value_usd"].sum()
              .rename(columns={"value_usd": "total"}))
    basket = x[x["family_id"].notna()]
    fam_values = basket.groupby(["province_code", "year", "family_id"],
                                as_index=False)["value_usd"].sum()
    h = hhi(fam_values, group=["province_code", "year"], value="value_usd")
    p = prody(fam_values, income, exporter="province_code", product="family_id", year="year",
              value="value_usd", total=totals)
    e = expy(fam_values, p, exporter="province_code", product="family_id", year="year",
             value="value_usd")
    return pd.concat([h, e], axis=1).reset_index().sort_values(["province_code", "year"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    rows = ap.parse_args().rows
    conn = connect(None)  # the product's connection: the same memory cap
    exports, fam, income = make_data(conn, rows)
    with_sql(conn)  # warm-up (first-query planning), not timed
    sql, sql_s = timed(with_sql, conn)
    pdf, pandas_s = timed(with_pandas, exports, fam, income)
    np.testing.assert_allclose(sql["hhi"].to_numpy(), pdf["hhi"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(sql["expy"].to_numpy(), pdf["expy"].to_numpy(), rtol=1e-9)
    ratio = pandas_s / sql_s
    print(f"machine: {machine()}")
    print(f"{rows:,} rows -> {len(sql)} province-years (HHI and EXPY equal to 1e-9)")
    print(f"DuckDB SQL {sql_s:.2f} s, pandas {pandas_s:.2f} s: SQL is {ratio:.1f}x faster "
          f"(target >= {TARGET:.0f}x): {'met' if ratio >= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
