"""A real-size customs year through the product's own commands (targets: < 90 s, < 2 GB).

Setup (not timed, once per bench folder): the default data are written and `medtrade run`
loads them. Then `landing/customs/2022/` is replaced by a synthetic year of N rows
(``benchmarks.large_customs``, default 50M, 1.9 GB as CSV) in each shape the contract
accepts, and `medtrade load --years 2022` is timed: ingest, every GX suite, dbt, PCA,
Tables 3-10, report and publish, with the other years already loaded. After the CSV shape,
`medtrade run` is timed too. Memory is the peak RSS of the whole process tree (the
command, dbt and every child), sampled from /proc every 0.1 s.

Then (unless --no-scaling) the cost of one year: a revised 10M-row year is reloaded in a
folder holding ten such years and in one holding only that year (target: at most 1.3x).

    python -m benchmarks.bench_real_size                 # all of it (make bench)
    python -m benchmarks.bench_real_size --rows 5000000 --shapes csv --no-scaling
    python -m benchmarks.bench_real_size --scaling       # only the cost of one year
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
from benchmarks.proctree import cli_step_times, measure

YEAR = 2022
TARGET_S, TARGET_MB, RATIO, PUBLISH_S = 90.0, 2000.0, 1.3, 5.0
REPO = Path(__file__).resolve().parents[1]
SHAPES = ("csv", "parquet", "csv20", "gb18030")


def medtrade(root: Path, *args: str) -> tuple[float, float, str]:
    """Wall seconds, peak tree RSS (MB) and output of one medtrade command."""
    cmd = [sys.executable, "-m", "orchestration.cli", *args, "--data-dir", str(root)]
    code, wall, peak, out = measure(cmd, env=os.environ.copy(), cwd=REPO)
    if code:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out[-4000:]}")
    return wall, peak, out


def setup(root: Path) -> None:
    """The default data loaded; the default 2022 files kept aside to restore that year."""
    if (root / ".bench-ready").exists():
        return
    print(f"setup in {root}: default data, first run (not timed)", flush=True)
    medtrade(root, "demo-data")
    shutil.copytree(root / "landing" / "customs" / str(YEAR), root / "default_2022")
    medtrade(root, "run")
    (root / ".bench-ready").touch()


def restore_default_year(root: Path) -> None:
    """Load the default 2022 files again (not timed), so the next load really replaces it."""
    folder = root / "landing" / "customs" / str(YEAR)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(root / "default_2022", folder)
    medtrade(root, "load", "--years", str(YEAR))


def split_csv(big: Path, folder: Path, parts: int) -> None:
    """One CSV -> parts CSVs with the same header, rows dealt in blocks (streamed)."""
    with open(big, "rb") as src:
        header = src.readline()
        total = sum(1 for _ in src)
        src.seek(len(header))
        per = -(-total // parts)
        for i in range(parts):
            with open(folder / f"part_{i:02d}.csv", "wb") as dst:
                dst.write(header)
                for _ in range(per):
                    line = src.readline()
                    if not line:
                        break
                    dst.write(line)


def write_shape(folder: Path, shape: str, rows: int, cache: Path) -> str:
    """Fill the year folder with the synthetic year in one shape; its description."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    csv = cache / f"customs_{YEAR}_{rows}.csv"
    if not csv.exists():
        write_large_customs(csv, rows, YEAR, "csv")
    if shape == "csv":
        os.link(csv, folder / csv.name)
    elif shape == "parquet":
        pq = cache / f"customs_{YEAR}_{rows}.parquet"
        if not pq.exists():
            write_large_customs(pq, rows, YEAR, "parquet")
        os.link(pq, folder / pq.name)
    elif shape == "csv20":
        split_csv(csv, folder, 20)
    elif shape == "gb18030":
        with open(csv, encoding="utf-8", newline="") as src, \
                open(folder / "customs_gb18030.csv", "w", encoding="gb18030", newline="") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e9
    return f"{rows / 1e6:.0f}M rows, {shape}, {len(list(folder.iterdir()))} file(s), {size:.2f} GB"


def report(label: str, wall: float, peak: float, out: str) -> None:
    time_ok = "met" if wall < TARGET_S else f"MISSED by {wall - TARGET_S:.1f} s"
    mem_ok = "met" if peak < TARGET_MB else f"MISSED by {peak - TARGET_MB:.0f} MB"
    print(f"{label}: {wall:.1f} s (target < {TARGET_S:.0f} s: {time_ok}); peak tree RSS "
          f"{peak:.0f} MB (target < {TARGET_MB:.0f} MB: {mem_ok})", flush=True)
    steps = cli_step_times(out)
    if steps:
        shown = ", ".join(f"{name} {sec:.1f}" for name, sec in steps[:8])
        in_steps = sum(sec for _, sec in steps)
        print(f"  where the time goes (s): {shown}; all steps {in_steps:.1f} s, outside the "
              f"run (start-up, imports, definitions) {wall - in_steps:.1f} s", flush=True)
        publish = dict(steps).get("published/warehouse")
        if publish is not None:
            verdict = "met" if publish < PUBLISH_S else f"MISSED by {publish - PUBLISH_S:.1f} s"
            print(f"  publish: {publish:.1f} s (target < {PUBLISH_S:.0f} s whatever the size of "
                  f"raw: {verdict})", flush=True)


def real_size(root: Path, rows: int, shapes: list[str], cache: Path) -> None:
    setup(root)
    folder = root / "landing" / "customs" / str(YEAR)
    for shape in shapes:
        restore_default_year(root)
        described = write_shape(folder, shape, rows, cache)
        wall, peak, out = medtrade(root, "load", "--years", str(YEAR))
        report(f"medtrade load --years {YEAR} ({described})", wall, peak, out)
        if shape == "csv":
            wall, peak, out = medtrade(root, "run")
            report("medtrade run (same files, all years)", wall, peak, out)


def scaling(root: Path, cache: Path, rows: int = 10_000_000, years=range(2013, 2023)) -> None:
    """Reloading one year with ten real-size years loaded vs with that year alone."""
    # The large file sits beside the year's default file (its keys carry region codes, the
    # default file's do not): with synthetic files alone every province would trade with
    # every partner, a constant resilience indicator the PCA refuses.
    def prepare(folder: Path, load_years) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        medtrade(folder, "demo-data")
        for year in load_years:
            src = cache / f"customs_{year}_{rows}.csv"
            if not src.exists():
                write_large_customs(src, rows, year, "csv")
            os.link(src, folder / "landing" / "customs" / str(year) / "large.csv")
        medtrade(folder, "run")

    def change(folder: Path) -> None:  # a revised 2022 release: one more row
        target = folder / "landing" / "customs" / str(YEAR) / "large.csv"
        target.unlink()
        write_large_customs(target, rows + 1, YEAR, "csv")

    alone, full = root / "one_year", root / "ten_years"
    prepare(alone, [YEAR])
    prepare(full, list(years))
    change(alone)
    change(full)
    w1, p1, o1 = medtrade(alone, "load", "--years", str(YEAR))
    report(f"one year of {rows / 1e6:.0f}M rows loaded: reload {YEAR}", w1, p1, o1)
    w10, p10, o10 = medtrade(full, "load", "--years", str(YEAR))
    report(f"ten years of {rows / 1e6:.0f}M rows loaded: reload {YEAR}", w10, p10, o10)
    ratio = w10 / w1
    verdict = "met" if ratio <= RATIO else f"MISSED by {ratio - RATIO:.2f}"
    print(f"cost follows the changed year: {ratio:.2f}x (target <= {RATIO}x: {verdict})")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000_000)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--scaling", action="store_true", help="only the cost-of-one-year measurement")
    ap.add_argument("--no-scaling", action="store_true", help="skip the cost-of-one-year measurement")
    ap.add_argument("--dir", default=None, help="bench folder (default: a new temp folder)")
    a = ap.parse_args(argv)
    base = Path(a.dir or tempfile.mkdtemp(prefix="medtrade-real-size-"))
    cache = base / "generated"
    cache.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}; DuckDB memory limit "
          f"{os.environ.get('MEDTRADE_DUCKDB_MEMORY_LIMIT', 'default')}", flush=True)
    if not a.scaling:
        real_size(base / "data", a.rows, a.shapes.split(","), cache)
    if not a.no_scaling:
        scaling(base, cache)


if __name__ == "__main__":
    main()
