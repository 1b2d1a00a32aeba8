"""Customs years before 2012 (HS2007) through the product's own commands."""

from tests.orchestration.helpers import medtrade
from warehouse.connection import connect


def test_demo_data_and_a_run_from_2009(tmp_path):
    """`medtrade demo-data --years 2010-2014` (base year 2009) loads HS2007 years; product
    families then reach back to HS2007 (a code split in 2012 joins its parts), and the
    panel runs from panel_first_year."""
    made = medtrade(tmp_path, "demo-data", "--years", "2010-2014")
    assert made.returncode == 0, made.stderr
    ran = medtrade(tmp_path, "run")
    assert ran.returncode == 0, ran.stderr[-3000:]
    conn = connect(tmp_path / "warehouse" / "medtrade.duckdb", read_only=True)
    try:
        years = conn.execute("select distinct year, hs_revision from staging.stg_customs__exports "
                             "order by 1").fetchall()
        assert years == [(2009, "HS2007"), (2010, "HS2007"), (2011, "HS2007"),
                         (2012, "HS2012"), (2013, "HS2012"), (2014, "HS2012")]
        split = conn.execute("select members_hs2007, members_hs2012 from "
                             "marts.dim_hs_product_family where family_id = '293944'").fetchone()
        assert split == ("293949,293991,293999", "293944,293949,293991,293999")
        panel = conn.execute("select min(year), max(year), count(*) from "
                             "marts.fct_province_year_panel").fetchone()
        assert panel == (2013, 2014, 62)
    finally:
        conn.close()


def test_demo_data_for_a_year_without_a_rate_is_refused(tmp_path):
    made = medtrade(tmp_path, "demo-data", "--years", "2020-2025")
    assert made.returncode == 2
    assert "no CNY/USD rate for 2024 in dbt_project/seeds/ref_cny_per_usd.csv" in made.stderr


def test_a_year_of_a_revision_the_seeds_lack_stops_the_run_before_any_load(tmp_path):
    assert medtrade(tmp_path, "demo-data", "--years", "2021-2022").returncode == 0
    folder = tmp_path / "landing" / "customs" / "2027"
    folder.mkdir()
    (folder / "a.csv").write_text("数据年月,注册地名称,商品编码,美元\n202703,浙江省,30049090,12\n",
                                  encoding="utf-8")
    ran = medtrade(tmp_path, "run")
    assert ran.returncode == 1
    assert ("FAILED raw__customs_exports: customs 2027: China applies HS2027 from 2027, and "
            "the seeds do not hold HS2027 yet") in ran.stderr
    assert "Traceback" not in ran.stderr and "UnsupportedRevision" not in ran.stderr
    conn = connect(tmp_path / "warehouse" / "build" / "medtrade.duckdb", read_only=True)
    try:  # nothing was loaded, not even the years before 2027
        assert conn.execute("select count(*) from raw.loaded_files where source = 'customs'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()
