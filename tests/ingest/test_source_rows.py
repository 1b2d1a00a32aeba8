"""Every raw row carries its 1-based line (CSV), sheet row (Excel) or row number
(Parquet), on the streamed path too."""
import duckdb
import pandas as pd
import pytest

import ingest.customs.source as customs_source
from ingest.load import ensure_raw_schema, load_customs_year
from tests.ingest.helpers import write
from warehouse.paths import DataPaths

HEADER = "数据年月,注册地编码,商品编码,贸易伙伴名称,贸易方式名称,美元\n"


def body(n, start=0):
    return "".join(f"201503,33000,300490{(start + i) % 90 + 10:02d},P{start + i},一般贸易,{i + 1}\n"
                   for i in range(n))


def load(tmp_path, files, stream, monkeypatch):
    paths = DataPaths.from_dir(tmp_path).ensure()
    for name, (text, encoding) in files.items():
        write(paths.customs / "2015" / name, text, encoding)
    if stream:
        monkeypatch.setattr(customs_source, "STREAM_BYTES", 0)
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    load_customs_year(conn, paths, 2015)
    frame = conn.execute("select partner, source_row from raw.customs_exports").df()
    conn.close()
    return paths, frame


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_streamed_and_exact_csv_rows_carry_their_line(tmp_path, monkeypatch, stream, encoding):
    _, frame = load(tmp_path, {"c.csv": (HEADER + body(50), encoding)}, stream, monkeypatch)
    assert sorted(frame.source_row) == list(range(2, 52))
    assert (frame.partner.str[1:].astype(int) + 2 == frame.source_row).all()


def test_empty_lines_and_quoted_line_breaks_keep_exact_lines(tmp_path, monkeypatch):
    text = (HEADER + body(3) + "\n\n" + body(2, 3)
            + '201503,33000,30049001,"line\nbreak",一般贸易,9\n' + body(1, 5))
    _, frame = load(tmp_path, {"c.csv": (text, "utf-8")}, True, monkeypatch)
    lines = dict(zip(frame.partner, frame.source_row))
    assert [lines[f"P{i}"] for i in range(3)] == [2, 3, 4]
    assert [lines["P3"], lines["P4"], lines["line\nbreak"], lines["P5"]] == [7, 8, 9, 11]


def test_parquet_rows_carry_their_row_number(tmp_path, monkeypatch):
    frame = pd.DataFrame({"year": ["2015"] * 4, "province": ["浙江"] * 4,
                          "hs_code": [f"300490{i}0" for i in range(4)],
                          "partner": [f"P{i}" for i in range(4)], "value_usd": ["1"] * 4})
    paths = DataPaths.from_dir(tmp_path).ensure()
    (paths.customs / "2015").mkdir(parents=True)
    frame.to_parquet(paths.customs / "2015" / "c.parquet", index=False)
    conn = duckdb.connect(str(paths.build_db))
    ensure_raw_schema(conn)
    load_customs_year(conn, paths, 2015)
    got = dict(conn.execute("select partner, source_row from raw.customs_exports").fetchall())
    conn.close()
    assert got == {"P0": 1, "P1": 2, "P2": 3, "P3": 4}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_streamed_files_scratch_copies_go_once_its_rows_are_written(tmp_path, monkeypatch,
                                                                       encoding):
    from ingest.customs.source import open_customs_source
    src = write(tmp_path / "c.csv", HEADER + body(20), encoding)
    monkeypatch.setattr(customs_source, "STREAM_BYTES", 0)
    conn = duckdb.connect()
    try:
        source = open_customs_source(conn, src, "g", scratch=tmp_path)
        # the text copy is all the relation reads: a GB18030 file's UTF-8 copy is gone
        assert [p.exists() for p in source.copies] == [True]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", source.copies[0].name]
        assert conn.execute(f"select count(*) from {source.relation}").fetchone()[0] == 20
        source.drop_copies()
        assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]
    finally:
        conn.close()
