"""The Parquet lake the Spark engine reads: raw tables by source and year."""
import duckdb

from ingest.load import ensure_raw_schema
from warehouse.lake import EMPTY_FILE, export_raw_table


def _conn():
    conn = duckdb.connect()
    ensure_raw_schema(conn)
    return conn


def _insert(conn, year, value):
    conn.execute("insert into raw.yearbook_values (province_code, year, indicator_code, value) "
                 "values ('110000', ?, 'gdp', ?)", [year, value])


def test_years_become_folders_and_a_partial_export_replaces_only_its_years(tmp_path):
    conn = _conn()
    _insert(conn, 2020, 1.0)
    _insert(conn, 2021, 2.0)
    assert export_raw_table(conn, tmp_path, "yearbook_values") == {"2020": 1, "2021": 1}
    root = tmp_path / "raw" / "yearbook_values"
    assert sorted(p.name for p in root.iterdir()) == ["year=2020", "year=2021"]
    before = (root / "year=2020" / "data.parquet").read_bytes()
    conn.execute("update raw.yearbook_values set value = 9 where year = 2021")
    assert export_raw_table(conn, tmp_path, "yearbook_values", [2021]) == {"2021": 1}
    assert (root / "year=2020" / "data.parquet").read_bytes() == before
    rows = duckdb.sql(f"select year, value from read_parquet('{root}/*/*.parquet', "
                      "hive_partitioning = true) order by year").fetchall()
    assert rows == [(2020, 1.0), (2021, 9.0)]
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no leftovers


def test_an_empty_table_keeps_its_schema_and_stale_years_go(tmp_path):
    conn = _conn()
    _insert(conn, 2020, 1.0)
    export_raw_table(conn, tmp_path, "yearbook_values")
    conn.execute("delete from raw.yearbook_values")
    assert export_raw_table(conn, tmp_path, "yearbook_values") == {}
    root = tmp_path / "raw" / "yearbook_values"
    assert [p.name for p in root.iterdir()] == [EMPTY_FILE]
    columns = [c[0] for c in duckdb.sql(f"describe select * from '{root / EMPTY_FILE}'").fetchall()]
    assert "province_code" in columns and columns[-1] == "year"
