"""DuckDB vs Spark through the product's command: where Spark starts to pay off here.

Three engines: DuckDB; Spark's session method (a local Spark inside dbt's process); and a
Spark standalone cluster (master, worker, Thrift server: ``warehouse.spark_cluster``,
started for the measurement and stopped after). Each measurement is a `medtrade` command
(wall seconds, and the peak RSS of its whole process tree plus, on the cluster, every JVM
of the cluster: master, worker, executor, Thrift server; sampled from /proc):

1. the whole pipeline on the default data: ``medtrade run --engine ...``;
2. unless ``--rows 0``: a large synthetic customs year (``benchmarks.large_customs``,
   default 10M rows) loaded into that data folder: ``medtrade load --years 2022 ...``.

    python -m benchmarks.bench_engines                 # 10M-row customs year
    python -m benchmarks.bench_engines --rows 0        # the default data only
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import machine
from benchmarks.large_customs import write_large_customs
from benchmarks.proctree import measure
from warehouse import spark_cluster
from warehouse.paths import DataPaths
from warehouse.spark import spark_missing

REPO = Path(__file__).resolve().parents[1]
YEAR = 2022


def medtrade(data: Path, *args: str, also=None) -> tuple[float, float]:
    code, wall, peak, out = measure([sys.executable, "-m", "orchestration.cli", *args,
                                     "--data-dir", str(data)], env=os.environ.copy(), cwd=REPO,
                                    also=also)
    if code:
        raise RuntimeError(f"medtrade {' '.join(args)} failed:\n{out[-3000:]}")
    return wall, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="0: the default data only")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "medtrade-engines")
    ap.add_argument("--engines", default="duckdb,spark,spark-cluster")
    a = ap.parse_args()
    print(f"machine: {machine()}")
    engines = [e for e in a.engines.split(",") if e == "duckdb" or not spark_missing()]
    if spark_missing():
        print(f"spark: not measured ({spark_missing()})")
    shutil.rmtree(a.dir, ignore_errors=True)
    landing = a.dir / "default"
    medtrade(landing, "demo-data")
    big = a.dir / f"customs_{YEAR}_{a.rows}.csv"
    if a.rows:
        write_large_customs(big, a.rows, YEAR, "csv")
    try:
        for engine in engines:
            data = a.dir / engine
            shutil.copytree(landing / "landing", data / "landing")
            args, also = ["--engine", "spark" if engine.startswith("spark") else engine], None
            if engine == "spark-cluster":
                paths = DataPaths.from_dir(data).ensure()
                start = time.perf_counter()
                cluster = spark_cluster.start(paths, say=lambda _m: None)
                print(f"cluster start (master, worker, Thrift server answering): "
                      f"{time.perf_counter() - start:.1f} s", flush=True)
                args += ["--spark-thrift", cluster.thrift]
                also = lambda c=cluster: list(c.pids.values())  # noqa: E731 (trees: +executors)
            wall, peak = medtrade(data, "run", *args, also=also)
            print(f"whole pipeline on the default data, {engine}: {wall:.1f} s, peak RSS "
                  f"{peak:.0f} MB (command tree{', cluster JVMs' if also else ''})", flush=True)
            if a.rows:
                year = data / "landing" / "customs" / str(YEAR)
                shutil.rmtree(year)
                year.mkdir()
                os.link(big, year / big.name)
                wall, peak = medtrade(data, "load", "--years", str(YEAR), *args, also=also)
                print(f"{a.rows / 1e6:.0f}M-row customs year, `medtrade load --years {YEAR}`, "
                      f"{engine}: {wall:.1f} s, peak RSS {peak:.0f} MB", flush=True)
            if engine == "spark-cluster":
                spark_cluster.stop(DataPaths.from_dir(data), say=lambda _m: None)
    finally:
        for engine in engines:
            if engine == "spark-cluster" and (a.dir / engine).exists():
                spark_cluster.stop(DataPaths.from_dir(a.dir / engine), say=lambda _m: None)
        shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
