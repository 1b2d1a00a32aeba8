"""The dbt project for dagster-dbt, and its manifest (prepared by `dbt parse`: `make
manifest`, or here when it is missing or older than the project's files). Nothing runs at
import."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from dagster_dbt import DbtProject

from warehouse.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR


@lru_cache(maxsize=4)
def dbt_project(project_dir: Path = DBT_PROJECT_DIR) -> DbtProject:
    return DbtProject(project_dir=project_dir, profiles_dir=project_dir)


def manifest_is_current(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """The manifest exists and no project file (models, macros, seeds, tests, settings)
    changed after it was written."""
    manifest = dbt_project(project_dir).manifest_path
    if not manifest.exists():
        return False
    written = manifest.stat().st_mtime
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml",
             *(f for folder in ("models", "macros", "seeds", "tests")
               for f in (project_dir / folder).rglob("*") if f.is_file())]
    return all(f.stat().st_mtime <= written for f in files)


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR, say=print) -> None:
    """dbt parse when the manifest is missing or stale (a fresh clone, or a model or seed
    edited since, run without make)."""
    if manifest_is_current(project_dir):
        return
    say("preparing the dbt manifest (dbt parse) ...")
    subprocess.run([DBT_EXECUTABLE, "parse", "--quiet", "--profiles-dir", "."],
                   cwd=project_dir, check=True)  # same cwd as Dagster's dbt runs
    # dbt may leave an unchanged manifest untouched: mark it as written now
    dbt_project(project_dir).manifest_path.touch()


if __name__ == "__main__":  # `make manifest`: the same decision as `medtrade run` makes
    ensure_manifest()
