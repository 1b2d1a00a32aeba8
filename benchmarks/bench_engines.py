"""DuckDB vs Spark through the product's command: where Spark starts to pay off here.

Two measurements per engine, each a `medtrade` command in its own process tree (wall
seconds and peak RSS of the whole tree, the Spark JVM included, sampled from /proc):

1. the whole pipeline on the default data: ``medtrade run --engine duckdb|spark``;
2. a large synthetic customs year (``benchmarks.large_customs``, default 10M rows) loaded
   into a data folder where the default data are already loaded:
   ``medtrade load --years 2022 --engine ...`` (ingest, checks, dbt, tables, publish).

    python -m benchmarks.bench_engines                 # 10M-row customs year
    python -m benchmarks.bench_engines --rows 1000000  # quicker
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks._common import machine
from benchmarks.large_customs import write_large_customs
from benchmarks.proctree import measure
from warehouse.spark import spark_missing

REPO = Path(__file__).resolve().parents[1]
YEAR = 2022


def medtrade(data: Path, *args: str) -> tuple[float, float]:
    code, wall, peak, out = measure([sys.executable, "-m", "orchestration.cli", *args,
                                     "--data-dir", str(data)], env=os.environ.copy(), cwd=REPO)
    if code:
        raise RuntimeError(f"medtrade {' '.join(args)} failed:\n{out[-3000:]}")
    return wall, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "medtrade-engines")
    a = ap.parse_args()
    print(f"machine: {machine()}")
    engines = ["duckdb"] + ([] if spark_missing() else ["spark"])
    if len(engines) == 1:
        print(f"spark: not measured ({spark_missing()})")
    shutil.rmtree(a.dir, ignore_errors=True)
    landing = a.dir / "default"
    medtrade(landing, "demo-data")
    big = a.dir / f"customs_{YEAR}_{a.rows}.csv"
    write_large_customs(big, a.rows, YEAR, "csv")
    for engine in engines:
        data = a.dir / engine
        shutil.copytree(landing / "landing", data / "landing")
        wall, peak = medtrade(data, "run", "--engine", engine)
        print(f"whole pipeline on the default data, {engine}: {wall:.1f} s, peak tree RSS "
              f"{peak:.0f} MB", flush=True)
        year = data / "landing" / "customs" / str(YEAR)
        shutil.rmtree(year)
        year.mkdir()
        os.link(big, year / big.name)
        wall, peak = medtrade(data, "load", "--years", str(YEAR), "--engine", engine)
        print(f"{a.rows / 1e6:.0f}M-row customs year, `medtrade load --years {YEAR}`, {engine}: "
              f"{wall:.1f} s, peak tree RSS {peak:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
