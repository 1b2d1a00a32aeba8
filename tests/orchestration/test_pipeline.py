"""End-to-end: landing files -> raw -> dbt -> results -> published, in one Dagster run."""
import hashlib
import re
import subprocess
import sys

import dagster as dg

from orchestration.cli import main
from warehouse.connection import connect

PANEL_COLUMNS = ["revl", "digde", "digde_new", "ftrd", "expt", "dexp", "hc", "inft_road",
                 "inft_freight", "labor", "inds", "gov", "indu", "eco", "iv"]


def test_panel_has_one_complete_row_per_province_year(published):
    n, keys = published.execute("select count(*), count(distinct (province_code, year)) "
                                "from marts.fct_province_year_panel").fetchone()
    assert n == keys == 310
    nulls = published.execute("select " + ", ".join(f"count(*) - count({c})" for c in PANEL_COLUMNS)
                              + " from marts.fct_province_year_panel").fetchone()
    assert dict(zip(PANEL_COLUMNS, nulls)) == dict.fromkeys(PANEL_COLUMNS, 0)
    years = published.execute("select min(year), max(year), count(distinct province_code) "
                              "from marts.fct_province_year_panel").fetchone()
    assert years == (2013, 2022, 31)


def test_table3_column4_recovers_the_positive_effect_built_into_the_default_data(published):
    est, se, p = published.execute(
        "select estimate, std_error, p_value from results.estimates "
        "where table_id = 'table3' and model_id = 'col4' and term = 'digde'").fetchone()
    assert est > 0 and p < 0.01 and se > 0
    stats = dict(published.execute("select stat, value from results.model_stats "
                                   "where table_id = 'table3' and model_id = 'col4'").fetchall())
    assert stats["nobs"] == 310 and stats["n_clusters"] == 31


def test_every_raw_row_keeps_its_lineage(published):
    missing = published.execute(
        "select count(*) from raw.customs_exports where source_file is null or file_hash is null "
        "or source_row is null").fetchone()[0]
    files = published.execute("select count(distinct source_file) from raw.customs_exports"
                              ).fetchone()[0]
    assert missing == 0 and files == 11


def test_every_view_of_the_published_copy_can_be_queried(published):
    """DuckDB stores a view's SQL with the file's catalog name: the build and published files
    share their name, so the staging views work in the analysts' copy too."""
    views = published.execute("select schema_name, view_name from duckdb_views() "
                              "where not internal").fetchall()
    assert ("staging", "stg_customs__exports") in views
    for schema, view in views:
        published.execute(f'select count(*) from "{schema}"."{view}"').fetchone()


def test_lineage_runs_raw_staging_marts_results_published(pipeline):
    _, defs, _ = pipeline
    graph = defs.resolve_asset_graph()

    def upstream(key):
        seen, todo = set(), [dg.AssetKey(key)]
        while todo:
            for parent in graph.get(todo.pop()).parent_keys:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {k.path[0] for k in seen}

    assert {"raw", "staging", "intermediate", "marts", "reference"} <= upstream(
        ["results", "table3_baseline"])
    assert "results" in upstream(["published", "warehouse"])
    # the PCA composites are a Python asset between the two dbt parts
    assert "composites" in upstream(["marts", "fct_province_year_panel"])
    assert "intermediate" in upstream(["composites", "pca_scores"])


def test_loading_the_same_files_again_changes_nothing(pipeline):
    paths, defs, _ = pipeline

    def digest():
        conn = connect(paths.build_db, read_only=True)
        rows = conn.execute("select * from raw.customs_exports order by source_file, source_row"
                            ).fetchall()
        rows += conn.execute("select * from raw.yearbook_values order by source_file, source_row"
                             ).fetchall()
        conn.close()
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    from orchestration.partitions import landing_range_tags
    before = digest()
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                    tags=landing_range_tags(paths),
                                    asset_selection=[dg.AssetKey(["raw", "customs_exports"]),
                                                     dg.AssetKey(["raw", "yearbook_values"])])
    assert result.success and digest() == before


def test_column_lineage_kept_from_the_first_run_equals_it(pipeline):
    """A later build of a model takes its column lineage from the data folder's cache (the
    compiled SQL and the column schemas did not change) and gets what the first run, which
    computed it, recorded."""
    paths, defs, first = pipeline
    key = dg.AssetKey(["marts", "fct_province_year_panel"])

    def lineage(result):
        event = next(e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"
                     and e.asset_key == key)
        deps = event.event_specific_data.materialization.metadata["dagster/column_lineage"]
        return {c: sorted((d.asset_key.path, d.column_name) for d in ds)
                for c, ds in deps.value.deps_by_column.items()}

    assert list(paths.dbt_work.glob("column_lineage-*.json"))
    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_implicit_global_asset_job_def()
    again = job.execute_in_process(instance=instance, asset_selection=[key])
    assert again.success
    kept = [int(m.group(1)) for e in instance.all_logs(again.run_id)
            if (m := re.search(r"\((\d+) column lineages kept from an earlier run",
                               e.user_message or ""))]
    assert kept and kept[0] >= 1, kept
    assert lineage(again) == lineage(first) and len(lineage(first)) > 10


def test_cli_sql_reads_the_published_copy(pipeline, capsys):
    paths = pipeline[0]
    assert main(["sql", "select count(*) as n from marts.fct_province_year_panel",
                 "--data-dir", str(paths.root)]) == 0
    assert capsys.readouterr().out.split() == ["n", "310"]


def test_cli_demo_data_and_run_on_a_slice(tmp_path):
    """The console script, as a user runs it, on three panel years."""
    def medtrade(*args):
        return subprocess.run([sys.executable, "-m", "orchestration.cli", *args,
                               "--data-dir", str(tmp_path)], capture_output=True, text=True,
                              timeout=600)

    made = medtrade("demo-data", "--years", "2020-2022")
    assert made.returncode == 0, made.stderr
    ran = medtrade("run")
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "published warehouse" in ran.stdout
    out = medtrade("sql", "select count(*) as n from marts.fct_province_year_panel")
    assert out.stdout.split() == ["n", "93"]
    # A new year extends the panel with no code change: regenerate with 2023, load a range.
    assert medtrade("demo-data", "--years", "2020-2023").returncode == 0
    loaded = medtrade("load", "--years", "2019-2023")
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    out = medtrade("sql", "select count(*) as n, max(year) as last from marts.fct_province_year_panel")
    assert out.stdout.split() == ["n", "last", "124", "2023"]


def test_all_study_tables_are_filled_and_rendered(pipeline, published):
    paths = pipeline[0]
    tables = dict(published.execute("select table_id, count(*) from results.estimates "
                                    "group by 1").fetchall())
    from study.registry import TABLES
    assert set(tables) == {t.table_id for t in TABLES}
    stats = dict(published.execute(
        "select model_id || '.' || stat, value from results.model_stats "
        "where table_id in ('table5', 'table6', 'table9')").fetchall())
    assert stats["ftrd.n_boot"] == 5000 and stats["sys_gmm.n_instruments"] > 0
    assert "second_stage.cragg_donald_f_statistic" in stats
    assert "sys_gmm.ar2_pvalue" in stats and "sys_gmm.hansen_pvalue" in stats
    report = paths.report
    for name in ("study_tables.md", "study_tables.tex", "report.html", "coefficient_plot.png",
                 "mediation_diagram.png"):
        assert (report / name).stat().st_size > 0, name
    text = (report / "study_tables.md").read_text(encoding="utf-8")
    assert all(f"Table {t.table_id[5:]}. {t.title}" in text for t in TABLES)
    # the referee's inference (issue 21): bootstrap interval in Table 3, Table 4b's three
    # covariances, and the poolability test under Table 10
    assert "Wild cluster bootstrap 95% CI" in text and "Driscoll-Kraay" in text
    assert "poolability (Chow) F(" in text


def test_the_report_shows_no_mediation_diagram_when_mediation_was_not_estimated(pipeline,
                                                                              tmp_path):
    """A data set that cannot identify Tables 7-9: the page says so instead of showing a
    missing (or an earlier run's) diagram."""
    import shutil

    import duckdb

    from report.writer import write_report
    from study.rows import store_table
    from study.tables import skipped
    copy = tmp_path / "medtrade.duckdb"
    shutil.copy(pipeline[0].published_db, copy)
    report = tmp_path / "report"
    report.mkdir()
    (report / "mediation_diagram.png").write_bytes(b"an earlier run's figure")
    conn = duckdb.connect(str(copy))
    try:
        for table_id in ("table7", "table8", "table9"):
            store_table(conn, skipped(table_id, "too few provinces"))
        write_report(conn, report)
    finally:
        conn.close()
    page = (report / "report.html").read_text(encoding="utf-8")
    assert not (report / "mediation_diagram.png").exists()
    assert "mediation_diagram.png" not in page and "No mediation diagram" in page
    assert (report / "coefficient_plot.png").exists()


def test_channels_built_into_the_default_data_are_recovered(published):
    """The DGP's a and b paths are significant for all three mediators (README, Default data)."""
    rows = published.execute(
        "select model_id, term, p_value from results.estimates where table_id = 'table7' "
        "and ((model_id like '%_a' and term = 'digde') or (model_id like '%_b' "
        "and term = split_part(model_id, '_', 1)))").fetchall()
    assert len(rows) == 6 and all(p < 0.05 for _, _, p in rows)
    west, rest = published.execute(
        "select max(case when model_id = 'west' then estimate end), "
        "max(case when model_id = 'east_central' then estimate end) from results.estimates "
        "where table_id = 'table10' and term = 'digde'").fetchone()
    assert west > rest > 0


def test_cli_sql_exports_parquet_and_csv(pipeline, tmp_path):
    import pandas as pd
    paths = pipeline[0]
    for name in ("panel.parquet", "panel.csv"):
        assert main(["sql", "select * from marts.fct_province_year_panel", "--output",
                     str(tmp_path / name), "--data-dir", str(paths.root)]) == 0
    assert len(pd.read_parquet(tmp_path / "panel.parquet")) == 310
    assert len(pd.read_csv(tmp_path / "panel.csv")) == 310


def test_dbt_materializations_carry_row_counts_schema_preview_and_column_lineage(pipeline):
    result = pipeline[2]
    event = next(e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"
                 and e.asset_key.path == ["marts", "fct_province_year_panel"])
    meta = event.event_specific_data.materialization.metadata
    assert meta["dagster/row_count"].value == 310
    assert "revl" in [c.name for c in meta["dagster/column_schema"].schema.columns]
    assert "province_code" in meta["preview"].value
    lineage = meta["dagster/column_lineage"].value.deps_by_column
    assert [(d.asset_key.path, d.column_name) for d in lineage["hc"]] == \
        [(["intermediate", "int_controls"], "hc")]
