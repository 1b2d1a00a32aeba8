"""The bad-input corpus: one case per problem. Each must name file, row and column where
they apply, quarantine what it rejects, and leave the loaded raw data unchanged."""
import io

import duckdb
import pandas as pd
import pytest

from ingest.errors import IngestError
from ingest.load import ensure_raw_schema, load_customs_year, load_yearbook
from tests.ingest.helpers import write
from warehouse.paths import DataPaths

GOOD = "year,province,hs_code,value_usd\n2015,浙江,30049090,10\n2015,广东,90189090,20\n"
NBS = ("数据库：分省年度数据\n指标：货运量(万吨)\n地区,2016年,2015年\n北京市,1,2\n天津市,3,4\n"
       "注：2016年为初步数。\n数据来源：国家统计局\n")


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame({"year": [2015], "province": ["浙江"], "hs_code": ["30049090"],
                  "value_usd": [1.0]}).to_excel(buf, index=False)
    return buf.getvalue()


CUSTOMS_CASES = {
    # name: (files under customs/2015/, expected message fragments)
    "empty file": ({"b.csv": b""}, ["customs/2015/b.csv", "file is empty"]),
    "header only": ({"b.csv": b"year,province,hs_code,value_usd\n"}, ["b.csv", "no data rows"]),
    "another format with a csv extension": ({"b.csv": b"%PDF-1.4\x00\x01\x02 binary"},
                                            ["b.csv", "binary content"]),
    "truncated xlsx": ({"b.xlsx": xlsx_bytes()[:300]}, ["b.xlsx", "cannot be read as xlsx"]),
    "bytes neither UTF-8 nor GB18030": (
        {"b.csv": "year,province,hs_code,value_usd\n2015,浙江,30049090,1\n".encode("gb18030")
         + b"2015,\xff,30049090,2\n"},
        ["customs/2015/b.csv, row 3", "line 3 has bytes neither encoding reads (ff at byte 6"]),
    "unknown province": ({"b.csv": "year,province,hs_code,value_usd\n2015,Atlantis,30049090,1\n"},
                         ["b.csv, row 2, column 'province'", "unknown province"]),
    "lost leading zero": ({"b.csv": "year,province,hs_code,value_usd\n2015,浙江,1211200,1\n"},
                          ["b.csv, row 2, column 'hs_code'", "leading zero"]),
    "negative value": ({"b.csv": "year,province,hs_code,value_usd\n2015,浙江,30049090,-1\n"},
                       ["row 2, column 'value_usd'", "negative"]),
    "non-numeric value": ({"b.csv": "year,province,hs_code,value_usd\n2015,浙江,30049090,n/a\n"},
                          ["row 2, column 'value_usd'", "not a number"]),
    "another year's rows": ({"b.csv": "year,province,hs_code,value_usd\n2016,浙江,30049090,1\n"},
                            ["row 2, column 'year'", "outside the file's folder customs/2015/"]),
    "duplicate key with another value": (
        {"b.csv": "year,province,hs_code,value_usd\n2015,浙江,30049090,1\n2015,浙江,30049090,2\n"},
        ["row 2, column 'value'", "duplicate key"]),
    "two files holding the same rows": ({"b.csv": GOOD.replace(",10", ",11")},
                                        ["counted twice"]),
}


@pytest.fixture
def loaded(tmp_path):
    paths = DataPaths.from_dir(tmp_path).ensure()
    write(paths.customs / "2015" / "a.csv", GOOD)
    write(paths.yearbook / "a.csv", NBS)
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    load_customs_year(conn, paths, 2015)
    load_yearbook(conn, paths)
    yield paths, conn
    conn.close()


def snapshot(conn):
    return (conn.execute("select * exclude (loaded_at) from raw.customs_exports order by all").fetchall(),
            conn.execute("select * exclude (loaded_at) from raw.yearbook_values order by all").fetchall())


@pytest.mark.parametrize("case", list(CUSTOMS_CASES))
def test_bad_customs_file(loaded, case):
    paths, conn = loaded
    files, fragments = CUSTOMS_CASES[case]
    before = snapshot(conn)
    for name, content in files.items():
        path = paths.customs / "2015" / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(IngestError) as err:
        load_customs_year(conn, paths, 2015)
    for fragment in fragments:
        assert fragment in str(err.value)
    assert snapshot(conn) == before
    assert conn.execute("select count(*) from quality.rejected_rows where severity = 'error'"
                        ).fetchone()[0] > 0


def test_gbk_text_is_read(loaded):
    paths, conn = loaded
    (paths.customs / "2015" / "a.csv").write_bytes(GOOD.encode("gbk"))
    assert load_customs_year(conn, paths, 2015).rows == 2


def test_duplicated_file_is_skipped_with_a_warning(loaded):
    paths, conn = loaded
    write(paths.customs / "2015" / "a copy.csv", GOOD)
    result = load_customs_year(conn, paths, 2015)
    assert result.rows == 2 and "identical to customs/2015/a" in result.warnings[0]


def test_unknown_yearbook_indicator_is_reported_and_skipped(loaded):
    paths, conn = loaded
    write(paths.yearbook / "b.csv", NBS.replace("货运量(万吨)", "月球基地(个)"))
    result = load_yearbook(conn, paths)
    assert result.rows == 4 and "unknown indicator" in result.warnings[0]
    assert conn.execute("select count(*) from quality.rejected_rows where severity = 'warning'"
                        ).fetchone()[0] == 1


def test_nbs_export_with_an_extra_footnote_block(loaded):
    paths, conn = loaded
    extra = NBS + "\n附注\n1. 货运量包括铁路、公路、水运和民航。\n2. 2015年起统计口径调整。\n"
    write(paths.yearbook / "a.csv", extra)
    assert load_yearbook(conn, paths).rows == 4


def test_yearbook_row_error_names_file_row_and_column(loaded):
    paths, conn = loaded
    before = snapshot(conn)
    write(paths.yearbook / "a.csv", NBS.replace("天津市,3,4", "天津市,3,abc"))
    with pytest.raises(IngestError, match=r"yearbook/a\.csv, row 5, column '2015年'"):
        load_yearbook(conn, paths)
    assert snapshot(conn) == before
