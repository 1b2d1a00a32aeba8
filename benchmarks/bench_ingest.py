"""Ingest plus dbt transforms of a large synthetic customs year (target: 50M rows < 60 s, < 2 GB).

Setup (not timed, done once per bench folder): the default data are written and loaded,
and the dbt project is built, so the yearbook and world tables exist. Then for each size
the 2022 customs folder holds only the synthetic file (``benchmarks.large_customs``),
and two steps are timed, each in its own process so that its peak memory (max RSS from
wait4) is its own: the load of customs 2022 (``load_customs_year``, forced) and
``dbt run`` of the whole project (orchestration.transform: dbt up to the indicators,
the PCA composites, then the panel). DuckDB's memory is capped at MEDTRADE_DUCKDB_MEMORY_LIMIT
(default here 1GB; it spills to disk beyond it).

    python -m benchmarks.bench_ingest                   # 1M, 10M, 50M rows, CSV; 50M Parquet
    python -m benchmarks.bench_ingest --sizes 1000000   # a quick run
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import machine
from benchmarks.large_customs import write_large_customs

YEAR = 2022
TARGET_S, TARGET_MB = 60.0, 2000.0
REPO = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child, and its output tail."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out[-3000:]}")
    return wall, usage.ru_maxrss / 1024, out


def _dbt(args: list[str], env: dict) -> tuple[float, float, str]:
    dbt = str(Path(sys.executable).with_name("dbt"))
    return _run([dbt, *args, "--profiles-dir", "."], env, REPO / "dbt_project")


def _transforms(root: Path, env: dict) -> tuple[float, float, str]:
    """dbt run of the whole project (up to the indicators, PCA, the panel), as a child."""
    return _run([sys.executable, "-m", "orchestration.transform", "--data-dir", str(root)],
                env, REPO)


def setup(root: Path, env: dict) -> None:
    marker = root / ".bench-ready"
    if marker.exists():
        return
    print(f"setup: default data and a first build in {root} (not timed)", flush=True)
    code = ("from ingest.demo_data import write_demo_data\n"
            "from ingest.paths import DataPaths\n"
            "import duckdb\n"
            "from ingest.load import ensure_raw_schema, load_customs_year, load_yearbook, "
            "load_world, customs_years\n"
            f"p = DataPaths.from_dir({str(root)!r}).ensure()\n"
            "write_demo_data(p, progress=lambda m: None)\n"
            "c = duckdb.connect(str(p.build_db))\n"
            "ensure_raw_schema(c)\n"
            "[load_customs_year(c, p, y) for y in customs_years(p)]\n"
            "load_yearbook(c, p); load_world(c, p); c.close()\n")
    _run([sys.executable, "-c", code], env)
    _dbt(["seed"], env)
    _transforms(root, env)
    marker.write_text("ok")


def load_step(root: str) -> None:
    """Child process: load customs YEAR (forced), printing progress."""
    import duckdb

    from ingest.load import ensure_raw_schema, load_customs_year
    from ingest.paths import DataPaths, duckdb_config
    paths = DataPaths.from_dir(root)
    conn = duckdb.connect(str(paths.build_db), config=duckdb_config())
    try:
        ensure_raw_schema(conn)
        start = time.perf_counter()
        result = load_customs_year(conn, paths, YEAR, force=True, progress=lambda m: print(
            f"  {time.perf_counter() - start:6.1f}s {m}", flush=True))
        print(f"rows={result.rows}")
    finally:
        conn.close()


def measure(root: Path, env: dict, rows: int, fmt: str, cache: Path) -> dict:
    cache.mkdir(parents=True, exist_ok=True)
    source = cache / f"customs_{YEAR}_{rows}.{fmt}"
    if not source.exists():
        facts = write_large_customs(source, rows, YEAR, fmt)
        print(f"  generated {source.name}: {facts['bytes'] / 1e9:.2f} GB in "
              f"{facts['seconds']:.1f} s", flush=True)
    folder = root / "landing" / "customs" / str(YEAR)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / source.name).symlink_to(source)
    load_s, load_mb, out = _run([sys.executable, "-m", "benchmarks.bench_ingest", "--load-step",
                                 str(root)], env, REPO)
    print(out.rstrip(), flush=True)
    dbt_s, dbt_mb, _ = _transforms(root, env)
    return {"rows": rows, "format": fmt, "gb": source.stat().st_size / 1e9, "load_s": load_s,
            "load_mb": load_mb, "dbt_s": dbt_s, "dbt_mb": dbt_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000, 50_000_000])
    ap.add_argument("--parquet", type=int, nargs="*", default=[50_000_000],
                    help="sizes also measured from Parquet")
    ap.add_argument("--dir", type=Path, default=Path(os.environ.get(
        "MEDTRADE_BENCH_DIR", "/tmp/medtrade-bench")))
    ap.add_argument("--load-step", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.load_step:
        load_step(a.load_step)
        return
    root = a.dir.resolve() / "data"
    env = {**os.environ, "MEDTRADE_BUILD_DB": str(root / "warehouse" / "build" / "medtrade.duckdb"),
           "MEDTRADE_DUCKDB_MEMORY_LIMIT": os.environ.get("MEDTRADE_DUCKDB_MEMORY_LIMIT", "1GB"),
           "PYTHONPATH": str(REPO)}
    print(f"machine: {machine()}; DuckDB memory limit {env['MEDTRADE_DUCKDB_MEMORY_LIMIT']}")
    setup(root, env)
    runs = [(n, "csv") for n in a.sizes] + [(n, "parquet") for n in a.parquet]
    results = []
    for rows, fmt in runs:
        print(f"== {rows:,} rows, {fmt}", flush=True)
        results.append(measure(root, env, rows, fmt, a.dir.resolve() / "files"))
    print("\n| rows | format | file GB | load s | load peak MB | dbt run s | dbt peak MB | "
          "total s | target (< 60 s, < 2 GB) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        total, peak = r["load_s"] + r["dbt_s"], max(r["load_mb"], r["dbt_mb"])
        if r["rows"] < 50_000_000:
            verdict = "(scaling point)"
        elif total < TARGET_S and peak < TARGET_MB:
            verdict = "met"
        else:
            verdict = (f"MISSED by {max(0.0, total - TARGET_S):.0f} s"
                       + (f", {peak - TARGET_MB:.0f} MB" if peak >= TARGET_MB else ""))
        print(f"| {r['rows']:,} | {r['format']} | {r['gb']:.2f} | {r['load_s']:.1f} | "
              f"{r['load_mb']:.0f} | {r['dbt_s']:.1f} | {r['dbt_mb']:.0f} | {total:.1f} | "
              f"{verdict} |")
    if any(r["rows"] >= 50_000_000 for r in results):
        print("\nWhere a target is missed: the rows never pass through Python; the time is "
              "DuckDB parsing, converting and writing ~2 GB of compressed columns into the "
              "warehouse file on 2 cores (the raw table keeps per-row provenance columns), "
              "plus the transforms' floor of about 20-28 s: two dbt start-ups around the "
              "PCA (README, Performance).")


if __name__ == "__main__":
    main()
