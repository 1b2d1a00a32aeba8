"""The fast (streaming) and exact customs paths must load the same rows."""
import duckdb
import pandas as pd
import pytest

import ingest.customs.source as customs_source
import ingest.customs.validate as customs
from ingest.errors import IngestError
from ingest.load import ensure_raw_schema, load_customs_year
from tests.ingest.helpers import write
from warehouse.paths import DataPaths

HEADER = "数据年月,注册地编码,注册地名称,商品编码,贸易伙伴名称,贸易方式名称,进出口,美元\n"
ROWS = ("201503,33000,浙江省,30049090,美国,一般贸易,出口,\"1,234.5\"\n"
        "201503,33000,浙江省,30049090,美国,一般贸易,进口,99\n"
        "201504,44000,广东,02011000,日本,一般贸易,出口,10\n"
        "201505,61000,Shaanxi,90189090,日本,一般贸易,出口,7\n")
COLUMNS = "year, month, province_code, province_raw, hs_code, partner, trade_mode, currency, value"


def load(tmp_path, name, text, encoding="utf-8", stream=False, monkeypatch=None):
    paths = DataPaths.from_dir(tmp_path / name).ensure()
    write(paths.customs / "2015" / "c.csv", text, encoding)
    if stream:
        monkeypatch.setattr(customs_source, "STREAM_BYTES", 0)
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    try:
        result = load_customs_year(conn, paths, 2015)
        rows = conn.execute(f"select {COLUMNS}, source_row from raw.customs_exports "
                            "order by hs_code").df()
        return result, rows
    finally:
        conn.close()


def test_fast_path_equals_exact_parse(tmp_path):
    from ingest.readers import read_grid
    result, rows = load(tmp_path, "fast", HEADER + ROWS)
    exact, rejects = customs.parse_customs(read_grid(tmp_path / "fast/landing/customs/2015/c.csv"),
                                           folder_year=2015, source_file="c.csv", file_hash="h")
    assert rejects == [] and result.rows == 3
    pd.testing.assert_frame_equal(
        rows.drop(columns="source_row"),
        exact.sort_values("hs_code").reset_index(drop=True)[COLUMNS.split(", ")],
        check_dtype=False)
    assert list(rows["province_code"]) == ["440000", "330000", "610000"]


def test_streamed_gbk_csv_loads_like_the_exact_reader(tmp_path, monkeypatch):
    _, exact = load(tmp_path, "exact", HEADER + ROWS)
    _, streamed = load(tmp_path, "stream", HEADER + ROWS, "gb18030", True, monkeypatch)
    pd.testing.assert_frame_equal(streamed.drop(columns="source_row"),
                                  exact.drop(columns="source_row"))


def test_streamed_file_with_a_bad_row_is_rejected_by_order(tmp_path, monkeypatch):
    bad = HEADER + ROWS + "201506,11000,北京,3004909,日本,一般贸易,出口,7\n"
    with pytest.raises(IngestError) as err:
        load(tmp_path, "bad", bad, stream=True, monkeypatch=monkeypatch)
    (reject,) = err.value.rejects
    assert reject.source_row == 6 and reject.column_name == "商品编码"
    assert "leading zero" in reject.reason


def test_the_exact_path_reads_the_fast_paths_copy_not_the_file_again(tmp_path, monkeypatch):
    """A large GB18030 file with a bad row: transcoded once (a 50M-row year: 5-6 s), its
    rows named as before."""
    import ingest.customs.text_csv as text_csv
    calls = []
    real = text_csv.gb18030_to_utf8
    monkeypatch.setattr(text_csv, "gb18030_to_utf8",
                        lambda *a, **kw: calls.append(a[0]) or real(*a, **kw))
    bad = HEADER + ROWS + "201506,11000,北京,3004909,日本,一般贸易,出口,7\n"
    with pytest.raises(IngestError) as err:
        load(tmp_path, "bad", bad, "gb18030", stream=True, monkeypatch=monkeypatch)
    (reject,) = err.value.rejects
    assert reject.source_row == 6 and reject.column_name == "商品编码"
    assert len(calls) == 1


def test_identical_repeat_leaves_the_fast_path_and_is_dropped_once(tmp_path):
    result, rows = load(tmp_path, "dup", HEADER + ROWS + ROWS.splitlines(True)[0])
    assert result.rows == 3 and len(rows) == 3


def test_full_width_province_name_needs_the_exact_lookup(tmp_path):
    text = HEADER + "201503,,Ｓｈａａｎｘｉ,30049090,美国,一般贸易,出口,1\n"
    result, rows = load(tmp_path, "wide", text)
    assert result.rows == 1 and rows.loc[0, "province_code"] == "610000"


def test_streamed_file_with_bytes_neither_utf8_nor_gb18030_names_the_line(tmp_path, monkeypatch):
    paths = DataPaths.from_dir(tmp_path / "enc").ensure()
    year = paths.customs / "2015"
    year.mkdir(parents=True)
    good = (HEADER + ROWS).encode("gb18030")
    (year / "c.csv").write_bytes(good + b"201506,11000,\xff\xfe,30049090,x,y,\xb3\xf6\xbf\xda,7\n")
    monkeypatch.setattr(customs_source, "STREAM_BYTES", 0)
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    try:
        with pytest.raises(IngestError) as err:
            load_customs_year(conn, paths, 2015)
        (reject,) = err.value.rejects
        assert (reject.source_file, reject.source_row) == ("customs/2015/c.csv", 6)
        assert "ff at byte 14 of the line" in reject.reason
        assert conn.execute("select count(*) from raw.customs_exports").fetchone()[0] == 0
    finally:
        conn.close()


def test_gb18030_characters_cut_by_the_copy_blocks_are_kept_whole(tmp_path, monkeypatch):
    import ingest.customs.text_csv as text_csv
    import ingest.transcode as transcode
    source = tmp_path / "g.csv"
    text = HEADER + ROWS * 3
    source.write_bytes(text.encode("gb18030"))
    monkeypatch.setattr(transcode, "BLOCK", 7)  # cuts two- and four-byte characters
    copy, lines = text_csv.utf8_copy(source, tmp_path / "u.csv")
    assert copy.read_text(encoding="utf-8") == text and lines == text.count("\n")


@pytest.mark.parametrize("text", ["a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4", "a,b\n\n1,2\n", ""])
def test_lines_counted_while_hashing_equal_a_count_of_their_own(tmp_path, text):
    import ingest.customs.text_csv as text_csv
    from ingest.readers import file_sha256, line_feeds
    source = tmp_path / "c.csv"
    source.write_text(text, encoding="utf-8")
    alone = text_csv.utf8_copy(source)[1]
    assert line_feeds(source) is None
    file_sha256(source)
    assert line_feeds(source) == (text.count("\n"), text[-1:].encode())
    assert text_csv.utf8_copy(source)[1] == alone == len(text.splitlines())
    source.write_text(text + "5,6\n", encoding="utf-8")  # changed since it was hashed
    assert line_feeds(source) is None
    assert text_csv.utf8_copy(source)[1] == len((text + "5,6\n").splitlines())
