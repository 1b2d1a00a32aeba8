from ingest.readers import read_grid
from ingest.yearbook import parse_yearbook
from tests.ingest.helpers import write

NBS = ("数据库：分省年度数据\n指标：地区生产总值(亿元)\n时间：最近3年\n"
       "地区,2022年,2021年,2020年\n北京市,41610.9,40269.6,...\n山西,25642.6,—,17835.6\n"
       "注：2022年为初步核算数。\n数据来源：国家统计局\n")


def parse(path):
    return parse_yearbook(read_grid(path), source_file=path.name, file_hash="h",
                          file_stem=path.stem)


def test_nbs_wide_export_with_metadata_missing_markers_and_footnotes(tmp_path):
    rows, rejects = parse(write(tmp_path / "gdp.csv", NBS, "gb18030"))
    assert rejects == []
    assert len(rows) == 6
    assert set(rows["indicator_code"]) == {"gdp"} and set(rows["unit"]) == {"亿元"}
    shanxi = rows[rows.province_code == "140000"].set_index("year")
    assert shanxi.loc[2022, "value"] == 25642.6 and shanxi[["value"]].isna().sum().item() == 1
    assert rows[(rows.province_code == "110000") & (rows.year == 2020)]["value"].isna().all()


def test_long_form_with_english_names_and_units(tmp_path):
    text = ("province,year,indicator,value,unit\nShaanxi,2020,Population,3955,万人\n"
            "Tibet,2020,年末常住人口,3650000,人\n")
    rows, rejects = parse(write(tmp_path / "long.csv", text))
    assert rejects == []
    assert list(rows["province_code"]) == ["610000", "540000"]
    assert list(rows["unit"]) == ["万人", "人"]


def test_unknown_indicator_is_a_warning_and_skipped(tmp_path):
    text = "province,year,indicator,value\n北京,2020,月球基地数量,3\n北京,2020,货运量,5\n"
    rows, rejects = parse(write(tmp_path / "x.csv", text))
    assert list(rows["indicator_code"]) == ["freight_volume"]
    assert [r.severity for r in rejects] == ["warning"] and "unknown indicator" in rejects[0].reason


def test_unknown_province_and_bad_unit_are_errors(tmp_path):
    text = ("province,year,indicator,value,unit\nShanxii,2020,货运量,5,万吨\n"
            "北京,2020,货运量,5,亿元\n")
    rows, rejects = parse(write(tmp_path / "y.csv", text))
    reasons = {r.source_row: r.reason for r in rejects if r.severity == "error"}
    assert "unknown province" in reasons[2] and "unit" in reasons[3]
