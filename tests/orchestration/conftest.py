import dagster as dg
import pytest

from synthetic.data import write_demo_data
from warehouse.connection import connect
from warehouse.paths import DataPaths


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    """The real pipeline (ingest, dbt build, stats, publish) on the default data, once."""
    from orchestration.definitions import build_definitions
    from orchestration.partitions import landing_range_tags
    from warehouse.settings import Settings
    paths = DataPaths.from_dir(tmp_path_factory.mktemp("medtrade")).ensure()
    write_demo_data(paths, range(2013, 2023), progress=lambda m: None)
    defs = build_definitions(Settings(paths.root))
    result = defs.resolve_job_def("medtrade_pipeline").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        tags=landing_range_tags(paths))
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return paths, defs, result


@pytest.fixture(scope="session")
def published(pipeline):
    paths = pipeline[0]
    conn = connect(paths.published_db, read_only=True)
    yield conn
    conn.close()
