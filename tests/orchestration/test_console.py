"""The `medtrade` command: main's exit code, a quick exit, no dbt adapter in the process."""
import subprocess
import sys
import tomllib

from orchestration.dbt_cli import MedtradeDbtCli
from warehouse.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, REPO_ROOT


def test_the_installed_command_is_console_and_keeps_mains_exit_code(tmp_path):
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["medtrade"] == "orchestration.cli:console"
    script = ("import gc, sys\nfrom orchestration.cli import console\n"
              "code = console(['run', '--data-dir', sys.argv[1]])\n"
              "print('frozen', gc.get_freeze_count())\nsys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, cwd=REPO_ROOT)
    # no landing data: a usage error (2), said on stderr; the run's objects were frozen
    assert proc.returncode == 2, proc.stderr
    assert "no customs files" in proc.stderr
    assert int(proc.stdout.split("frozen")[-1]) > 0


def test_no_dbt_adapter_is_built_inside_the_dagster_process(tmp_path):
    # dagster-dbt would load the profile and parse dbt's macros here before each command,
    # for helpers medtrade does not call (metadata come from orchestration.metadata)
    dbt = MedtradeDbtCli(project_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE,
                         env={}, work_dir=str(tmp_path))
    assert dbt._initialize_dbt_core_adapter(["build"]) is None
