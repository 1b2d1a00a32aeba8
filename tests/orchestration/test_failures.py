"""A failing load or check stops the run before publishing; a killed run recovers."""
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.orchestration.helpers import demo_slice, digest, medtrade, published
from warehouse.connection import connect


@pytest.fixture(scope="module")
def slice_root(tmp_path_factory):
    return demo_slice(tmp_path_factory.mktemp("failures"))



def test_a_bad_file_stops_the_run_and_keeps_the_published_copy(slice_root):
    before = digest(published(slice_root))
    bad = slice_root / "landing" / "customs" / "2022" / "late_revision.csv"
    bad.write_text("数据年月,注册地名称,商品编码,美元\n202203,浙江省,3004909,12\n", encoding="utf-8")
    try:
        ran = medtrade(slice_root, "run")
    finally:
        bad.unlink()
    assert ran.returncode == 1
    assert "customs/2022/late_revision.csv, row 2, column '商品编码'" in ran.stderr
    assert "the published warehouse was not changed" in ran.stderr
    assert digest(published(slice_root)) == before
    conn = connect(slice_root / "warehouse" / "build" / "medtrade.duckdb", read_only=True)
    reasons = conn.execute("select reason from quality.rejected_rows where source_file = "
                           "'customs/2022/late_revision.csv'").fetchall()
    conn.close()
    assert reasons and "leading zero" in reasons[0][0]


def test_a_year_that_loses_a_province_fails_its_check_before_publishing(slice_root):
    before = digest(published(slice_root))
    path = slice_root / "landing" / "customs" / "2022" / "synthetic_customs_exports_2022.csv"
    original = path.read_bytes()
    lines = original.decode("utf-8-sig").splitlines(keepends=True)
    path.write_text("".join([lines[0]] + [x for x in lines[1:] if ",西藏自治区," not in x]),
                    encoding="utf-8-sig")
    try:
        ran = medtrade(slice_root, "run")
    finally:
        path.write_bytes(original)
    assert ran.returncode == 1
    assert "gx_raw__customs_exports" in ran.stderr + ran.stdout
    assert ("raw.customs_exports [provinces per year (a year that loses provinces fails)]: "
            "expect_column_values_to_be_between(n_provinces) failed: 1 unexpected, "
            "e.g. n_provinces 30, year 2022") in ran.stderr
    assert digest(published(slice_root)) == before


def test_a_killed_run_leaves_the_published_copy_and_the_next_run_recovers(slice_root):
    before = digest(published(slice_root))
    (slice_root / "landing" / "customs" / "2022" / "force_reload.txt").write_text("x")
    build = slice_root / "warehouse" / "build" / "medtrade.duckdb"
    started = build.stat().st_mtime
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", "--data-dir",
                             str(slice_root)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while build.stat().st_mtime == started and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)  # wait until the run writes the build warehouse
    time.sleep(3)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run, dbt included, dies at once
    proc.wait()
    assert digest(published(slice_root)) == before
    again = medtrade(slice_root, "run")
    assert again.returncode == 0, again.stderr[-2000:]
    conn = connect(published(slice_root), read_only=True)
    assert conn.execute("select count(*) from marts.fct_province_year_panel").fetchone()[0] == 62
    conn.close()


def test_an_analyst_query_runs_while_a_pipeline_run_writes(slice_root):
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", "--data-dir",
                             str(slice_root)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    answers = []
    try:
        while proc.poll() is None and len(answers) < 5:
            out = medtrade(slice_root, "sql", "select count(*) as n from marts.fct_province_year_panel")
            answers.append((out.returncode, out.stdout.split()))
            time.sleep(1)
        assert proc.wait(timeout=600) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert answers and all(a == (0, ["n", "62"]) for a in answers)
