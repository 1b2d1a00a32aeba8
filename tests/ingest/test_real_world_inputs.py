"""The files researchers already hold: the NBS portal's long CSV, panel workbooks and Stata
files with a mapping (fixtures in tests/fixtures/yearbook/)."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ingest.errors import IngestError
from ingest.load import load_yearbook
from tests.ingest.helpers import write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "yearbook"


def land(paths, *names: str) -> None:
    for name in names:
        shutil.copy(FIXTURES / name, paths.yearbook / name)


def loaded(conn) -> pd.DataFrame:
    return conn.execute("select province_code, year, indicator_code, value, unit, source_file, "
                        "source_row from raw.yearbook_values order by all").df()


@pytest.fixture
def yearbook(env):
    paths, conn = env
    paths.yearbook.mkdir(parents=True, exist_ok=True)
    return paths, conn


def test_portal_long_csv_by_nbs_code_with_has_data(yearbook):
    paths, conn = yearbook
    land(paths, "portal_long.csv")
    result = load_yearbook(conn, paths)
    rows = loaded(conn).set_index(["province_code", "year", "indicator_code"])
    assert rows.loc[("110000", 2016, "trade_total"), "value"] == 282348960.0
    assert rows.loc[("110000", 2016, "trade_total"), "unit"] == "千美元"   # the catalogue's
    assert rows.loc[("310000", 2016, "express_delivery"), "value"] == 260070.5
    assert rows.loc[("110000", 2016, "internet_users"), "unit"] == "万人"
    # has_data False is a missing value, not the 0 in the value column
    assert pd.isna(rows.loc[("110000", 2017, "express_delivery"), "value"])
    assert len(rows) == 7
    assert [w for w in result.warnings if "A0Z9Z01" in w and "unknown indicator" in w]


def test_panel_workbook_with_mapping_converts_units_and_skips_unmapped(yearbook):
    paths, conn = yearbook
    land(paths, "panel.xlsx", "panel.xlsx.mapping.yml")
    result = load_yearbook(conn, paths)
    rows = loaded(conn)
    cable = rows[rows.indicator_code == "optical_cable"].set_index(["province_code", "year"])
    assert cable.loc[("110000", 2020), "value"] == 1250.0          # a 6-digit id works
    assert cable.loc[("120000", 2019), "source_row"] == 3           # the sheet's row
    software = rows[rows.indicator_code == "software_revenue"]
    assert set(software.unit) == {"亿元"}                           # from `units:`
    assert software.value.isna().sum() == 1                         # the empty cell
    assert any("x8" in w and "skipped" in w for w in result.warnings)


def test_stata_file_with_mapping_adds_the_pku_index(yearbook):
    paths, conn = yearbook
    land(paths, "pku_dfi.dta", "pku_dfi.dta.mapping.yml")
    result = load_yearbook(conn, paths)
    rows = loaded(conn)
    assert set(rows.indicator_code) == {"dfi_index"} and len(rows) == 4
    assert rows.set_index(["province_code", "year"]).loc[("310000", 2020), "value"] == 431.93
    skipped = " ".join(w for w in result.warnings if "not in pku_dfi.dta.mapping.yml" in w)
    assert all(c in skipped for c in ("prov_name_eng", "coverage_breadth"))


def test_changing_a_mapping_reloads_the_panel(yearbook):
    paths, conn = yearbook
    land(paths, "pku_dfi.dta", "pku_dfi.dta.mapping.yml")
    load_yearbook(conn, paths)
    mapping = paths.yearbook / "pku_dfi.dta.mapping.yml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("index_aggregate",
                                                                   "coverage_breadth"),
                       encoding="utf-8")
    load_yearbook(conn, paths)
    assert loaded(conn).set_index(["province_code", "year"]).loc[("110000", 2019),
                                                                 "value"] == 384.66


def error_text(paths, conn) -> str:
    with pytest.raises(IngestError) as info:
        load_yearbook(conn, paths)
    return str(info.value)


def panel_refused(paths, conn, mapping_body: str) -> str:
    """The panel workbook with a mapping of the given columns/units: the load's error."""
    land(paths, "panel.xlsx")
    write(paths.yearbook / "panel.xlsx.mapping.yml",
          "sheet: panel data\nprovince: province\nyear: year\n" + mapping_body)
    return error_text(paths, conn)


def test_a_panel_file_without_mapping_says_which_file_to_write(yearbook):
    paths, conn = yearbook
    land(paths, "pku_dfi.dta")
    text = error_text(paths, conn)
    assert "pku_dfi.dta" in text and "write pku_dfi.dta.mapping.yml" in text
    assert "prov_code" in text and "index_aggregate" in text       # the file's columns


def test_a_mapping_naming_a_missing_column_or_an_unknown_code_is_refused(yearbook):
    paths, conn = yearbook
    text = panel_refused(paths, conn, "columns:\n  x1: optical_cable\n  x9: software_revenue\n"
                                      "  x7: moon_bases\n")
    assert "panel.xlsx" in text and "'x9', which the file lacks" in text
    assert "'moon_bases', which is not in the indicator catalogue" in text
    assert loaded(conn).empty                                       # nothing was loaded


def test_a_unit_outside_the_indicator_family_names_file_and_column(yearbook):
    paths, conn = yearbook
    text = panel_refused(paths, conn, "columns:\n  x1: optical_cable\nunits:\n  x1: 亿元\n")
    assert "panel.xlsx" in text and "column 'x1'" in text and "'亿元'" in text


def test_the_same_indicator_province_and_year_in_two_files_is_refused(yearbook):
    paths, conn = yearbook
    land(paths, "portal_long.csv")
    write(paths.yearbook / "trade.csv",
          "province,year,indicator,value\n北京,2016,进出口总额,100\n")
    text = error_text(paths, conn)
    assert "portal_long.csv" in text and "trade.csv" in text and "trade_total" in text
    assert "keep it in one file" in text


def test_the_same_value_in_two_files_is_refused_too(yearbook):
    paths, conn = yearbook
    land(paths, "portal_long.csv")
    write(paths.yearbook / "trade.csv",
          "province,year,indicator,value,unit\n北京,2016,进出口总额,282348960,千美元\n")
    text = error_text(paths, conn)
    assert "also in yearbook/portal_long.csv (same value)" in text and "trade.csv" in text
