"""The raw key is the finest grain a file has: customs region codes stay apart; the same
full key in two files is double counting, named with both files."""
import pytest

from ingest.errors import IngestError
from ingest.load import load_customs_year
from tests.ingest.helpers import write

HEADER = "数据年月,注册地编码,商品编码,贸易伙伴名称,贸易方式名称,美元\n"
SHENZHEN = "201503,44031,30049090,美国,一般贸易,100\n"
GUANGZHOU = "201503,44011,30049090,美国,一般贸易,250\n"


def rows(conn):
    return conn.execute("select source_file, province_code, region_code, value "
                        "from raw.customs_exports order by region_code").fetchall()


def test_two_region_codes_of_one_province_in_two_files_load_and_sum(env):
    paths, conn = env
    write(paths.customs / "2015" / "shenzhen.csv", HEADER + SHENZHEN)
    write(paths.customs / "2015" / "guangzhou.csv", HEADER + GUANGZHOU)
    result = load_customs_year(conn, paths, 2015)
    assert result.rows == 2
    assert rows(conn) == [("customs/2015/guangzhou.csv", "440000", "44011", 250),
                          ("customs/2015/shenzhen.csv", "440000", "44031", 100)]
    assert conn.execute("select sum(value) from raw.customs_exports "
                        "where province_code = '440000'").fetchone()[0] == 350


def test_two_region_codes_in_one_file_load(env):
    paths, conn = env
    write(paths.customs / "2015" / "guangdong.csv", HEADER + SHENZHEN + GUANGZHOU)
    assert load_customs_year(conn, paths, 2015).rows == 2
    assert [r[2] for r in rows(conn)] == ["44011", "44031"]


def test_the_same_full_key_in_two_files_names_both(env):
    paths, conn = env
    write(paths.customs / "2015" / "a.csv", HEADER + SHENZHEN)
    write(paths.customs / "2015" / "b.csv", HEADER + SHENZHEN.replace(",100", ",7"))
    with pytest.raises(IngestError) as err:
        load_customs_year(conn, paths, 2015)
    text = str(err.value)
    assert "customs/2015/a.csv, row 2" in text and "also in customs/2015/b.csv row 2" in text
    assert "counted twice" in text
    assert rows(conn) == []
    lake = paths.lake / "raw" / "customs_exports"
    assert not list(lake.rglob("*.parquet")), "a refused year leaves no file behind"


def test_a_repeat_inside_one_of_several_files_is_handled_by_the_exact_path(env):
    paths, conn = env
    write(paths.customs / "2015" / "a.csv", HEADER + SHENZHEN + SHENZHEN)  # identical twice
    write(paths.customs / "2015" / "b.csv", HEADER + GUANGZHOU)
    assert load_customs_year(conn, paths, 2015).rows == 2
    write(paths.customs / "2015" / "a.csv", HEADER + SHENZHEN + SHENZHEN.replace(",100", ",5"))
    with pytest.raises(IngestError, match=r"a\.csv, row 3.*different values"):
        load_customs_year(conn, paths, 2015)
    assert len(rows(conn)) == 2  # the loaded year is unchanged
