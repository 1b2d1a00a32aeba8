"""Synthetic transaction-level customs year, written straight to disk by DuckDB.

One row per (month, province, trade mode, partner, HS code): keys are unique by
construction (a mixed-radix count over the five dimensions), so a file of N rows loads
without duplicates. Codes are what the customs service exports at this grain: period
YYYYMM, the 5-digit customs region code, an 8-digit HS code (healthcare-basket codes of
the HS revision in force mixed with others), a 3-digit partner code and a 2-digit trade
mode code; the value is in US dollars. Nothing is held in Python: DuckDB streams
``range(N)`` into the CSV or Parquet writer.

    python -m benchmarks.large_customs --rows 50000000 --year 2022 --out /tmp/big --format csv
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

from warehouse.connection import connection
from stats.hs_families import revision_for_year
from warehouse.seeds import hs_timetable, seed_frame

MONTHS, TRADE_MODES, PARTNERS = 12, ["10", "12", "14", "15", "33", "39"], 200
HEADER = ["数据年月", "注册地编码", "商品编码", "贸易伙伴编码", "贸易方式", "美元"]


def _hs_codes(year: int, n: int) -> list[str]:
    """n 8-digit codes: about half from the healthcare basket, half from other chapters."""
    basket = seed_frame("ref_hs6_healthcare_candidates")
    revision = f"in_{revision_for_year(year, hs_timetable())}"
    inside = [h + s for h in basket.loc[basket[revision] == "True", "hs6"] for s in ("00", "90")]
    outside = [f"{ch:02d}{h:02d}{s:02d}00" for ch in (61, 84, 85, 94)
               for h in range(1, 90) for s in (10, 90)]
    half = math.ceil(n / 2)
    codes = inside[:half] + outside[: n - min(half, len(inside))]
    return codes[:n]


def write_large_customs(path: Path, rows: int, year: int, fmt: str = "csv") -> dict:
    """Write ``rows`` export rows of ``year`` to ``path`` (csv or parquet)."""
    provinces = seed_frame("ref_provinces")["code"].str[:2] + "000"
    n_hs = math.ceil(rows / (MONTHS * len(provinces) * len(TRADE_MODES) * PARTNERS))
    hs = _hs_codes(year, n_hs)
    if len(hs) < n_hs:
        raise ValueError(f"{rows} rows need {n_hs} HS codes; only {len(hs)} available")

    def lit(values):
        return "[" + ", ".join(f"'{v}'" for v in values) + "]"

    n_p, n_t = len(provinces), len(TRADE_MODES)
    select = f"""
        select printf('{year}%02d', 1 + i % {MONTHS}) as "{HEADER[0]}",
               {lit(provinces)}[1 + (i // {MONTHS}) % {n_p}] as "{HEADER[1]}",
               {lit(hs)}[1 + i // {MONTHS * n_p * n_t * PARTNERS}] as "{HEADER[2]}",
               cast(101 + (i // {MONTHS * n_p * n_t}) % {PARTNERS} as varchar) as "{HEADER[3]}",
               {lit(TRADE_MODES)}[1 + (i // {MONTHS * n_p}) % {n_t}] as "{HEADER[4]}",
               round(1 + (hash(i) % 2000000) / 100.0, 2) as "{HEADER[5]}"
        from range({rows}) t(i)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = "(header, delimiter ',')" if fmt == "csv" else "(format parquet, compression zstd)"
    start = time.perf_counter()
    with connection(None) as conn:
        conn.execute("set preserve_insertion_order = false")
        conn.execute(f"copy ({select}) to '{path}' {options}")
    return {"rows": rows, "bytes": path.stat().st_size, "seconds": time.perf_counter() - start,
            "hs_codes": n_hs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000_000)
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--out", type=Path, required=True, help="folder for the file")
    a = ap.parse_args()
    path = a.out / f"customs_{a.year}_{a.rows}.{a.format}"
    facts = write_large_customs(path, a.rows, a.year, a.format)
    print(f"{path}: {facts['rows']:,} rows, {facts['bytes'] / 1e9:.2f} GB, "
          f"{facts['seconds']:.1f} s")


if __name__ == "__main__":
    main()
