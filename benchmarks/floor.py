"""The floor of a customs year: what bare DuckDB needs for the same files.

The yardstick of ``bench_real_size``: DuckDB (the version and memory cap medtrade uses)
reads the year's files with every column as text, casts the value to DECIMAL(18,2),
writes one zstd Parquet file, and sums it by province and HS6. A GB18030 file is first
transcoded to UTF-8 (DuckDB reads UTF-8 only), and that counts. Nothing is validated,
numbered or traced to its line: it is what the hardware allows, not a competitor.

Run as its own process, so the benchmark measures its wall time and the memory of its
process tree exactly as it measures `medtrade`:

    python -m benchmarks.floor --format csv FILE [FILE ...]
"""
from __future__ import annotations

import argparse
import codecs
import shutil
import tempfile
import time
from pathlib import Path

from warehouse.connection import DEFAULT_MEMORY_LIMIT, connection
from warehouse.lake import sql_path

# the contract's Chinese headers, as benchmarks.large_customs writes them
PROVINCE, HS_CODE, VALUE = "注册地编码", "商品编码", "美元"


def _utf8(path: Path, out: Path) -> Path:
    with open(path, "rb") as src, open(out, "wb") as dst:
        decode = codecs.getincrementaldecoder("gb18030")()
        for block in iter(lambda: src.read(1 << 22), b""):
            dst.write(decode.decode(block).encode("utf-8"))
        dst.write(decode.decode(b"", final=True).encode("utf-8"))
    return out


def floor(files: list[Path], fmt: str, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> dict:
    """Seconds and rows of the floor for one year's files (csv, parquet or gb18030)."""
    start = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="medtrade-floor-"))
    try:
        if fmt == "gb18030":
            files = [_utf8(f, scratch / f"{i}.csv") for i, f in enumerate(files)]
        listed = "[" + ", ".join(sql_path(f) for f in files) + "]"
        scan = (f"read_parquet({listed})" if fmt == "parquet" else
                f"read_csv({listed}, header = true, all_varchar = true)")
        out = scratch / "year.parquet"
        with connection(None, memory_limit=memory_limit) as conn:
            conn.execute(f"copy (select * replace (cast(cast(\"{VALUE}\" as varchar) "
                         f"as decimal(18, 2)) as \"{VALUE}\") from {scan}) "
                         f"to {sql_path(out)} (format parquet, compression zstd)")
            rows = conn.execute(f"select count(*) from read_parquet({sql_path(out)})").fetchone()[0]
            conn.execute(f"select \"{PROVINCE}\", substr(\"{HS_CODE}\", 1, 6) as hs6, "
                         f"sum(\"{VALUE}\") from read_parquet({sql_path(out)}) "
                         "group by all").fetchall()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"rows": rows, "seconds": time.perf_counter() - start}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["csv", "parquet", "gb18030"], default="csv")
    ap.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT)
    ap.add_argument("files", nargs="+", type=Path)
    a = ap.parse_args()
    facts = floor(a.files, a.format, a.memory_limit)
    print(f"floor: {facts['rows']} rows in {facts['seconds']:.1f} s")


if __name__ == "__main__":
    main()
