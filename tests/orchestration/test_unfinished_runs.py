"""A run whose process is gone is marked failed by the next run; a live one is left alone.

(Killed real runs: tests/orchestration/test_data_folder_faults.py.)"""
import subprocess
import uuid

from dagster import DagsterEvent, DagsterEventType, DagsterInstance, DagsterRunStatus
from dagster._core.storage.dagster_run import DagsterRun

from orchestration.unfinished_runs import close_unfinished_runs


def _run(instance, pid: int, finished: bool = False) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(DagsterRun(job_name="medtrade_pipeline", run_id=run_id,
                                status=DagsterRunStatus.NOT_STARTED))
    for kind in [DagsterEventType.RUN_START] + ([DagsterEventType.RUN_SUCCESS] if finished else []):
        instance.report_dagster_event(DagsterEvent(kind.value, "medtrade_pipeline", pid=pid),
                                      run_id=run_id)
    return run_id


def test_only_runs_whose_process_has_ended_are_marked_failed(tmp_path):
    ended = subprocess.Popen(["true"])
    ended.wait()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        with DagsterInstance.local_temp(str(tmp_path)) as instance:
            killed = _run(instance, ended.pid)
            going = _run(instance, alive.pid)
            done = _run(instance, ended.pid, finished=True)
            assert instance.get_run_by_id(killed).status == DagsterRunStatus.STARTED

            closed = close_unfinished_runs(instance, "the test")
            assert [(c.run_id, c.pid) for c in closed] == [(killed, ended.pid)]
            status = {r: instance.get_run_by_id(r).status for r in (killed, going, done)}
            assert status == {killed: DagsterRunStatus.FAILURE, going: DagsterRunStatus.STARTED,
                              done: DagsterRunStatus.SUCCESS}
            failure = instance.all_logs(killed, of_type=DagsterEventType.RUN_FAILURE)[-1]
            assert f"its process (pid {ended.pid}) ended" in failure.dagster_event.message
            assert "by the test" in failure.dagster_event.message
            assert close_unfinished_runs(instance, "the test") == []  # once
    finally:
        alive.kill()
        alive.wait()


def test_the_ui_marks_them_before_it_starts(tmp_path, monkeypatch, capsys):
    """`medtrade ui` on a folder whose last run was killed shows it failed, not going."""
    from orchestration import cli
    from warehouse.paths import DataPaths
    ended = subprocess.Popen(["true"])
    ended.wait()
    home = cli.dagster_home(DataPaths.from_dir(tmp_path).ensure())
    with DagsterInstance.from_config(str(home)) as instance:
        killed = _run(instance, ended.pid)
    started = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd, **kw: started.append(cmd) or 0)
    args = cli.build_parser().parse_args(["ui", "--data-dir", str(tmp_path)])
    assert args.func(args) == 0 and started and started[0][1] == "dev"
    assert f"earlier run {killed[:8]}" in capsys.readouterr().out
    with DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_run_by_id(killed).status == DagsterRunStatus.FAILURE
