"""One run at a time per data folder: a lock the whole run holds.

DuckDB allows one writer per file, and a run writes the build warehouse, the lake and the
published copy. Two runs on one data folder (a scheduled run while a user runs
`medtrade load`, two terminals, the UI and the CLI) would meet as a DuckDB lock error or
a half-written warehouse; instead the second one is told at once which run holds the
folder (or waits for it, when asked to).

The lock is an advisory `flock` on `<data>/.medtrade-run.lock`, released by the kernel
when its process ends (also when it is killed), so a crashed run never leaves the folder
locked. The file names the holder (pid, command, start time) for the message. Within one
process the lock is re-entrant: the CLI takes it before the Dagster run starts, and the
run's resource takes it again (a run the UI starts has no CLI around it).
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

LOCK_NAME = ".medtrade-run.lock"
_held: dict[str, list] = {}  # lock path -> [open file, depth]


class DataFolderBusy(RuntimeError):
    """Another run holds this data folder."""


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def holder(data_dir: Path) -> str:
    """Who holds (or last held) the folder, as a sentence part."""
    try:
        info = json.loads(lock_path(data_dir).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "another medtrade run"
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.get("started", 0)))
    return f"`{info.get('command', 'medtrade')}` (pid {info.get('pid')}, started {started})"


@contextmanager
def data_folder_lock(data_dir: Path, command: str | None = None, *, wait: bool = False,
                     say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the data folder's run lock for the block; raise DataFolderBusy when another
    process holds it (or wait until it is free, with wait=True)."""
    path = lock_path(data_dir)
    key = str(path.resolve())
    if key in _held:  # this process holds it already
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            running = holder(data_dir)
            if not wait:
                raise DataFolderBusy(
                    f"{running} is using the data folder {data_dir}: wait for it to end "
                    "(or add --wait), or stop it; nothing was changed") from None
            (say or print)(f"waiting for {running} to finish with {data_dir} ...")
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "started": time.time(),
                             "command": command or " ".join(["medtrade", *sys.argv[1:]])}))
        fh.flush()
        _held[key] = [fh, 1]
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()
