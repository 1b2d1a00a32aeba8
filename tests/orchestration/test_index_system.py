"""A researcher's own index system, by editing one file: the indicator catalogue.

The pipeline runs on a copy of the dbt project whose catalogue drops two of the study's
digital-economy indicators, adds the PKU Digital Financial Inclusion Index (loaded from a
Stata file with a mapping) and regroups the system into three dimensions. Weights, Digde,
Digde_new, the panel and the study's tables follow; the weights equal an independent
computation (stats.indices.entropy_index) on the indicator values."""
import shutil

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from stats import entropy_index
from synthetic.data import write_demo_data
from warehouse.connection import connect
from warehouse.paths import DataPaths
from warehouse.settings import DBT_PROJECT_DIR, Settings

DROPPED = ("de_websites_100", "de_computers_100")
DIMENSIONS = {"de_broadband_pc": "infrastructure", "de_internet_users_100": "infrastructure",
              "de_base_station_density": "infrastructure", "de_mobile_100": "infrastructure",
              "de_cable_density": "infrastructure", "de_telecom_pc": "infrastructure",
              "de_postal_pc": "infrastructure"}


def own_system(project) -> list[str]:
    """The edit a researcher makes to seeds/indicator_catalogue.csv; returns the system."""
    path = project / "seeds" / "indicator_catalogue.csv"
    cat = pd.read_csv(path, dtype=str, keep_default_na=False)
    de = cat.index_name == "digital_economy"
    cat.loc[cat.code.isin(DROPPED), "index_name"] = "input"      # out of the index
    cat.loc[de, "dimension"] = cat.loc[de, "code"].map(DIMENSIONS).fillna("industry_innovation")
    pku = cat.code == "dfi_index"
    cat.loc[pku, ["index_name", "dimension", "sub_dimension", "direction"]] = \
        ["digital_economy", "digital_finance", "inclusion", "positive"]
    cat.to_csv(path, index=False)
    return sorted(cat.loc[cat.index_name == "digital_economy", "code"])


def pku_file(paths: DataPaths, years) -> None:
    """A PKU index file as distributed (.dta, one row per province-year), with its mapping."""
    from warehouse.seeds import seed_frame
    codes = seed_frame("ref_provinces")["code"].astype(int)
    rows = [{"year": y, "prov_code": c, "index_aggregate": 100 + (y - 2010) * 25
             + (c // 10000) * 1.5 + ((c * 7 + y) % 13)} for y in years for c in codes]
    pd.DataFrame(rows).to_stata(paths.yearbook / "pku_dfi.dta", write_index=False, version=118)
    (paths.yearbook / "pku_dfi.dta.mapping.yml").write_text(
        "province: prov_code\nyear: year\ncolumns:\n  index_aggregate: dfi_index\n",
        encoding="utf-8")


@pytest.fixture(scope="module")
def own_run(tmp_path_factory):
    from orchestration.definitions import build_definitions
    from orchestration.partitions import landing_range_tags
    from orchestration.project import ensure_manifest
    root = tmp_path_factory.mktemp("own-index")
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    system = own_system(project)
    ensure_manifest(project, say=lambda m: None)
    paths = DataPaths.from_dir(root / "data").ensure()
    write_demo_data(paths, range(2013, 2023), progress=lambda m: None)
    pku_file(paths, range(2012, 2023))
    settings = Settings(paths.root, dbt_project_dir=project)
    result = build_definitions(settings).resolve_job_def("medtrade_pipeline").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        tags=landing_range_tags(paths))
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    conn = connect(paths.published_db, read_only=True)
    yield conn, system
    conn.close()


def test_the_weights_follow_the_edited_catalogue(own_run):
    conn, system = own_run
    assert len(system) == 20 and "dfi_index" in system and not set(DROPPED) & set(system)
    weights = conn.execute("select indicator, dimension, weight from marts.fct_index_weights "
                           "where index_name = 'digital_economy' order by indicator").df()
    assert weights.indicator.tolist() == system
    assert set(weights.dimension) == {"infrastructure", "industry_innovation", "digital_finance"}
    values = conn.execute("select * from marts.fct_indicator_values "
                          "where indicator in (select unnest(?))", [system]).df()
    wide = values.pivot(index=["province_code", "year"], columns="indicator",
                        values="value")[system].sort_index()
    twin = entropy_index(wide.reset_index(drop=True), system)
    np.testing.assert_allclose(weights.weight, twin.weights["weight"], rtol=0, atol=1e-9)
    panel = conn.execute("select digde from marts.fct_province_year_panel "
                         "order by province_code, year").df()
    np.testing.assert_allclose(panel.digde, twin.scores, rtol=0, atol=1e-9)


def test_digde_new_and_the_tables_follow(own_run):
    conn, system = own_run
    loadings = conn.execute("select distinct indicator_code from marts.fct_pca_loadings "
                            "where composite = 'digde_new' order by 1").df()
    assert loadings.indicator_code.tolist() == system
    tables = {t for (t,) in conn.execute("select distinct table_id from results.estimates"
                                         ).fetchall()}
    from study.registry import TABLES
    assert tables == {table.table_id for table in TABLES}
