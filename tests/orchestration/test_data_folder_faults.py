"""A data folder lives for years: copied without its lake, restored from an old backup,
runs killed, a full disk, two runs at once. Each fault is provoked on a real `medtrade run`
and the next run must give what a fresh build from the landing files gives."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.orchestration.helpers import demo_slice, digest, medtrade, published
from warehouse.connection import connect

COMPARED = ("marts", "results", "intermediate")





def table_contents(root: Path) -> dict[str, list]:
    """Every row of every marts, results and intermediate table of the published copy
    (sorted), without load times: equal dicts mean bit-identical tables."""
    conn = connect(published(root), read_only=True)
    try:
        out = {}
        for schema, table in conn.execute(
                "select table_schema, table_name from information_schema.tables where "
                f"table_schema in {COMPARED} and table_type = 'BASE TABLE'").fetchall():
            columns = [c for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? and column_name <> 'loaded_at' order by ordinal_position",
                [schema, table]).fetchall()]
            select = ", ".join(f'"{c}"' for c in columns)
            out[f"{schema}.{table}"] = conn.execute(
                f'select {select} from "{schema}"."{table}" order by all').fetchall()
        return out
    finally:
        conn.close()


def lake_state(root: Path) -> tuple[list[str], list[str]]:
    """(files recorded in raw.loaded_files, Parquet files present in the lake)."""
    conn = connect(root / "warehouse" / "build" / "medtrade.duckdb", read_only=True)
    try:
        listed = sorted(r[0] for r in conn.execute(
            "select stored_file from raw.loaded_files where stored_file is not null").fetchall())
    finally:
        conn.close()
    lake = root / "lake" / "raw" / "customs_exports"
    present = sorted(str(p.relative_to(lake)) for p in lake.rglob("*") if p.is_file())
    return listed, present


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return demo_slice(tmp_path_factory.mktemp("clean"))


def copy_of(clean: Path, target: Path, without=()) -> Path:
    """A copy of the data folder as a user makes one (a backup, another disk)."""
    shutil.copytree(clean, target, symlinks=True,
                    ignore=lambda folder, names: [n for n in names
                                                  if Path(folder, n) in
                                                  {clean / w for w in without}])
    return target


def assert_healed(root: Path, clean: Path, warning: str) -> None:
    """The next run warns, then gives the clean folder's tables and a lake whose files are
    exactly those listed (three years)."""
    ran = medtrade(root, "run")
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert warning in ran.stdout
    assert table_contents(root) == table_contents(clean)
    listed, present = lake_state(root)
    assert listed == present and len(listed) == 3


def test_a_copy_without_its_lake_rebuilds_the_lake_from_the_landing_files(clean, tmp_path):
    root = copy_of(clean, tmp_path / "copy", without=["lake"])
    assert_healed(root, clean, "is missing; reloading 2020 from its landing files")


def test_a_cut_off_lake_file_and_files_nobody_lists_are_repaired(clean, tmp_path):
    root = copy_of(clean, tmp_path / "restored")
    lake = root / "lake" / "raw" / "customs_exports"
    victim = next(iter(sorted((lake / "year=2021").glob("*.parquet"))))
    victim.write_bytes(victim.read_bytes()[:1000])                   # a cut-off copy
    (lake / "year=2022" / "0123456789abcdef01234567-deadbeef.parquet").write_bytes(b"old")
    (lake / "year=2020" / ".x.parquet.tmp-4242").write_bytes(b"killed load")
    assert_healed(root, clean, "were written; reloading 2021 from its landing files")


def test_a_lost_lake_file_whose_landing_folder_is_gone_stops_and_says_what_to_do(clean,
                                                                                 tmp_path):
    root = copy_of(clean, tmp_path / "lost", without=["lake"])
    shutil.move(root / "landing" / "customs" / "2020", tmp_path / "kept_2020")
    before = digest(published(root))
    ran = medtrade(root, "run")
    assert ran.returncode == 1
    assert "customs 2020: the lake file of customs/2020/synthetic_customs_exports_2020." in ran.stderr
    assert "is gone too (no landing file of 2020 is left): put the landing file back" in ran.stderr
    assert "Failure:" not in ran.stderr
    assert "Traceback" not in ran.stderr
    assert digest(published(root)) == before
    shutil.move(tmp_path / "kept_2020", root / "landing" / "customs" / "2020")
    assert medtrade(root, "run").returncode == 0
    assert table_contents(root) == table_contents(clean)


def test_a_second_run_on_the_same_folder_is_refused_naming_the_first(clean, tmp_path):
    root = copy_of(clean, tmp_path / "busy")
    (root / "landing" / "customs" / "2022" / "note.txt").write_text("a new file: reload 2022")
    first = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", "--data-dir",
                              str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        lock = root / ".medtrade-run.lock"
        deadline = time.time() + 60
        while time.time() < deadline and str(first.pid) not in (
                lock.read_text() if lock.exists() else ""):
            time.sleep(0.1)
        second = medtrade(root, "run")
        assert second.returncode == 3
        assert f"(pid {first.pid}, started" in second.stderr
        assert "is using the data folder" in second.stderr
        assert "lock" not in second.stderr.lower().replace("--wait", "")  # no DuckDB lock error
        waited = medtrade(root, "run", "--wait")                  # waits, then runs
        assert waited.returncode == 0, waited.stderr[-2000:]
        assert "waiting for `medtrade run" in waited.stdout
        assert first.wait(timeout=600) == 0, first.stderr.read()[-2000:]
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert table_contents(root) == table_contents(clean)


def run_statuses(root: Path) -> dict[str, int]:
    """How many runs of each status the data folder's run history holds."""
    from dagster import DagsterInstance

    from orchestration.cli import dagster_home
    from warehouse.paths import DataPaths
    with DagsterInstance.from_config(str(dagster_home(DataPaths.from_dir(root)))) as instance:
        runs = instance.get_runs()
    return {status: sum(r.status.value == status for r in runs)
            for status in sorted({r.status.value for r in runs})}


def _kill_when(root: Path, step: str, delay: float) -> str:
    """Start `medtrade run`, kill its whole process tree `delay` s after `step` starts;
    returns what it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", "--data-dir",
                             str(root)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if f": {step} ..." in line:
                time.sleep(delay)
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert any(f": {step} ..." in line for line in lines), "".join(lines)[-3000:]
    return "".join(lines)


def test_a_run_killed_at_any_moment_is_healed_by_the_next(clean, tmp_path):
    """kill -9 of the whole run tree while a 1.5M-row year loads, in both dbt parts, in
    the docs step and at publish; the next run gives the tables a clean run gives, with no
    lake file missing or left over."""
    from benchmarks.large_customs import write_large_customs
    fresh = copy_of(clean, tmp_path / "fresh")
    big = tmp_path / "customs_2022_large.csv"
    write_large_customs(big, 1_500_000, 2022, "csv")
    for root in (fresh,):
        for old in (root / "landing" / "customs" / "2022").iterdir():
            old.unlink()
        os.link(big, root / "landing" / "customs" / "2022" / "large.csv")
    killed = copy_of(fresh, tmp_path / "killed")
    runs_before = sum(run_statuses(killed).values())
    assert set(run_statuses(killed)) <= {"SUCCESS"}
    for step, delay in (("raw/customs_exports", 2.0), ("medtrade_dbt", 3.0),
                        ("medtrade_dbt_panel", 1.0), ("report/dbt_docs", 1.0),
                        ("published/warehouse", 0.0)):
        _kill_when(killed, step, delay)
    ran = medtrade(killed, "run")
    assert ran.returncode == 0, ran.stderr[-2000:]
    # each killed run is marked failed by the next one (the UI would show it going for ever)
    assert ran.stdout.count("was left unfinished") == 1, ran.stdout[:3000]
    assert run_statuses(killed) == {"FAILURE": 5, "SUCCESS": 1 + runs_before}
    clean_run = medtrade(fresh, "run")
    assert clean_run.returncode == 0, clean_run.stderr[-2000:]
    assert table_contents(killed) == table_contents(fresh)
    listed, present = lake_state(killed)
    assert listed == present and len(listed) == 3


def _mount_tmpfs(folder: Path, size_mb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs",
                           str(folder)], capture_output=True).returncode == 0


def _leave_free(disk: Path, filler: Path, mb: float) -> None:
    """Fill the disk with ``filler`` (what else is on it) up to ``mb`` free."""
    filler.unlink(missing_ok=True)
    with open(filler, "wb") as fh:
        fh.write(b"\0" * int(shutil.disk_usage(disk).free - mb * 1e6))


def test_a_full_disk_is_named_and_the_next_run_after_freeing_space_succeeds(clean, tmp_path):
    """The data folder on a file system of its own (tmpfs, as root), filled up: first so full
    that Dagster cannot write the run history (a run writes about 2 MB of it), then with room
    for the history but not for a larger customs year, which runs out of space while it is
    written to the lake; then space is freed."""
    from benchmarks.large_customs import write_large_customs
    disk = tmp_path / "small_disk"
    if not _mount_tmpfs(disk, 200):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        root = copy_of(clean, disk / "data", without=["dagster", "logs", "dbt", "report"])
        before = digest(published(root))
        lake_before = sorted(p.name for p in (root / "lake").rglob("*.parquet"))
        big = tmp_path / "customs_2022_large.csv"
        write_large_customs(big, 1_500_000, 2022, "csv")
        for old in (root / "landing" / "customs" / "2022").iterdir():
            old.unlink()
        os.symlink(big, root / "landing" / "customs" / "2022" / "large.csv")
        filler = disk / "other_files.bin"                       # what else fills the disk
        _leave_free(disk, filler, 0.2)
        ran = medtrade(root, "run")
        assert ran.returncode == 1
        assert "the disk is full: Dagster could not write the run history" in ran.stderr
        assert "Traceback" not in ran.stderr and "rejected" not in ran.stderr
        assert digest(published(root)) == before
        _leave_free(disk, filler, 6)
        ran = medtrade(root, "run")
        assert ran.returncode == 1
        assert "the disk is full: loading customs 2022 stopped" in ran.stderr
        assert f"free on the disk of {root / 'lake'}" in ran.stderr
        assert "this needs about" in ran.stderr and "Traceback" not in ran.stderr
        assert "rejected" not in ran.stderr                      # not reported as bad data
        assert digest(published(root)) == before
        assert sorted(p.name for p in (root / "lake").rglob("*.parquet")) == lake_before
        filler.unlink()                                          # space freed
        again = medtrade(root, "run")
        assert again.returncode == 0, again.stderr[-2000:]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
