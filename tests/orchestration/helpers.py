"""The product's own command, as a user runs it, for the tests that run real pipelines."""
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd


def medtrade(root, *args, timeout: int = 900, **kw) -> subprocess.CompletedProcess:
    """`medtrade <args> --data-dir <root>` in a new process (the console script's module)."""
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args, "--data-dir",
                           str(root)], capture_output=True, text=True, timeout=timeout, **kw)


def demo_slice(root: Path) -> Path:
    """A small data folder (customs 2020-2022, panel 2021-2022) after one good run."""
    assert medtrade(root, "demo-data", "--years", "2021-2022").returncode == 0
    ran = medtrade(root, "run")
    assert ran.returncode == 0, ran.stderr[-2000:]
    return root


def published(root: Path) -> Path:
    return Path(root) / "warehouse" / "medtrade.duckdb"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_frames_equal(a: pd.DataFrame, b: pd.DataFrame, keys, rtol=1e-9, atol=1e-9, what=""):
    assert list(a.columns) == list(b.columns), what
    assert len(a) == len(b), what
    a = a.sort_values(keys, ignore_index=True)
    b = b.sort_values(keys, ignore_index=True)
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            same = np.isclose(x.astype(float), y.astype(float), rtol=rtol, atol=atol,
                              equal_nan=True)
        else:
            same = (x.isna() & y.isna()) | (x.astype(str) == y.astype(str))
        assert same.all(), f"{what}.{column}: {int((~same).sum())} rows differ"


# The marts the Spark tests compare with the DuckDB run by their keys (numbers to 1e-9):
# those issue 8 names and the composites of issue 24.
MARTS = {
    "fct_export_structure": ["province_code", "year"],
    "fct_indicator_values": ["province_code", "year", "indicator"],
    "fct_index_weights": ["composite", "pool_group", "indicator"],
    "fct_composite_scores": ["composite", "province_code", "year"],
    "dim_composite": ["composite"],
    "fct_province_year_panel": ["province_code", "year"],
}


def assert_same_warehouse(published, other) -> None:
    """The same table list as the DuckDB run's published warehouse; every mart and
    intermediate table equal to 1e-9; the study's estimates to 1e-6."""
    listing = ("select table_schema, table_name from information_schema.tables "
               "where table_schema not in ('information_schema', 'pg_catalog') order by 1, 2")
    assert published.execute(listing).fetchall() == other.execute(listing).fetchall()
    for schema in ("marts", "intermediate"):
        for (table,) in published.execute("select table_name from information_schema.tables "
                                          "where table_schema = ? and table_type = 'BASE TABLE'",
                                          [schema]).fetchall():
            sql = f'select * from {schema}."{table}"'
            a, b = published.execute(sql).df(), other.execute(sql).df()
            assert_frames_equal(a, b, list(a.columns), what=f"{schema}.{table}")
    # The study's tables: two-step GMM amplifies last-bit differences of the inputs, so the
    # estimates are compared to 1e-6; the bootstrap draws are the same on both engines.
    for table, keys in (("estimates", ["table_id", "model_id", "term"]),
                        ("model_stats", ["table_id", "model_id", "stat"])):
        sql = f"select * from results.{table}"
        a, b = published.execute(sql).df(), other.execute(sql).df()
        assert_frames_equal(a, b, keys, rtol=1e-6, atol=1e-8, what=f"results.{table}")
