"""DuckDB vs Spark: where Spark starts to pay off on this machine, and what it costs to start.

Three measurements, each step in its own process (wall seconds; peak RSS from wait4, which
counts the processes the child waited for: dbt, not Spark's JVM, so no peak is printed
for Spark steps):

1. the whole pipeline on the default data: ``medtrade run --engine duckdb|spark``;
2. the start-up cost: one tiny model (``dbt run --select stg_reference__cny_per_usd``)
   on each engine, i.e. dbt plus, for Spark, the JVM and the local metastore;
3. the transforms (``orchestration.transform``: dbt build up to the indicators, the PCA,
   the panel) after a large synthetic customs year was loaded (``benchmarks.large_customs``;
   the DuckDB load and the Parquet lake export are timed separately), on each engine.

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
from benchmarks.bench_ingest import YEAR, _run
from benchmarks.large_customs import write_large_customs
from orchestration.engine import spark_missing

REPO = Path(__file__).resolve().parents[1]


def _python(code_or_module: list[str], env: dict) -> tuple[float, float, str]:
    return _run([sys.executable, *code_or_module], env, REPO)


def pipeline(root: Path, landing: Path, engine: str, env: dict) -> tuple[float, float]:
    data = root / f"pipeline-{engine}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(landing, data / "landing")
    wall, mb, _ = _python(["-m", "orchestration.cli", "run", "--engine", engine,
                           "--data-dir", str(data), "--log-level", "WARNING"], env)
    return wall, mb


def start_cost(data: Path, engine: str, env: dict) -> float:
    code = ("from ingest.paths import DataPaths\n"
            "from orchestration.transform import run_dbt\n"
            f"run_dbt(DataPaths.from_dir({str(data)!r}), {engine!r}, "
            "['run', '--select', 'stg_reference__cny_per_usd'])\n")
    return _python(["-c", code], env)[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "medtrade-engines")
    a = ap.parse_args()
    print(f"machine: {machine()}")
    if why := spark_missing():
        print(f"Spark engine not available ({why}); nothing to compare")
        return
    root = a.dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    landing = root / "default-landing"
    if not landing.exists():
        _python(["-c", "from ingest.demo_data import write_demo_data\n"
                       "from ingest.paths import DataPaths\n"
                       f"p = DataPaths.from_dir({str(root / 'demo')!r}).ensure()\n"
                       "write_demo_data(p, progress=lambda m: None)\n"], env)
        shutil.move(str(root / "demo" / "landing"), landing)
    rows = []
    for engine in ("duckdb", "spark"):
        wall, mb = pipeline(root, landing, engine, env)
        print(f"pipeline on the default data, {engine}: {wall:.1f} s", flush=True)
        rows.append(("whole pipeline, default data (`medtrade run`)", engine, wall,
                     mb if engine == "duckdb" else float("nan")))
    for engine in ("duckdb", "spark"):
        wall = start_cost(root / f"pipeline-{engine}", engine, env)
        print(f"start-up (one small model), {engine}: {wall:.1f} s", flush=True)
        rows.append(("start-up: dbt run of one small model", engine, wall, float("nan")))
    # a large customs year on top of the default data (the Spark run's folder: lake present)
    data = root / "pipeline-spark"
    source = root / "files" / f"customs_{YEAR}_{a.rows}.csv"
    if not source.exists():
        source.parent.mkdir(parents=True, exist_ok=True)
        write_large_customs(source, a.rows, YEAR, "csv")
    folder = data / "landing" / "customs" / str(YEAR)
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / source.name).symlink_to(source)
    load = ("import duckdb\nfrom ingest.paths import DataPaths\n"
            "from ingest.load import load_customs_year\nfrom ingest.lake import export_raw_table\n"
            f"p = DataPaths.from_dir({str(data)!r})\nc = duckdb.connect(str(p.build_db))\n"
            f"load_customs_year(c, p, {YEAR}, force=True)\n"
            "import time; t = time.perf_counter()\n"
            f"export_raw_table(c, p.lake, 'customs_exports', [{YEAR}])\n"
            "print(f'lake_s={time.perf_counter() - t:.1f}')\nc.close()\n")
    wall, mb, out = _python(["-c", load], env)
    lake_s = float(out.strip().rsplit("lake_s=", 1)[1])
    print(f"load of {a.rows:,} customs rows into DuckDB raw: {wall - lake_s:.1f} s; "
          f"Parquet lake export for Spark: {lake_s:.1f} s", flush=True)
    rows.append((f"{a.rows:,}-row customs year: DuckDB load", "(both)", wall - lake_s, mb))
    rows.append((f"{a.rows:,}-row customs year: lake export (Spark only)", "spark", lake_s,
                 float("nan")))
    for engine in ("duckdb", "spark"):
        wall, mb, _ = _python(["-m", "orchestration.transform", "--data-dir", str(data),
                               "--engine", engine, "--command", "build"], env)
        print(f"transforms (dbt build + PCA) after the large year, {engine}: {wall:.1f} s",
              flush=True)
        rows.append((f"{a.rows:,}-row customs year: dbt build + PCA", engine, wall,
                     mb if engine == "duckdb" else float("nan")))
    print("\n| measurement | engine | wall s | peak MB |\n|---|---|---:|---:|")
    for what, engine, wall, mb in rows:
        print(f"| {what} | {engine} | {wall:.1f} | {'' if mb != mb else f'{mb:.0f}'} |")
    by = {(what, engine): wall for what, engine, wall, _ in rows}
    for what in dict.fromkeys(w for w, _, _, _ in rows):
        if (what, "duckdb") in by and (what, "spark") in by:
            ratio = by[(what, "spark")] / by[(what, "duckdb")]
            print(f"{what}: Spark takes {ratio:.1f}x DuckDB's time")
    print("Spark here is local[2] in one JVM on this machine's cores; it pays off when the "
          "data outgrow one machine and a cluster runs it (README, Spark engine).")

if __name__ == "__main__":
    main()
