"""The Spark engine on a real cluster: a standalone master, a worker and the Thrift JDBC
server, started from the pyspark package on loopback (warehouse.spark_cluster, `make
spark-cluster`); `medtrade run --engine spark --spark-thrift` runs dbt through the Thrift
server, the worker's executor reads the lake, and the published warehouse equals the
DuckDB run's (the same tolerances as the session method's test). Every JVM the test
started is stopped by PID."""
import os
import shutil
import socket

import pytest

from tests.orchestration.helpers import MARTS, assert_frames_equal, assert_same_warehouse, medtrade
from warehouse import spark_cluster
from warehouse.connection import connect
from warehouse.paths import DataPaths
from warehouse.processes import alive
from warehouse.spark import spark_missing

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster_run(pipeline, tmp_path_factory):
    why = spark_missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the Spark cluster: {why}")
        pytest.skip(f"no Spark cluster here: {why}")
    paths = DataPaths.from_dir(tmp_path_factory.mktemp("medtrade-cluster")).ensure()
    shutil.copytree(pipeline[0].landing, paths.landing, dirs_exist_ok=True)
    spec = spark_cluster.ClusterSpec(master_port=free_port(), master_ui_port=free_port(),
                                     thrift_port=free_port(), app_ui_port=free_port())
    said = []
    cluster = spark_cluster.start(paths, spec, say=said.append)
    started = []
    try:
        proc = medtrade(paths.root, "run", "--engine", "spark", "--spark-thrift",
                        cluster.thrift, timeout=1800)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        tasks = spark_cluster.executor_tasks(cluster)
        started = spark_cluster.jvm_pids(cluster)
        conn = connect(paths.published_db, read_only=True)
        yield paths, conn, proc.stdout, tasks, cluster, said
        conn.close()
    finally:
        stopped = spark_cluster.stop(paths, say=lambda _m: None)
        left = [p for p in set(started) | set(stopped) if alive(p)]
        assert not left, f"JVMs still running after stop: {left}"


def test_the_cluster_is_local_and_the_run_goes_through_thrift(cluster_run):
    paths, _, out, _, cluster, said = cluster_run
    assert f"(spark engine, Thrift server {cluster.thrift})" in out
    assert cluster.master_url.startswith("spark://127.0.0.1:")
    assert set(cluster.pids) == {"master", "worker1", "thrift"}
    assert any("Thrift server 127.0.0.1:" in line for line in said)
    # the Thrift server's tables are the data folder's, where the copy into DuckDB reads
    assert (paths.spark_dir / "warehouse" / "marts.db" / "fct_province_year_panel").is_dir()
    assert (paths.spark_dir / "metastore_db").is_dir()


def test_the_worker_executors_did_the_work(cluster_run):
    tasks = cluster_run[3]
    executors = {k: v for k, v in tasks.items() if k != "driver"}
    assert executors and sum(executors.values()) > 100, tasks


@pytest.mark.parametrize("table", sorted(MARTS))
def test_cluster_marts_equal_the_duckdb_build(published, cluster_run, table):
    sql = f"select * from marts.{table}"
    assert_frames_equal(published.execute(sql).df(), cluster_run[1].execute(sql).df(),
                        MARTS[table], what=table)


def test_cluster_run_publishes_the_same_tables_and_results(published, cluster_run):
    assert_same_warehouse(published, cluster_run[1])


def test_a_thrift_address_is_checked_before_anything_runs(tmp_path):
    from warehouse.settings import Settings
    with pytest.raises(ValueError, match="add --engine spark"):
        Settings(tmp_path, "duckdb", spark_thrift="127.0.0.1:10000")
    with pytest.raises(ValueError, match="write it as HOST:PORT"):
        Settings(tmp_path, "spark", spark_thrift="localhost")
    settings = Settings(tmp_path, "spark", spark_thrift="127.0.0.1:10000")
    assert settings.dbt_target == "spark_thrift"
    assert settings.dbt_env()["MEDTRADE_SPARK_PORT"] == "10000"
    (tmp_path / "landing" / "customs" / "2020").mkdir(parents=True)
    (tmp_path / "landing" / "customs" / "2020" / "a.csv").write_text("x\n")
    proc = medtrade(tmp_path, "run", "--engine", "spark", "--spark-thrift",
                    f"127.0.0.1:{free_port()}")
    if spark_missing() is None:
        assert proc.returncode == 2 and "no Spark Thrift server answers at" in proc.stderr
        assert "medtrade spark-cluster start" in proc.stderr
