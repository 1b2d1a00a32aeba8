"""The `medtrade` command: demo data, the whole pipeline in one Dagster run, SQL queries."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ingest.paths import DATA_DIR_ENV, ENGINE_ENV, ENGINES, REPO_ROOT, DataPaths, active_engine

DAGSTER_HOME = REPO_ROOT / ".dagster_home"


def parse_years(text: str) -> list[int]:
    """'2013-2022' or '2013,2015' -> list of years."""
    years: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        years += list(range(int(lo), int(hi or lo) + 1))
    return sorted(set(years))


def _configure(args) -> DataPaths:
    paths = DataPaths.from_dir(args.data_dir)
    os.environ[DATA_DIR_ENV] = str(paths.root)
    os.environ.setdefault("DAGSTER_HOME", str(DAGSTER_HOME))
    return paths


def ensure_manifest() -> None:
    """dbt parse when the manifest is missing (a fresh clone run without make)."""
    from orchestration.project import dbt_project
    if dbt_project.manifest_path.exists():
        return
    print("preparing the dbt manifest (dbt parse) ...", flush=True)
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."],
                   cwd=dbt_project.project_dir, check=True)  # same cwd as Dagster's dbt runs


def has_landing_data(paths: DataPaths) -> bool:
    return any(paths.customs.glob("*/*")) if paths.customs.exists() else False


def cmd_demo_data(args) -> int:
    from ingest.demo_data import write_demo_data
    paths = _configure(args)
    if args.if_missing and has_landing_data(paths):
        print(f"landing data already present in {paths.landing}; nothing written")
        return 0
    years = parse_years(args.years)
    write_demo_data(paths, years, seed=args.seed, progress=lambda m: print(f"  {m}", flush=True))
    if args.world:
        from ingest.demo_world import write_world_demo
        write_world_demo(paths, [years[0] - 1, *years], seed=args.seed)
        print(f"  world trade files in {paths.world}")
    print(f"wrote SYNTHETIC default data for {years[0]}-{years[-1]} to {paths.landing}")
    return 0


def cmd_run(args) -> int:
    paths = _configure(args).ensure()
    if not has_landing_data(paths):
        print(f"no customs files in {paths.customs}; run `medtrade demo-data` or add files",
              file=sys.stderr)
        return 2
    from orchestration.engine import spark_missing
    engine = active_engine(args.engine)
    os.environ[ENGINE_ENV] = engine
    if engine == "spark" and (why := spark_missing()):
        print(f"the spark engine is not available: {why}", file=sys.stderr)
        return 2
    ensure_manifest()
    import dagster as dg

    from orchestration.definitions import build_definitions
    DAGSTER_HOME.mkdir(exist_ok=True)
    defs = build_definitions(str(paths.root), engine)
    job = defs.get_job_def("medtrade_pipeline")
    print(f"running the pipeline on {paths.landing} with the {engine} engine (Dagster run history: "
          f"{os.environ['DAGSTER_HOME']})", flush=True)
    from orchestration.partitions import landing_range_tags, range_tags
    years = parse_years(args.years) if getattr(args, "years", None) else None
    tags = range_tags(years[0], years[-1]) if years else landing_range_tags(paths)
    instance = dg.DagsterInstance.get()
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, tags=tags,
        run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}})
    print_step_times(instance, result.run_id)
    if not result.success:
        for event in result.all_events:
            if event.event_type_value == "ASSET_CHECK_EVALUATION":
                evaluation = event.event_specific_data
                if not evaluation.passed:
                    text = evaluation.metadata.get("failures")
                    print(f"FAILED check {evaluation.check_name}:\n  "
                          + (text.value.replace("\n", "\n  ") if text else ""), file=sys.stderr)
            if event.is_step_failure:
                error = event.step_failure_data.error
                while error.cause is not None:  # the user-code error under Dagster's wrapper
                    error = error.cause
                print(f"FAILED {event.step_key}: {error.message.strip()}", file=sys.stderr)
        print("the published warehouse was not changed", file=sys.stderr)
        return 1
    print(f"\nrun {result.run_id} succeeded\n"
          f"  published warehouse (analysts): {paths.published_db}\n"
          f"  build warehouse:                {paths.build_db}\n"
          f"  results: tables results.estimates and results.model_stats; report in {paths.report}\n"
          f"  query:   medtrade sql \"select * from results.estimates\"\n"
          f"  UI:      make ui  (then open http://127.0.0.1:3000)")
    return 0


def print_step_times(instance, run_id: str) -> None:
    """Seconds per step of the run, from the run's event log (where the time went)."""
    started, lines = {}, []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            lines.append((entry.timestamp - started[event.step_key], event.step_key))
    if lines:
        print("time per step:", flush=True)
        for seconds, step in lines:
            print(f"  step {step}: {seconds:.1f} s", flush=True)


def _run_query(conn, query: str, fmt: str, output: str | None) -> int:
    import duckdb
    try:
        relation = conn.sql(query)
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if relation is None:
        return 0
    if output:
        target = Path(output)
        if target.suffix.lower() == ".parquet":
            relation.write_parquet(str(target))
        else:
            relation.write_csv(str(target))
        print(f"wrote {target}")
        return 0
    frame = relation.df()
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        print(frame.to_string(index=False) if not frame.empty else "(no rows)")
    return 0


def cmd_sql(args) -> int:
    """One query, or an interactive shell; always on the published copy, read-only."""
    import duckdb
    paths = _configure(args)
    db = paths.published_db
    if not db.exists():
        print(f"no published warehouse at {db}; run `medtrade run` first", file=sys.stderr)
        return 2
    conn = duckdb.connect(str(db), read_only=True)
    try:
        if args.query:
            return _run_query(conn, args.query, args.format, args.output)
        print(f"medtrade sql on {db} (read-only). End statements with ';', quit with .quit")
        buffer = ""
        while True:
            try:
                line = input("medtrade> " if not buffer else "      ...> ")
            except EOFError:
                return 0
            if line.strip() in (".quit", ".exit") and not buffer:
                return 0
            buffer += line + "\n"
            if buffer.rstrip().endswith(";"):
                _run_query(conn, buffer, args.format, None)
                buffer = ""
    finally:
        conn.close()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None,
                        help=f"data folder (default: ${DATA_DIR_ENV} or ./data)")
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
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    run.add_argument("--engine", choices=ENGINES, default=None,
                     help=f"dbt engine (default: ${ENGINE_ENV} or duckdb)")
    run.set_defaults(func=cmd_run)
    load = sub.add_parser("load", parents=[common],
                          help="load (or reload) a range of customs years and rebuild, in one run")
    load.add_argument("--years", required=True, help="e.g. 2013-2022 or 2023")
    load.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    load.add_argument("--engine", choices=ENGINES, default=None,
                      help=f"dbt engine (default: ${ENGINE_ENV} or duckdb)")
    load.set_defaults(func=cmd_run)
    sql = sub.add_parser("sql", parents=[common], help="query the published warehouse read-only")
    sql.add_argument("query", nargs="?", help="SQL; omit for an interactive shell")
    sql.add_argument("--format", choices=["table", "csv"], default="table")
    sql.add_argument("--output", help="write the result to a .csv or .parquet file")
    sql.set_defaults(func=cmd_sql)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
