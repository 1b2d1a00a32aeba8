"""The dbt CLI resource: the run's settings reach dbt as its subprocess environment.

- Each invocation's target folder (artifacts, dbt.log) lives in the data folder
  (<data>/dbt/<step>-<run>-<id>/; the latest KEEP are kept), not in the repository. dbt's
  parse cache (partial_parse.msgpack) is only valid for one profile (the warehouse path
  is part of it), so each data folder keeps its own: it is copied into a new target folder
  before dbt starts and saved back after, and the run's later dbt invocations skip the
  full parse (about 2-3 s each).

- profiles.yml reads the warehouse, lake and Spark paths with env_var(); DbtCliResource
  builds the subprocess environment from os.environ, so `cli` lends it the settings'
  variables for the duration of the call (dbt's process and dagster-dbt's adapter handle
  read them) and restores os.environ afterwards.
- dagster-dbt asks the dbt executable for its version (a new Python process importing dbt:
  about 3 s) before the first dbt command of each run. The executable is the one installed
  beside this interpreter from the lock file (dagster-dbt is pinned exactly), so its version
  is the installed dbt-core's, read from the package metadata instead.
"""
from __future__ import annotations

import os
import shutil
import uuid
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
    cached = work_dir / PARSE_CACHE
    if cached.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(cached, target / PARSE_CACHE)


def save_parse_cache(work_dir: Path, target: Path) -> None:
    """Keep the parse cache an invocation wrote (renamed into place: never half-written)."""
    written = target / PARSE_CACHE
    if written.exists():
        tmp = work_dir / f".{PARSE_CACHE}.{uuid.uuid4().hex[:8]}"
        shutil.copy2(written, tmp)
        os.replace(tmp, work_dir / PARSE_CACHE)


def prune_targets(work_dir: Path, keep: int = KEEP) -> None:
    folders = sorted((p for p in work_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in folders[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


class MedtradeDbtCli(DbtCliResource):
    env: dict[str, str] = {}  # Settings.dbt_env(): what profiles.yml reads
    work_dir: str = ""  # <data>/dbt: this data folder's dbt targets and parse cache

    def cli(self, args, **kwargs):
        if not self.work_dir:
            with lent_environ(self.env):
                return super().cli(args, **kwargs)
        work = Path(self.work_dir)
        work.mkdir(parents=True, exist_ok=True)
        prune_targets(work)
        target = work / self._get_unique_target_path(context=kwargs.get("context")).name
        restore_parse_cache(work, target)
        with lent_environ(self.env):
            invocation = super().cli(args, target_path=target, **kwargs)
        return _SavingInvocation(invocation, work, target)

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))


class _SavingInvocation:
    """The invocation, saving the parse cache once dbt has finished."""

    def __init__(self, invocation, work: Path, target: Path):
        self._invocation, self._work, self._target = invocation, work, target

    def __getattr__(self, name):
        return getattr(self._invocation, name)

    def stream(self):
        yield from self._invocation.stream()
        save_parse_cache(self._work, self._target)

    def wait(self):
        result = self._invocation.wait()
        save_parse_cache(self._work, self._target)
        return result
