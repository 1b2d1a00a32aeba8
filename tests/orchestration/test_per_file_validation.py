"""Great Expectations over per-file aggregates: every row counted, examples named by file,
line and column, results kept per file and reused."""
import re

import duckdb
import pytest
import yaml

from orchestration.assets.checks import failure_lines
from quality.per_file import unexpected_sql, whole_text_pattern
from quality.suites import load_suites, run_suite

SUITE = {
    "table": "main.t",
    "description": "test",
    "batches": [
        {"name": "rows",
         "per_file": {"files": "select distinct source_file, file_hash from main.t"},
         "expectations": [
             {"expect_column_values_to_be_between": {"column": "x", "min_value": 0}},
             {"expect_column_values_to_be_in_set": {"column": "c", "value_set": ["a", "b"]}},
             {"expect_column_values_to_not_be_null": {"column": "x"}},
             {"expect_column_values_to_match_regex": {"column": "c", "regex": "^[ab]$"}}]},
        {"name": "per year",
         "per_file": {"files": "select distinct source_file, file_hash from main.t",
                      "query": "select source_file, file_hash, year, c from {files} "
                                   "group by all"},
         "query": "select year, count(distinct c) as n from per_file group by year",
         "index": ["year"],
         "expectations": [{"expect_column_values_to_be_between":
                           {"column": "n", "min_value": 2, "max_value": 2}}]},
    ],
}


def _warehouse(tmp_path, bad: bool):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("create or replace table t as select 'f1.csv' as source_file, 'h1' as file_hash, "
                 "2022 as year, i + 2 as source_row, i * 1.0 as x, "
                 "case when i % 2 = 0 then 'a' else 'b' end as c from range(1000) r(i)")
    conn.execute("insert into t select 'f2.csv', 'h2', 2022, i + 2, i * 1.0, 'a' from range(500) r(i)")
    if bad:
        conn.execute("update t set x = -1 where source_file = 'f2.csv' and source_row in (7, 9)")
        conn.execute("update t set c = 'z' where source_file = 'f2.csv' and source_row = 11")
        conn.execute("update t set file_hash = 'h2b' where source_file = 'f2.csv'")
    return conn


def _suite(tmp_path):
    (tmp_path / "main.t.yml").write_text(yaml.safe_dump(SUITE, allow_unicode=True))
    return load_suites(tmp_path)[0]


def test_every_row_is_counted_and_failures_name_file_row_and_column(tmp_path):
    suite = _suite(tmp_path)
    conn = _warehouse(tmp_path, bad=False)
    assert run_suite(conn, suite).success
    conn = (conn.close(), _warehouse(tmp_path, bad=True))[1]
    result = run_suite(conn, suite)
    assert not result.success
    failed = {c["expectation"]: c for c in result.failures() if c["batch"] == "rows"}
    assert set(failed) == {"expect_column_values_to_be_between",
                           "expect_column_values_to_be_in_set",
                           "expect_column_values_to_match_regex"}
    between = failed["expect_column_values_to_be_between"]
    assert between["unexpected_count"] == 2
    assert between["examples"] == ["f2.csv, row 7, column 'x': '-1.0'",
                                   "f2.csv, row 9, column 'x': '-1.0'"]
    per_year = [c for c in result.failures() if c["batch"] == "per year"]
    assert per_year and per_year[0]["examples"] == ["n 3, year 2022"]  # a, b and z
    lines = failure_lines(result)
    assert any("main.t [rows]: expect_column_values_to_be_in_set(c) failed: 1 unexpected, "
               "e.g. f2.csv, row 11, column 'c': 'z'" in line for line in lines)
    conn.close()


def test_results_are_kept_per_file_and_only_new_files_are_evaluated(tmp_path):
    suite = _suite(tmp_path)
    conn = _warehouse(tmp_path, bad=False)
    run_suite(conn, suite)
    kept = conn.execute("select source_file, file_hash from quality.gx_file_results "
                        "where batch = 'rows' order by 1").fetchall()
    assert kept == [("f1.csv", "h1"), ("f2.csv", "h2")]
    seen = []
    run_suite(conn, suite, progress=seen.append)
    assert seen == []  # nothing evaluated again
    conn.execute("update t set file_hash = 'h3' where source_file = 'f2.csv'")
    run_suite(conn, suite, progress=seen.append)
    assert seen == [f"main.t: evaluating {b} on 1 new file(s) in one scan (f2.csv); 1 kept from "
                    "earlier runs" for b in ("rows", "per year")]
    kept = conn.execute("select file_hash from quality.gx_file_results where batch = 'rows' "
                        "order by 1").fetchall()
    assert kept == [("h1",), ("h3",)]  # the replaced file's results are gone
    conn.close()


def test_a_view_over_a_changing_file_list_keeps_its_results(tmp_path):
    """The raw view lists its Parquet files; a load changes the list, not the rules."""
    from quality.per_file import _definition
    conn = duckdb.connect()
    for files in (["a.parquet"], ["a.parquet", "b.parquet"]):
        listed = ", ".join(f"'{tmp_path / f}'" for f in files)
        for f in files:
            conn.execute(f"copy (select 1 as x) to '{tmp_path / f}' (format parquet)")
        conn.execute(f"create or replace view v as select * from read_parquet([{listed}])")
        assert _definition(conn, "main.v") == "parquet files listed by the loader"
    conn.execute("create or replace view w as select x + 1 as y from v")
    assert "x + 1" in _definition(conn, "main.w")


def test_a_warning_suite_never_blocks(tmp_path):
    (tmp_path / "a.t.yml").write_text("table: a.t\nseverity: warning\nblocking: true\n"
                                      "batches: []\n", encoding="utf-8")
    (tmp_path / "b.t.yml").write_text("table: b.t\nbatches: []\n", encoding="utf-8")
    warn, error = load_suites(tmp_path)
    assert (warn.severity, warn.blocking) == ("warning", False)
    assert (error.severity, error.blocking) == ("error", True)
    (tmp_path / "c.t.yml").write_text("table: c.t\nseverity: loud\nbatches: []\n",
                                      encoding="utf-8")
    with pytest.raises(ValueError, match="severity must be error or warning"):
        load_suites(tmp_path)


PATTERNS = ["^([0-9]{6}|[0-9]{8}|[0-9]{10})$", "^([0-9]{5})?$", "^[ab]$", "^a|b$", "^(a)|(b)$",
            "^a\\$", "^[]|]$", "^[^]|]x$", "^a(b|c)*$", "^\\d{2}\\|$", "^x", "y$", "[0-9]"]
TEXTS = ["123456", "12345678", "1234567", "12345", "", "a", "b", "ab", "ba", "xa", "a$",
         "]", "|", "x]x", "|x", "abcbc", "12|", "12", "123456\n", "a\nb", "y", "xy", "yx", None]


def test_fast_rule_sql_counts_what_gx_counts():
    """The per-file SQL may rewrite an anchored regex as a whole-text match and an IN list
    as list_contains (both much faster in DuckDB); on every pattern and text the rows it
    counts as unexpected are those GX's own semantics count."""
    conn = duckdb.connect()
    conn.execute("create table s (c varchar)")
    conn.executemany("insert into s values (?)", [[t] for t in TEXTS])
    assert whole_text_pattern("^([0-9]{5})?$") == "([0-9]{5})?"  # the raw suite's rules
    assert whole_text_pattern("^([0-9]{6}|[0-9]{8}|[0-9]{10})$") is not None
    for unsafe in ["^a|b$", "^(a)|(b)$", "^a\\$", "^x", "y$", "^a$b$"]:
        assert whole_text_pattern(unsafe) is None, unsafe
    for regex in PATTERNS:
        fast = unexpected_sql("expect_column_values_to_match_regex",
                              {"column": "c", "regex": regex})
        got = [r[0] for r in conn.execute(f"select c from s where {fast} order by c").fetchall()]
        # Python's $ also matches before a final line feed; RE2's (GX on DuckDB) does not
        as_re2 = regex if regex.endswith("\\$") else regex.replace("$", "\\Z")
        want = sorted(t for t in TEXTS if t is not None and not re.search(as_re2, t))
        assert got == want, regex
    for values in (["a", "b"], ["12|"], []):
        fast = unexpected_sql("expect_column_values_to_be_in_set",
                              {"column": "c", "value_set": values})
        got = [r[0] for r in conn.execute(f"select c from s where {fast} order by c").fetchall()]
        assert got == sorted(t for t in TEXTS if t is not None and t not in values), values
