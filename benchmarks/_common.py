"""Shared helpers for the benchmark scripts: machine facts and the default panel."""
import os
import platform
import tempfile
import time
from pathlib import Path

import duckdb


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def default_panel():
    """The panel mart of a published warehouse, or of a fresh build of the default data."""
    db = Path(os.environ.get("MEDTRADE_DATA_DIR", "data")) / "warehouse" / "medtrade.duckdb"
    if not db.exists():
        import dagster as dg

        from ingest.generator.data import write_demo_data
        from ingest.paths import DataPaths
        from ingest.settings import Settings
        from orchestration.definitions import build_definitions
        from orchestration.partitions import landing_range_tags
        paths = DataPaths.from_dir(tempfile.mkdtemp(prefix="medtrade-bench-")).ensure()
        write_demo_data(paths, progress=lambda m: None)
        build_definitions(Settings(paths.root)).resolve_job_def("medtrade_pipeline").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), tags=landing_range_tags(paths))
        db = paths.published_db
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute("select * from marts.fct_province_year_panel").df()
    finally:
        conn.close()


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start
