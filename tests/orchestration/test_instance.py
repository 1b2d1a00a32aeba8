"""The project's Dagster instance queues one run at a time (DuckDB has a single writer)."""
import yaml

from orchestration.cli import DAGSTER_HOME


def test_dagster_home_holds_the_instance_settings():
    settings = yaml.safe_load((DAGSTER_HOME / "dagster.yaml").read_text(encoding="utf-8"))
    assert settings["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert settings["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    assert settings["telemetry"]["enabled"] is False
