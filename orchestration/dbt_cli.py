"""The dbt CLI resource, given the run's settings.

- profiles.yml reads the warehouse, lake and Spark paths with env_var(); DbtCliResource
  builds the subprocess environment from os.environ, so `cli` lends it the settings'
  variables for the duration of the call (dbt's process and dagster-dbt's adapter handle
  read them) and restores os.environ afterwards.
- Each invocation's target folder (artifacts, dbt.log) lives in the data folder
  (<data>/dbt/<step>-<run>-<id>/, the latest KEEP kept), not in the repository. dbt's parse
  cache (partial_parse.msgpack) is only valid for one profile, and the warehouse path is
  part of it: a new invocation starts from the cache the data folder's latest invocation
  wrote, so a run's later dbt calls skip the full parse (about 2-3 s each).
- dagster-dbt asks the dbt executable for its version (a new Python process importing dbt:
  about 3 s) before the first dbt command of each run. The executable is the one installed
  beside this interpreter from the lock file (dagster-dbt is pinned exactly), so its version
  is the installed dbt-core's, read from the package metadata instead.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Iterator

from dagster_dbt import DbtCliResource
from packaging import version


@contextmanager
def lent_environ(env: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


PARSE_CACHE = "partial_parse.msgpack"
KEEP = 6


def restore_parse_cache(work_dir: Path, target: Path) -> None:
    """Copy the parse cache of the data folder's latest dbt invocation into target."""
    written = sorted(work_dir.glob(f"*/{PARSE_CACHE}"), key=lambda p: p.stat().st_mtime)
    if written:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(written[-1], target / PARSE_CACHE)


def prune_targets(work_dir: Path, keep: int = KEEP) -> None:
    folders = sorted((p for p in work_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in folders[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


class MedtradeDbtCli(DbtCliResource):
    env: dict[str, str]  # Settings.dbt_env(): what profiles.yml reads
    work_dir: str  # <data>/dbt: this data folder's dbt target folders

    def cli(self, args, *, target_path: Path | None = None, **kwargs):
        """dbt with the run's settings; artifacts in a new folder of the data folder's dbt
        work area, or in target_path (the docs page) when given."""
        work = Path(self.work_dir)
        work.mkdir(parents=True, exist_ok=True)
        prune_targets(work)
        target = (Path(target_path) if target_path is not None else
                  work / self._get_unique_target_path(context=kwargs.get("context")).name)
        restore_parse_cache(work, target)
        with lent_environ(self.env):
            return super().cli(args, target_path=target, **kwargs)

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        """No dbt adapter inside the Dagster process: dagster-dbt builds one before each
        dbt command (loading the profile and parsing dbt's macros, 0.9 s while dbt has not
        started yet) only for its ``fetch_row_counts`` / ``fetch_column_metadata``, which
        medtrade does not call: row counts, schemas and previews are read from the
        warehouse once dbt has ended (``orchestration.metadata``)."""
        return None
