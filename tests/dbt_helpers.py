"""Run the real dbt project on a tiny landing folder (for hand-computed cases)."""
import os
import subprocess
from pathlib import Path

import duckdb

from ingest.load import (customs_years, ensure_raw_schema, load_customs_year, load_world,
                         load_yearbook)
from warehouse.connection import connect
from warehouse.paths import DataPaths
from warehouse.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, Settings


def write_landing(root: Path, files: dict) -> DataPaths:
    paths = DataPaths.from_dir(root).ensure()
    for rel, content in files.items():
        path = paths.landing / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return paths


def load_all(paths: DataPaths) -> None:
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    for year in customs_years(paths):
        load_customs_year(conn, paths, year)
    load_yearbook(conn, paths)
    load_world(conn, paths)
    conn.close()


def dbt(paths: DataPaths, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, **Settings(paths.root).dbt_env()}
    # from dbt_project/, as Dagster runs dbt: the partial-parse cache keeps cwd-relative paths
    proc = subprocess.run([DBT_EXECUTABLE, *args, "--profiles-dir", "."], cwd=DBT_PROJECT_DIR,
                          env=env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stdout[-4000:])
    return proc


def query(paths: DataPaths, sql: str):
    conn = connect(paths.build_db, read_only=True)
    try:
        return conn.execute(sql).df()
    finally:
        conn.close()
