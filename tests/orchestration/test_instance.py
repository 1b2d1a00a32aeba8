"""Each data folder's Dagster instance queues one run at a time (DuckDB has a single writer)."""
import yaml

from orchestration.cli import dagster_home
from warehouse.paths import DataPaths


def test_each_data_folder_has_its_own_dagster_home_with_the_instance_settings(tmp_path):
    home = dagster_home(DataPaths.from_dir(tmp_path / "a"))
    assert home == tmp_path / "a" / "dagster"
    assert dagster_home(DataPaths.from_dir(tmp_path / "b")) != home
    settings = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8"))
    assert settings["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert settings["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    assert settings["telemetry"]["enabled"] is False


def _tiny_run(home, n: int = 3):
    """A real run of n assets (materializations and a check) on the instance in ``home``."""
    import dagster as dg

    @dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="a0")])
    def a0():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    others = [dg.asset(name=f"a{i}", deps=[f"a{i - 1}"])(lambda: None) for i in range(1, n)]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = dg.materialize([a0, *others], instance=instance)
        assert result.success
        return result.run_id


def test_the_run_history_keeps_connections_open_and_reads_folders_written_either_way(
        tmp_path, monkeypatch):
    import dagster as dg
    import sqlalchemy

    from orchestration import event_log

    home = dagster_home(DataPaths.from_dir(tmp_path / "d"))
    settings = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8"))
    assert settings["event_log_storage"]["config"]["base_dir"] == str(home / "history" / "runs")
    # a data folder whose history Dagster's own class wrote (before this change)
    text = (home / "dagster.yaml").read_text(encoding="utf-8")
    (home / "dagster.yaml").write_text(text.split("event_log_storage:")[0], encoding="utf-8")
    first = _tiny_run(home)
    dagster_home(DataPaths.from_dir(tmp_path / "d"))  # the CLI's settings again
    made = []
    real = event_log.create_engine
    monkeypatch.setattr(event_log, "create_engine", lambda *a, **k: made.append(a) or real(*a, **k))
    second = _tiny_run(home, n=20)
    # one engine per database file (the index and this run's file), not one per statement
    assert 1 <= len(made) <= 3, len(made)
    runs = home / "history" / "runs"
    assert (runs / f"{first}.db").exists() and (runs / f"{second}.db").exists()
    assert not list(runs.glob("*-wal")), "closed at the end: write-ahead logs checkpointed"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, event_log.PooledSqliteEventLogStorage)
        assert {r.run_id for r in instance.get_runs()} == {first, second}
        latest = instance.get_latest_materialization_event(dg.AssetKey("a0"))
        assert latest is not None and latest.run_id == second
        assert len(instance.all_logs(first)) > 10  # the old run's events are read back
    # and Dagster's own class reads what this one wrote
    with sqlalchemy.create_engine(f"sqlite:///{runs / 'index.db'}").connect() as conn:
        kinds = dict(conn.execute(sqlalchemy.text(
            "select run_id, count(*) from event_logs where dagster_event_type = "
            "'ASSET_MATERIALIZATION' group by run_id")).fetchall())
    assert kinds == {first: 3, second: 20}
