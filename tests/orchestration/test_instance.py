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
