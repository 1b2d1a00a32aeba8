"""A year in many small CSV files: read together into one lake file, each row still
traced to its own file and line; a file that cannot go with the others is loaded alone,
and bad rows are named as for one file."""
import pytest

from ingest.errors import IngestError
from ingest.load import load_customs_year
from tests.ingest.helpers import write
from warehouse import customs_lake

HEADER = "数据年月,注册地编码,商品编码,贸易伙伴名称,贸易方式名称,美元\n"


def body(n, start=0, value=None):
    return "".join(f"201503,33000,30049010,P{start + i},一般贸易,{value or i + 1}\n"
                   for i in range(n))


def pieces(paths, files: dict):
    for name, text in files.items():
        encoding = "gb18030" if "gbk" in name else "utf-8"
        write(paths.customs / "2015" / name, text, encoding)


def rows(conn):
    return conn.execute("select source_file, partner, source_row, value from "
                        "raw.customs_exports order by source_file, source_row").fetchall()


def stored(conn):
    return dict(conn.execute("select source_file, stored_file from raw.loaded_files "
                             "where source = 'customs'").fetchall())


def test_small_files_share_one_lake_file_and_keep_their_lines(env):
    paths, conn = env
    # a GB18030 piece goes with the others (it is read as UTF-8 text first)
    pieces(paths, {"a.csv": HEADER + body(3), "b.csv": HEADER + body(2, 3),
                   "sub/c_gbk.csv": HEADER + body(4, 5)})
    seen, detail = [], []
    result = load_customs_year(conn, paths, 2015, progress=seen.append, detail=detail.append)
    assert result.rows == 9
    lake = stored(conn)
    assert len(set(lake.values())) == 1 and next(iter(lake.values())).split("/")[1].startswith("batch-")
    got = rows(conn)
    assert [(f, p, r) for f, p, r, _ in got] == (
        [("customs/2015/a.csv", f"P{i}", i + 2) for i in range(3)]
        + [("customs/2015/b.csv", f"P{3 + i}", i + 2) for i in range(2)]
        + [("customs/2015/sub/c_gbk.csv", f"P{5 + i}", i + 2) for i in range(4)])
    assert any("3 files read together, 9 rows" in line for line in seen)
    # the console gets the year's summary; the log a line per landing file
    assert not any("b.csv" in line for line in seen)
    assert [line.split(": ")[1] for line in detail if "export rows, in lake file batch-" in line] \
        == ["customs/2015/a.csv", "customs/2015/b.csv", "customs/2015/sub/c_gbk.csv"]
    counts = dict(conn.execute("select source_file, row_count from raw.loaded_files").fetchall())
    assert counts == {"customs/2015/a.csv": 3, "customs/2015/b.csv": 2,
                      "customs/2015/sub/c_gbk.csv": 4}
    # the same files again: nothing read, nothing changed
    again = load_customs_year(conn, paths, 2015)
    assert again.skipped_unchanged and rows(conn) == got


def test_a_file_that_cannot_go_with_the_others_is_loaded_alone(env):
    paths, conn = env
    pieces(paths, {"a.csv": HEADER + body(3), "b.csv": HEADER + body(2, 3),
                   # an empty line: DuckDB would not see it, so its lines would shift
                   "c.csv": HEADER + body(1, 5) + "\n" + body(1, 6),
                   # another header (columns in another order)
                   "d.csv": "美元,数据年月,注册地编码,商品编码,贸易伙伴名称,贸易方式名称\n"
                            "5,201503,33000,30049010,P7,一般贸易\n"})
    load_customs_year(conn, paths, 2015)
    lake = stored(conn)
    assert lake["customs/2015/a.csv"] == lake["customs/2015/b.csv"]
    assert len({lake["customs/2015/a.csv"], lake["customs/2015/c.csv"],
                lake["customs/2015/d.csv"]}) == 3
    got = {p: (f, r) for f, p, r, _ in rows(conn)}
    assert got["P5"] == ("customs/2015/c.csv", 2) and got["P6"] == ("customs/2015/c.csv", 4)
    assert got["P7"] == ("customs/2015/d.csv", 2) and got["P4"] == ("customs/2015/b.csv", 3)


def test_bad_rows_in_a_piece_are_named_and_nothing_is_loaded(env):
    paths, conn = env
    pieces(paths, {"a.csv": HEADER + body(3), "b.csv": HEADER + body(2, 3)})
    load_customs_year(conn, paths, 2015)
    before = rows(conn)
    pieces(paths, {"b.csv": HEADER + body(1, 3) + "201503,33000,30049010,P9,一般贸易,-4\n"})
    with pytest.raises(IngestError) as err:
        load_customs_year(conn, paths, 2015)
    assert "customs/2015/b.csv" in str(err.value) and "row 3" in str(err.value)
    assert "value is negative" in str(err.value)
    assert rows(conn) == before  # the earlier load stands
    files = sorted(p.name for p in (customs_lake.table_root(paths.lake) / "year=2015").iterdir())
    assert files == [stored(conn)["customs/2015/a.csv"].split("/")[1]]


def test_a_key_in_two_pieces_is_named_with_both_files(env):
    paths, conn = env
    pieces(paths, {"a.csv": HEADER + body(3), "b.csv": HEADER + body(2, 2)})  # P2 twice
    with pytest.raises(IngestError) as err:
        load_customs_year(conn, paths, 2015)
    assert "also in customs/2015/b.csv row 2" in str(err.value)


def test_a_revised_piece_gives_a_new_lake_file_and_the_old_one_goes(env):
    paths, conn = env
    pieces(paths, {"a.csv": HEADER + body(3), "b.csv": HEADER + body(2, 3)})
    load_customs_year(conn, paths, 2015)
    old = set(stored(conn).values())
    pieces(paths, {"b.csv": HEADER + body(3, 3)})
    assert load_customs_year(conn, paths, 2015).rows == 6
    new = set(stored(conn).values())
    assert len(new) == 1 and new != old
    folder = customs_lake.table_root(paths.lake) / "year=2015"
    assert sorted(f"year=2015/{p.name}" for p in folder.iterdir()) == sorted(new)
    assert [r for _, _, r, _ in rows(conn)] == [2, 3, 4, 2, 3, 4]
