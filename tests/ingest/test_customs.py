import pandas as pd
import pytest

from ingest.customs.validate import parse_customs
from ingest.readers import UnreadableFile, read_grid
from tests.ingest.helpers import write

HEADER = "数据年月,注册地编码,注册地名称,商品编码,贸易伙伴名称,贸易方式名称,进出口,美元\n"


def parse(path, year=2015):
    return parse_customs(read_grid(path), folder_year=year, source_file=path.name, file_hash="h")


def test_chinese_headers_exports_only_and_codes_kept_as_text(tmp_path):
    f = write(tmp_path / "c.csv", HEADER
              + "201503,33000,浙江省,30049090,美国,一般贸易,出口,\"1,234.5\"\n"
              + "201503,33000,浙江省,30049090,美国,一般贸易,进口,99\n"
              + "201504,44000,广东,02011000,日本,一般贸易,出口,10\n")
    rows, rejects = parse(f)
    assert rejects == []
    assert list(rows["province_code"]) == ["330000", "440000"]
    assert list(rows["hs_code"]) == ["30049090", "02011000"]   # leading zero kept
    assert list(rows["value"]) == [1234.5, 10.0]
    assert list(rows["month"]) == [3, 4]
    assert list(rows["source_row"]) == [2, 4]


def test_gbk_file_and_cny_values(tmp_path):
    text = "数据年月,注册地名称,商品编码,人民币\n201501,陕西省,30021000,6228.4\n"
    rows, rejects = parse(write(tmp_path / "g.csv", text, "gbk"))
    assert rejects == []
    assert rows.loc[0, "province_code"] == "610000"  # Shaanxi, never Shanxi
    assert rows.loc[0, "currency"] == "CNY"


def test_bad_rows_name_file_row_and_column(tmp_path):
    f = write(tmp_path / "bad.csv", HEADER
              + "201503,,火星省,30049090,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,3004909,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,300490AB,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,30049090,美国,一般贸易,出口,-5\n"
              + "201603,,浙江省,30049090,日本,一般贸易,出口,5\n"
              + "201503,,浙江省,30049090,韩国,一般贸易,出口,abc\n")
    rows, rejects = parse(f)
    assert rows.empty
    found = {(r.source_row, r.column_name): r.reason for r in rejects}
    assert "unknown province" in found[(2, "注册地名称")]
    assert "leading zero" in found[(3, "商品编码")]
    assert "malformed HS code" in found[(4, "商品编码")]
    assert "negative" in found[(5, "美元")]
    assert "outside the file's folder" in found[(6, "数据年月")]
    assert "not a number" in found[(7, "美元")]
    assert all(r.source_file == "bad.csv" for r in rejects)


def test_duplicate_key_with_different_values_is_rejected(tmp_path):
    f = write(tmp_path / "d.csv", HEADER
              + "201503,,浙江省,30049090,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,30049090,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,30049000,美国,一般贸易,出口,1\n"
              + "201503,,浙江省,30049000,美国,一般贸易,出口,2\n")
    rows, rejects = parse(f)
    assert list(rows["hs_code"]) == ["30049090"]  # identical repeat dropped once
    assert {r.source_row for r in rejects} == {4, 5}


def test_missing_required_column_is_a_file_error(tmp_path):
    rows, rejects = parse(write(tmp_path / "m.csv", "year,province,value_usd\n2015,浙江,1\n"))
    assert rows.empty and rejects[0].column_name == "hs_code"


def test_parquet_with_english_headers(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"year": [2015], "province": ["Inner Mongolia"], "hs_code": ["90189090"],
                  "value_usd": [3.0], "flow": ["export"]}).to_parquet(path)
    rows, rejects = parse(path)
    assert rejects == [] and rows.loc[0, "province_code"] == "150000"


def test_file_of_another_format_is_unreadable(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(UnreadableFile):
        read_grid(path)
