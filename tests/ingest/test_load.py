import pytest

from ingest.errors import IngestError
from ingest.load import load_customs_year, load_yearbook
from tests.ingest.helpers import write

CUSTOMS = "year,province,hs_code,value_usd\n2015,浙江,30049090,10\n2015,广东,90189090,20\n"


def snapshot(conn):
    return conn.execute("select * from raw.customs_exports order by source_row").fetchall()


def test_same_files_twice_change_nothing(env):
    paths, conn = env
    write(paths.customs / "2015" / "a.csv", CUSTOMS)
    first = load_customs_year(conn, paths, 2015)
    before = snapshot(conn)
    second = load_customs_year(conn, paths, 2015)
    assert first.rows == 2 and second.skipped_unchanged
    assert snapshot(conn) == before


def test_failed_load_keeps_loaded_data_and_quarantines_rows(env):
    paths, conn = env
    write(paths.customs / "2015" / "a.csv", CUSTOMS)
    load_customs_year(conn, paths, 2015)
    before = snapshot(conn)
    write(paths.customs / "2015" / "a.csv", CUSTOMS + "2015,火星,30049090,5\n")
    with pytest.raises(IngestError, match=r"a\.csv, row 4, column 'province'"):
        load_customs_year(conn, paths, 2015)
    assert snapshot(conn) == before
    quarantined = conn.execute("select source_row, column_name, reason from quality.rejected_rows"
                               ).fetchall()
    assert quarantined[0][:2] == (4, "province")


def test_changed_file_replaces_its_year_only(env):
    paths, conn = env
    write(paths.customs / "2015" / "a.csv", CUSTOMS)
    write(paths.customs / "2016" / "b.csv", CUSTOMS.replace("2015", "2016"))
    load_customs_year(conn, paths, 2015)
    load_customs_year(conn, paths, 2016)
    write(paths.customs / "2015" / "a.csv", CUSTOMS.replace(",10\n", ",11\n"))
    load_customs_year(conn, paths, 2015)
    rows = conn.execute("select year, sum(value) from raw.customs_exports group by 1 order by 1"
                        ).fetchall()
    assert rows == [(2015, 31.0), (2016, 30.0)]


def test_yearbook_files_that_disagree_are_rejected(env):
    paths, conn = env
    write(paths.yearbook / "a.csv", "province,year,indicator,value\n北京,2020,货运量,5\n")
    write(paths.yearbook / "b.csv", "province,year,indicator,value\n北京市,2020,货运量,6\n")
    with pytest.raises(IngestError, match="is also in yearbook/b.csv"):
        load_yearbook(conn, paths)
    assert conn.execute("select count(*) from raw.yearbook_values").fetchone()[0] == 0
