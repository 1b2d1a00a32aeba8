"""The `medtrade` command: demo data, the whole pipeline in one Dagster run, SQL queries."""
from __future__ import annotations

import argparse
import gc
import os
import signal
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from orchestration.sql_shell import cmd_sql
from warehouse.faults import free_mb, machine_fault
from warehouse.paths import DataPaths
from warehouse.settings import (DATA_DIR_ENV, DEFAULT_MEMORY_LIMIT, ENGINE_ENV, ENGINES,
                                MEMORY_LIMIT_ENV, REPO_ROOT, SPARK_THRIFT_ENV, Settings)

INSTANCE_SETTINGS = REPO_ROOT / "dagster.yaml"
HOME_MARK = "@DAGSTER_HOME@"  # in INSTANCE_SETTINGS: the data folder's Dagster home


def parse_years(text: str) -> list[int]:
    """'2013-2022' or '2013,2015' -> list of years."""
    years: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        years += list(range(int(lo), int(hi or lo) + 1))
    return sorted(set(years))


def _settings(args) -> Settings:
    return Settings.from_env(args.data_dir, getattr(args, "engine", None),
                             getattr(args, "memory_limit", None),
                             getattr(args, "spark_thrift", None))


def dagster_home(paths: DataPaths) -> Path:
    """Run history per data folder (<data>/dagster/), with the project's instance settings:
    the UI's "latest materialization" of an asset always belongs to this data folder."""
    home = paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    text = INSTANCE_SETTINGS.read_text(encoding="utf-8").replace(HOME_MARK, str(home.resolve()))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return home


def has_landing_data(paths: DataPaths) -> bool:
    return any(paths.customs.glob("*/*")) if paths.customs.exists() else False


def cmd_demo_data(args) -> int:
    from synthetic.data import write_demo_data
    paths = _settings(args).paths.ensure()
    if args.if_missing and has_landing_data(paths):
        print(f"landing data already present in {paths.landing}; nothing written")
        return 0
    years = parse_years(args.years)
    try:
        write_demo_data(paths, years, seed=args.seed,
                        progress=lambda m: print(f"  {m}", flush=True))
    except ValueError as exc:  # a year the seeds do not cover
        print(f"no demo data written: {exc}", file=sys.stderr)
        return 2
    if args.world:
        from synthetic.world_demo import write_world_demo
        write_world_demo(paths, [years[0] - 1, *years], seed=args.seed)
        print(f"  world trade files in {paths.world}")
    print(f"wrote SYNTHETIC default data for {years[0]}-{years[-1]} to {paths.landing}")
    return 0


def _answers(address: str) -> bool:
    import socket
    host, _, port = address.rpartition(":")
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, int(port))) == 0


def cmd_spark_cluster(args) -> int:
    """A Spark standalone cluster and Thrift server for this data folder (loopback only)."""
    from warehouse import spark_cluster
    from warehouse.spark import spark_missing
    paths = _settings(args).paths
    if args.action == "stop":
        spark_cluster.stop(paths)
        return 0
    if args.action == "status":
        cluster = spark_cluster.running(paths)
        print(f"running: Thrift server {cluster.thrift}, pids {cluster.pids}" if cluster
              else f"no Spark cluster runs for {paths.root}")
        return 0 if cluster else 1
    if why := spark_missing():
        print(f"cannot start a Spark cluster: {why}", file=sys.stderr)
        return 2
    spec = spark_cluster.ClusterSpec(master_port=args.master_port, thrift_port=args.thrift_port,
                                     workers=args.workers, worker_cores=args.worker_cores,
                                     worker_memory=args.worker_memory)
    try:
        cluster = spark_cluster.start(paths.ensure(), spec)
    except spark_cluster.ClusterError as exc:
        print(f"the Spark cluster did not start: {exc}", file=sys.stderr)
        return 1
    print(f"run the pipeline on it: medtrade run --engine spark --spark-thrift {cluster.thrift}"
          f" --data-dir {paths.root}\nstop it: medtrade spark-cluster stop --data-dir "
          f"{paths.root}")
    return 0


def cmd_run(args) -> int:
    settings = _settings(args)
    paths = settings.paths.ensure()
    if not has_landing_data(paths):
        print(f"no customs files in {paths.customs}; run `medtrade demo-data` or add files",
              file=sys.stderr)
        return 2
    from warehouse.spark import spark_missing
    if settings.engine == "spark" and (why := spark_missing()):
        print(f"the spark engine is not available: {why}", file=sys.stderr)
        return 2
    if settings.spark_thrift and not _answers(settings.spark_thrift):
        print(f"no Spark Thrift server answers at {settings.spark_thrift}: start one with "
              f"`medtrade spark-cluster start --data-dir {paths.root}` (make spark-cluster)",
              file=sys.stderr)
        return 2
    years = parse_years(args.years) if getattr(args, "years", None) else None
    log_file = paths.logs / f"run-{time.strftime('%Y%m%dT%H%M%S')}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    print(f"medtrade: {'loading customs ' + args.years + ' and rebuilding' if years else 'running the pipeline'}"
          f" on {paths.landing} ({settings.engine} engine"
          + (f", Thrift server {settings.spark_thrift}" if settings.spark_thrift else "")
          + f")\n  full log: {log_file}", flush=True)
    from warehouse.lock import DataFolderBusy, data_folder_lock
    try:
        with data_folder_lock(paths.root, wait=args.wait, say=lambda m: print(m, flush=True)):
            return _run(args, settings, years, log_file)
    except DataFolderBusy as exc:
        print(f"not started: {exc}", file=sys.stderr)
        return 3


def _run(args, settings: Settings, years: list[int] | None, log_file: Path) -> int:
    """One Dagster run of the whole pipeline (the data folder's lock is held)."""
    paths = settings.paths
    started = time.perf_counter()
    from orchestration.project import ensure_manifest
    ensure_manifest(settings.dbt_project_dir, say=lambda m: print(m, flush=True))
    with _console(args.verbose, log_file):
        import dagster as dg

        from orchestration.definitions import build_definitions
        from orchestration.partitions import landing_range_tags, range_tags
        from orchestration.unfinished_runs import close_and_describe
        defs = build_definitions(settings)
        job = defs.resolve_job_def("medtrade_pipeline")
        tags = range_tags(years[0], years[-1]) if years else landing_range_tags(paths)
        loggers = {"medtrade_file": {"config": {"path": str(log_file)}}}
        if args.verbose:
            loggers["console"] = {"config": {"log_level": args.log_level}}
        else:
            loggers["medtrade_progress"] = {"config": {"total_steps": len(job.nodes)}}
        # closed at the end: the run history's SQLite files are then checkpointed and their
        # write-ahead logs removed (orchestration/event_log.py keeps connections open)
        try:
            with dg.DagsterInstance.from_config(str(dagster_home(paths))) as instance:
                _say_both(close_and_describe(instance, f"the run logged in {log_file.name}"))
                result = job.execute_in_process(instance=instance, raise_on_error=False,
                                                tags=tags, run_config={"loggers": loggers})
        except Exception as exc:  # outside any step: the run history itself
            fault = machine_fault(exc, paths.dagster_home)
            if fault is None:
                raise
            result = exc
    if isinstance(result, Exception):  # said here: the log file may be on the full disk
        first = str(result).strip().splitlines()[0]
        print(f"FAILED: {fault}: Dagster could not write the run history in "
              f"{paths.dagster_home} ({first}); {free_mb(paths.dagster_home):.0f} MB are free "
              "there. The run stopped; publishing is its last step, so the published "
              "warehouse is as it was unless the run got that far.", file=sys.stderr)
        return 1
    if not result.success:
        for event in result.all_events:
            if event.event_type_value == "ASSET_CHECK_EVALUATION":
                evaluation = event.event_specific_data
                if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                    text = evaluation.metadata.get("failures")
                    print(f"FAILED check {evaluation.check_name}:\n  "
                          + (text.value.replace("\n", "\n  ") if text else ""), file=sys.stderr)
            if event.is_step_failure:
                error = event.step_failure_data.error
                while error.cause is not None:  # the user-code error under Dagster's wrapper
                    error = error.cause
                message = error.message.strip()
                if error.cls_name == "Failure":  # our own words: no class name before them
                    message = message.split(": ", 1)[-1]
                fault = machine_fault(message)
                if fault and not message.startswith(fault):  # the machine, not the data
                    message = f"{fault} ({message})"
                print(f"FAILED {event.step_key}: {message}", file=sys.stderr)
        print(f"the published warehouse was not changed; full log: {log_file}", file=sys.stderr)
        return 1
    print(f"\nrun {result.run_id[:8]} succeeded in {time.perf_counter() - started:.0f} s\n"
          f"  published warehouse (analysts): {paths.published_db}\n"
          f"  report:  {paths.report / 'report.html'}\n"
          f"  query:   medtrade sql \"select * from results.estimates\"\n"
          f"  UI:      medtrade ui  (run history of this data folder: {paths.dagster_home})\n"
          f"  log:     {log_file}")
    return 0


def _say_both(lines: list[str]) -> None:
    """Lines for the log file and the console (one and the same with --verbose)."""
    for line in lines:
        print(line, flush=True)
        if sys.stdout is not sys.__stdout__:
            print(line, file=sys.__stdout__, flush=True)


@contextmanager
def _console(verbose: bool, log_file: Path):
    """Quiet by default: what libraries print (dbt's lines, warnings, GX) goes to the log
    file; the progress logger writes the step lines to the terminal (sys.__stdout__)."""
    if verbose:
        yield
        return
    fh = open(log_file, "a", encoding="utf-8")
    try:
        with warnings.catch_warnings(), redirect_stdout(fh), redirect_stderr(fh):
            warnings.simplefilter("default")
            yield
    finally:
        try:
            fh.close()
        except OSError as exc:  # the log's last lines did not fit on a full disk: the
            if machine_fault(exc) is None:  # caller says so on the console
                raise


def cmd_ui(args) -> int:
    """dagster dev on this data folder, with its own run history."""
    settings = _settings(args)
    paths = settings.paths.ensure()
    from orchestration.project import ensure_manifest
    ensure_manifest(settings.dbt_project_dir)
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home(paths)),
           DATA_DIR_ENV: str(settings.data_dir), ENGINE_ENV: settings.engine,
           MEMORY_LIMIT_ENV: settings.memory_limit,
           **({SPARK_THRIFT_ENV: settings.spark_thrift} if settings.spark_thrift else {}),
           "PYTHONWARNINGS": "ignore"}  # library notices (e.g. `dagster dev` vs `dg dev`)
    dagster = str(Path(sys.executable).with_name("dagster"))
    import dagster as dg

    from orchestration.unfinished_runs import close_and_describe
    with dg.DagsterInstance.from_config(str(dagster_home(paths))) as instance:
        _say_both(close_and_describe(instance, "medtrade ui", rebuilds=False))
    print(f"Dagster UI for {paths.root} on http://{args.host}:{args.port}", flush=True)
    # Dagster's webserver ignores SIGINT/SIGTERM when started with SIGINT ignored: reset it
    return subprocess.call([dagster, "dev", "-m", "orchestration.definitions", "-h", args.host,
                            "-p", str(args.port)], env=env, cwd=paths.root,  # not beside a dagster.yaml
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default=None,
                        help=f"dbt engine (default: ${ENGINE_ENV} or duckdb)")
    parser.add_argument("--spark-thrift", default=None, metavar="HOST:PORT",
                        help="engine spark: run dbt through this Spark Thrift server (make "
                             "spark-cluster) instead of a local session "
                             "(default: $MEDTRADE_SPARK_THRIFT)")
    parser.add_argument("--verbose", action="store_true",
                        help="print Dagster's full log (always written to the run's log file)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="console level with --verbose")
    parser.add_argument("--wait", action="store_true",
                        help="when another run holds the data folder, wait for it to end "
                             "(default: refuse at once, naming it)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None,
                        help=f"data folder (default: ${DATA_DIR_ENV} or ./data)")
    common.add_argument("--memory-limit", default=None, metavar="SIZE",
                        help=f"DuckDB's memory cap on every connection and in dbt, e.g. 2GB "
                             f"(default: ${MEMORY_LIMIT_ENV} or {DEFAULT_MEMORY_LIMIT})")
    parser = argparse.ArgumentParser(prog="medtrade", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo-data", parents=[common],
                          help="write the SYNTHETIC default dataset into the landing folder")
    demo.add_argument("--years", default="2013-2022", help="panel years, e.g. 2013-2022")
    demo.add_argument("--seed", type=int, default=20240601)
    demo.add_argument("--world", action="store_true",
                      help="also write world trade files (PRODY world variant)")
    demo.add_argument("--if-missing", action="store_true",
                      help="do nothing when customs files are already present")
    demo.set_defaults(func=cmd_demo_data)
    run = sub.add_parser("run", parents=[common], help="run the whole pipeline in one Dagster run")
    _run_options(run)
    run.set_defaults(func=cmd_run)
    load = sub.add_parser("load", parents=[common],
                          help="load (or reload) a range of customs years and rebuild, in one run")
    load.add_argument("--years", required=True, help="e.g. 2013-2022 or 2023")
    _run_options(load)
    load.set_defaults(func=cmd_run)
    ui = sub.add_parser("ui", parents=[common], help="the Dagster UI on this data folder")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    cluster = sub.add_parser("spark-cluster", parents=[common],
                             help="start, stop or show a local Spark standalone cluster with a "
                                  "Thrift server for this data folder")
    cluster.add_argument("action", choices=["start", "stop", "status"])
    cluster.add_argument("--master-port", type=int, default=7077)
    cluster.add_argument("--thrift-port", type=int, default=10000)
    cluster.add_argument("--workers", type=int, default=1)
    cluster.add_argument("--worker-cores", type=int, default=2)
    cluster.add_argument("--worker-memory", default="2g")
    cluster.set_defaults(func=cmd_spark_cluster)
    sql = sub.add_parser("sql", parents=[common], help="query the published warehouse read-only")
    sql.add_argument("query", nargs="?", help="SQL; omit for an interactive shell")
    sql.add_argument("--format", choices=["table", "csv"], default="table")
    sql.add_argument("--output", help="write the result to a .csv or .parquet file")
    sql.set_defaults(func=cmd_sql)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _settings(args)  # a bad engine or memory cap is a usage error, before any work
    except ValueError as exc:
        parser.error(str(exc))
    return args.func(args)


def console(argv: list[str] | None = None) -> int:
    """The `medtrade` command: ``main``, then a quick exit. A run leaves millions of Python
    objects (Dagster definitions, the dbt manifest, Great Expectations); the interpreter's
    exit collects them again and again for 2-3 s after the work is done. Frozen, they are
    left to the operating system; exit handlers still run and files are still closed."""
    code = main(argv)
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(console())
