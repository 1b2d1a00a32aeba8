"""The dbt project object for dagster-dbt. Its manifest is prepared by `dbt parse`
(`make manifest`, or `medtrade run` when it is missing); nothing runs at import."""
from __future__ import annotations

from functools import lru_cache

from dagster_dbt import DbtProject

from ingest.settings import DBT_PROJECT_DIR


@lru_cache(maxsize=1)
def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
