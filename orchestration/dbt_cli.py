"""The dbt CLI resource, without a `dbt --version` subprocess per run.

dagster-dbt asks the dbt executable for its version (a new Python process importing dbt:
about 3 s) before the first dbt command of each run. The executable is the one installed
beside this interpreter from the lock file (dagster-dbt is pinned exactly), so its version
is the installed dbt-core's, read from the package metadata instead.
"""
from __future__ import annotations

from functools import cached_property
from importlib import metadata

from dagster_dbt import DbtCliResource
from packaging import version


class MedtradeDbtCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))
