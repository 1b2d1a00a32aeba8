"""A researcher's own index system, by editing one file: the indicator catalogue; and the
conventions of published work, by listing composites in the index methods.

The pipeline runs on a copy of the dbt project whose catalogue drops two of the study's
digital-economy indicators, adds the PKU Digital Financial Inclusion Index (loaded from a
Stata file with a mapping) and regroups the system into three dimensions, and whose
index methods add a composite for every entropy and PCA convention beside the study's.
Weights, Digde, Digde_new, the panel and the study's tables follow; the weights and
scores of every composite equal an independent computation (stats.indices) on the
indicator values, and a convention with negative redundancies is flagged in the check and
the report."""
import shutil

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from stats import entropy_index, pca_index
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


# composite -> (index, method, options): every convention beside the study's defaults
VARIANTS = {
    "de_pool_year": ("digital_economy", "entropy", {"pool": "year"}),
    "de_pool_province": ("digital_economy", "entropy", {"pool": "province"}),
    "de_k_years": ("digital_economy", "entropy", {"k": "years"}),
    "de_k_provinces": ("digital_economy", "entropy", {"k": "provinces"}),
    "de_shift_p": ("digital_economy", "entropy", {"zeros": "shift_p"}),
    "de_shift_s": ("digital_economy", "entropy", {"zeros": "shift_s", "scale": "100"}),
    "de_dofile": ("digital_economy", "entropy", {"k": "years", "zeros": "shift_p"}),
    "rv_covariance": ("resilience", "pca", {"matrix": "covariance", "keep": "fixed",
                                            "keep_value": "2"}),
    "rv_first": ("resilience", "pca", {"score": "first", "rescale": "minmax"}),
    "rv_share": ("resilience", "pca", {"keep": "share", "keep_value": "0.6",
                                       "rescale": "range", "rescale_min": "0",
                                       "rescale_max": "100"}),
    "de_eigenvalue": ("digital_economy", "pca", {"keep": "eigenvalue"}),
}


def add_variants(project) -> None:
    """The researcher's other edit: composites computed with other conventions."""
    path = project / "seeds" / "index_methods.csv"
    methods = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = pd.DataFrame([{"composite": c, "index_name": i, "method": m, **o}
                          for c, (i, m, o) in VARIANTS.items()])
    pd.concat([methods, extra], ignore_index=True).fillna("").to_csv(path, index=False)


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
    add_variants(project)
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
    yield conn, system, result, paths
    conn.close()


def test_the_weights_follow_the_edited_catalogue(own_run):
    conn, system, _, _ = own_run
    assert len(system) == 20 and "dfi_index" in system and not set(DROPPED) & set(system)
    weights = conn.execute("select indicator, dimension, weight from marts.fct_index_weights "
                           "where composite = 'digde' order by indicator").df()
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
    conn, system, _, _ = own_run
    loadings = conn.execute("select distinct indicator_code from marts.fct_pca_loadings "
                            "where composite = 'digde_new' order by 1").df()
    assert loadings.indicator_code.tolist() == system
    tables = {t for (t,) in conn.execute("select distinct table_id from results.estimates"
                                         ).fetchall()}
    from study.registry import TABLES
    assert tables == {table.table_id for table in TABLES}


def _wide(conn, index_name):
    codes = sorted(r[0] for r in conn.execute(
        "select indicator_code from marts.dim_indicator where index_name = ?",
        [index_name]).fetchall())
    negative = sorted(r[0] for r in conn.execute(
        "select indicator_code from marts.dim_indicator where index_name = ? and "
        "direction = 'negative'", [index_name]).fetchall())
    values = conn.execute("select * from marts.fct_indicator_values "
                          "where indicator in (select unnest(?))", [codes]).df()
    wide = values.pivot(index=["province_code", "year"], columns="indicator",
                        values="value")[codes].sort_index()
    return wide.reset_index(), codes, negative


@pytest.mark.parametrize("composite", [c for c, v in VARIANTS.items() if v[1] == "entropy"])
def test_every_entropy_convention_equals_the_twin_on_the_data(own_run, composite):
    conn, _, _, _ = own_run
    index_name, _, options = VARIANTS[composite]
    wide, codes, negative = _wide(conn, index_name)
    kw = {k: v for k, v in options.items() if k in ("pool", "k", "zeros")}
    twin = entropy_index(wide, codes, negative, scale=float(options.get("scale", 1)), **kw)
    weights = conn.execute("select pool_group, indicator, weight from marts.fct_index_weights "
                           "where composite = ? order by pool_group, indicator",
                           [composite]).df()
    table = twin.weights if "group" in twin.weights else twin.weights.assign(group="all")
    table = table.sort_values(["group", "indicator"])
    assert weights.pool_group.tolist() == table.group.tolist()
    np.testing.assert_allclose(weights.weight, table.weight, rtol=0, atol=1e-9)
    scores = conn.execute("select score from marts.fct_composite_scores where composite = ? "
                          "order by province_code, year", [composite]).df()
    np.testing.assert_allclose(scores.score, twin.scores, rtol=0, atol=1e-9)


@pytest.mark.parametrize("composite", [c for c, v in VARIANTS.items() if v[1] == "pca"])
def test_every_pca_convention_equals_the_twin_on_the_data(own_run, composite):
    conn, _, _, _ = own_run
    index_name, _, options = VARIANTS[composite]
    wide, codes, negative = _wide(conn, index_name)
    bounds = (float(options["rescale_min"]), float(options["rescale_max"])) \
        if options.get("rescale") == "range" else None
    twin = pca_index(wide, codes, negative, matrix=options.get("matrix", "correlation"),
                     keep=options.get("keep", "eigenvalue_then_share"),
                     keep_value=float(options["keep_value"]) if "keep_value" in options else None,
                     score=options.get("score", "weighted"),
                     rescale=options.get("rescale", "none"), rescale_range=bounds)
    scores = conn.execute("select score from marts.fct_composite_scores where composite = ? "
                          "order by province_code, year", [composite]).df()
    np.testing.assert_allclose(scores.score, twin.scores, rtol=0, atol=1e-9)


def test_the_marts_and_the_report_say_how_each_index_was_made(own_run):
    conn, _, result, paths = own_run
    methods = conn.execute("select composite, method, convention from marts.dim_composite "
                           "order by composite").df().set_index("composite")
    assert set(methods.index) == {"digde", "revl", "digde_new", *VARIANTS}
    assert "k = 1/ln(T)" in methods.loc["de_dofile", "convention"]
    assert "covariance matrix" in methods.loc["rv_covariance", "convention"]
    report = (paths.report / "report.html").read_text(encoding="utf-8")
    assert methods.loc["digde", "convention"] in report
    assert "Warning: the convention of de_dofile gives negative redundancies" in report
    assert "Warning: the convention of digde " not in report
    warned = [e.event_specific_data for e in result.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"
              and not e.event_specific_data.passed]
    assert any("dim_composite" in w.check_name and w.severity == dg.AssetCheckSeverity.WARN
               for w in warned)
