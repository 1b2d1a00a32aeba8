"""A Spark standalone cluster and a Thrift JDBC server on this machine, from the pyspark
package (`make spark-cluster`, `medtrade spark-cluster start|stop|status`).

The pyspark wheel ships `bin/spark-class`, `bin/spark-submit` and the Thrift server's jar,
so a real cluster runs here: a master, workers (each its own JVM, with its own cores and
memory; the executors they launch are JVMs too) and the Thrift server
(`HiveThriftServer2`) submitted to the master as a Spark application. Everything listens
on loopback only. The warehouse (`spark.sql.warehouse.dir`) and the Derby metastore are
the data folder's (`<data>/spark/`), the same as the session method's, so the tables the
cluster writes are copied into the DuckDB build warehouse as after a local build. A
cluster serves one data folder: the one it was started for.

The processes' ids, ports and the data folder are kept in `<data>/spark/cluster.json`;
`stop` ends every JVM it started (and the executors the workers launched) by PID.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from warehouse.paths import DataPaths
from warehouse.processes import alive, children, descendants

HOST = "127.0.0.1"
STATE = "cluster.json"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"


class ClusterError(RuntimeError):
    """The cluster could not start, or is not the data folder's."""


@dataclass
class ClusterSpec:
    """Ports and sizes; the defaults fit a 2-core machine next to the pipeline."""
    master_port: int = 7077
    master_ui_port: int = 8080
    thrift_port: int = 10000
    app_ui_port: int = 4040
    workers: int = 1
    worker_cores: int = 2
    worker_memory: str = "2g"
    executor_memory: str = "1g"
    driver_memory: str = "1g"


@dataclass
class Cluster:
    data_dir: str
    spec: ClusterSpec
    pids: dict[str, int] = field(default_factory=dict)   # role -> JVM pid

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.spec.master_port}"

    @property
    def thrift(self) -> str:
        return f"{HOST}:{self.spec.thrift_port}"


def spark_home() -> Path:
    import pyspark
    return Path(pyspark.__file__).resolve().parent


def cluster_dir(paths: DataPaths) -> Path:
    return paths.spark_dir / "cluster"


def _env(paths: DataPaths) -> dict[str, str]:
    from warehouse.settings import SPARK_CONF_DIR
    logs = cluster_dir(paths) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": HOST,
            "SPARK_CONF_DIR": str(SPARK_CONF_DIR), "SPARK_LOG_DIR": str(logs),
            "SPARK_NO_DAEMONIZE": "1"}


def _launch(paths: DataPaths, role: str, args: list[str]) -> int:
    """Start one JVM in its own session (Ctrl-C in the terminal does not reach it), its
    output in <data>/spark/cluster/logs/<role>.log; returns its pid."""
    log = open(cluster_dir(paths) / "logs" / f"{role}.log", "ab")
    proc = subprocess.Popen(args, env=_env(paths), cwd=cluster_dir(paths), stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    log.close()
    return proc.pid


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _wait(what: str, ready, pid: int, paths: DataPaths, role: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not alive(pid):
            raise ClusterError(f"the Spark {what} stopped while starting; see "
                               f"{cluster_dir(paths) / 'logs' / (role + '.log')}")
        time.sleep(0.5)
    raise ClusterError(f"the Spark {what} did not answer within {timeout:.0f} s; see "
                       f"{cluster_dir(paths) / 'logs' / (role + '.log')}")


def _alive_workers(spec: ClusterSpec) -> int:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{spec.master_ui_port}/json/", timeout=2) as r:
            state = json.load(r)
    except OSError:
        return 0
    return sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE")


def load(paths: DataPaths) -> Cluster | None:
    """The cluster recorded for this data folder (whether or not it still runs)."""
    path = paths.spark_dir / STATE
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    return Cluster(raw["data_dir"], ClusterSpec(**raw["spec"]), raw["pids"])


def running(paths: DataPaths) -> Cluster | None:
    """The data folder's cluster if its Thrift server answers, else None."""
    cluster = load(paths)
    if cluster and all(alive(p) for p in cluster.pids.values()) and _port_open(
            cluster.spec.thrift_port):
        return cluster
    return None


def start(paths: DataPaths, spec: ClusterSpec | None = None, say=print,
          timeout: float = 180.0) -> Cluster:
    """Start master, workers and the Thrift server for this data folder; wait until the
    Thrift port answers. A cluster already running for the folder is returned as it is."""
    spec = spec or ClusterSpec()
    if (current := running(paths)) is not None:
        say(f"the Spark cluster of {paths.root} is running (Thrift server {current.thrift})")
        return current
    for port in (spec.master_port, spec.master_ui_port, spec.thrift_port, spec.app_ui_port):
        if _port_open(port):
            raise ClusterError(f"port {port} on {HOST} is taken by another process: stop it, "
                               "or start the cluster on other ports")
    (cluster_dir(paths) / "logs").mkdir(parents=True, exist_ok=True)
    home = spark_home()
    cluster = Cluster(str(paths.root), spec)
    try:
        say(f"starting the Spark master on {cluster.master_url}")
        cluster.pids["master"] = _launch(paths, "master", [
            str(home / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master",
            "--host", HOST, "--port", str(spec.master_port),
            "--webui-port", str(spec.master_ui_port)])
        _save(paths, cluster)
        _wait("master", lambda: _port_open(spec.master_port), cluster.pids["master"], paths,
              "master", timeout)
        for i in range(spec.workers):
            role = f"worker{i + 1}"
            say(f"starting Spark {role} ({spec.worker_cores} cores, {spec.worker_memory})")
            work = cluster_dir(paths) / role
            work.mkdir(parents=True, exist_ok=True)
            cluster.pids[role] = _launch(paths, role, [
                str(home / "bin" / "spark-class"), "org.apache.spark.deploy.worker.Worker",
                cluster.master_url, "--host", HOST, "--cores", str(spec.worker_cores),
                "--memory", spec.worker_memory, "--webui-port", "0", "--work-dir", str(work)])
            _save(paths, cluster)
        _wait(f"workers ({spec.workers})", lambda: _alive_workers(spec) >= spec.workers,
              cluster.pids["master"], paths, "master", timeout)
        say(f"starting the Thrift server on {cluster.thrift} (a Spark application on the "
            "master; warehouse and metastore in the data folder)")
        spark = paths.spark_dir
        cluster.pids["thrift"] = _launch(paths, "thrift", [
            str(home / "bin" / "spark-submit"), "--master", cluster.master_url,
            "--class", THRIFT_CLASS, "--name", "medtrade-thrift",
            "--driver-memory", spec.driver_memory,
            "--driver-java-options", f"-Dderby.system.home={spark}",
            "--conf", f"spark.executor.memory={spec.executor_memory}",
            "--conf", f"spark.driver.host={HOST}", "--conf", f"spark.driver.bindAddress={HOST}",
            "--conf", f"spark.ui.port={spec.app_ui_port}",
            "--conf", f"spark.sql.warehouse.dir={spark / 'warehouse'}",
            "--conf", "spark.hadoop.javax.jdo.option.ConnectionURL="
                      f"jdbc:derby:;databaseName={spark / 'metastore_db'};create=true",
            "--conf", "spark.sql.shuffle.partitions=4",
            "--conf", "spark.sql.session.timeZone=UTC",
            "--hiveconf", f"hive.server2.thrift.port={spec.thrift_port}",
            "--hiveconf", f"hive.server2.thrift.bind.host={HOST}",
            "spark-internal"])
        _save(paths, cluster)
        _wait("Thrift server", lambda: _port_open(spec.thrift_port), cluster.pids["thrift"],
              paths, "thrift", timeout)
    except BaseException:
        stop(paths, say=lambda _m: None)
        raise
    say(f"the Spark cluster is up: master {cluster.master_url} (UI http://{HOST}:"
        f"{spec.master_ui_port}), Thrift server {cluster.thrift}")
    return cluster


def _save(paths: DataPaths, cluster: Cluster) -> None:
    paths.spark_dir.mkdir(parents=True, exist_ok=True)
    (paths.spark_dir / STATE).write_text(json.dumps(
        {"data_dir": cluster.data_dir, "spec": asdict(cluster.spec), "pids": cluster.pids},
        indent=2))


def jvm_pids(cluster: Cluster) -> list[int]:
    """Every process of the cluster: the JVMs started here and what they launched."""
    pids, tree = list(cluster.pids.values()), children()
    return pids + [d for p in pids for d in descendants(p, tree)]


def stop(paths: DataPaths, say=print, grace: float = 15.0) -> list[int]:
    """End every process of the data folder's cluster (Thrift server, workers and their
    executors, master) by PID: SIGTERM, then SIGKILL after ``grace`` seconds. Returns them."""
    cluster = load(paths)
    if cluster is None:
        say(f"no Spark cluster recorded for {paths.root}")
        return []
    pids = jvm_pids(cluster)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.3)
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for pid in pids:  # reap the ones this process started (a test holds them as children)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    (paths.spark_dir / STATE).unlink(missing_ok=True)
    say(f"stopped the Spark cluster of {paths.root} ({len(pids)} processes)")
    return pids


def executor_tasks(cluster: Cluster) -> dict[str, int]:
    """Tasks run per executor of the Thrift server's application (Spark's REST API):
    {executor id: completed tasks}; 'driver' is the Thrift server itself."""
    base = f"http://{HOST}:{cluster.spec.app_ui_port}/api/v1/applications"
    with urllib.request.urlopen(base, timeout=5) as r:
        app = json.load(r)[0]["id"]
    with urllib.request.urlopen(f"{base}/{app}/allexecutors", timeout=5) as r:
        return {e["id"]: int(e.get("completedTasks", 0)) for e in json.load(r)}
