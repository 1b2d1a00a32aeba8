"""The Spark engine: the same dbt project on Spark (dbt-spark, session method, local[2])
gives the same marts and the same published tables as the default DuckDB run."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.orchestration.helpers import MARTS, assert_frames_equal, assert_same_warehouse
from warehouse.connection import connect
from warehouse.paths import DataPaths
from warehouse.spark import spark_missing

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def spark_run(pipeline, tmp_path_factory):
    """`medtrade run --engine spark` on a copy of the DuckDB run's landing files."""
    why = spark_missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the Spark engine: {why}")
        pytest.skip(why)
    duck = pipeline[0]
    paths = DataPaths.from_dir(tmp_path_factory.mktemp("medtrade-spark"))
    shutil.copytree(duck.landing, paths.landing)
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--engine", "spark",
                           "--data-dir", str(paths.root)], capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "(spark engine)" in proc.stdout
    conn = connect(paths.published_db, read_only=True)
    yield paths, conn
    conn.close()


def test_raw_data_reach_spark_as_parquet_partitioned_by_source_and_year(spark_run):
    paths = spark_run[0]
    years = sorted(p.name for p in (paths.lake / "raw" / "customs_exports").glob("year=*"))
    assert years == [f"year={y}" for y in range(2012, 2023)]
    assert (paths.lake / "raw" / "yearbook_values" / "year=2020" / "data.parquet").exists()
    assert (paths.spark_dir / "warehouse" / "marts.db" / "fct_province_year_panel").is_dir()


@pytest.mark.parametrize("table", sorted(MARTS))
def test_spark_marts_equal_the_duckdb_build(published, spark_run, table):
    sql = f"select * from marts.{table}"
    assert_frames_equal(published.execute(sql).df(), spark_run[1].execute(sql).df(),
                        MARTS[table], what=table)


def test_spark_run_publishes_the_same_tables_and_results(published, spark_run):
    assert_same_warehouse(published, spark_run[1])
