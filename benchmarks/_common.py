"""Shared helpers for the benchmark scripts: machine facts and the default panel."""
import os
import platform
import tempfile
import time
from pathlib import Path

from warehouse.connection import connection
from warehouse.marts import read_panel


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def default_panel():
    """The panel mart of a published warehouse, or of a fresh build of the default data."""
    db = Path(os.environ.get("MEDTRADE_DATA_DIR", "data")) / "warehouse" / "medtrade.duckdb"
    if not db.exists():
        import dagster as dg

        from orchestration.definitions import build_definitions
        from orchestration.partitions import landing_range_tags
        from synthetic.data import write_demo_data
        from warehouse.paths import DataPaths
        from warehouse.settings import Settings
        paths = DataPaths.from_dir(tempfile.mkdtemp(prefix="medtrade-bench-")).ensure()
        write_demo_data(paths, progress=lambda m: None)
        build_definitions(Settings(paths.root)).resolve_job_def("medtrade_pipeline").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), tags=landing_range_tags(paths))
        db = paths.published_db
    with connection(db, read_only=True) as conn:
        return read_panel(conn)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start
