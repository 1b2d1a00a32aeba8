"""Progress of a long DuckDB statement (a large file's copy), from DuckDB's own estimate."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

import duckdb

LARGE_FILE_MB = 64  # files above this report progress while DuckDB works on them


def bar(percent: float, width: int = 20) -> str:
    percent = min(max(percent, 0.0), 100.0)
    filled = int(round(width * percent / 100))
    return f"[{'#' * filled}{'-' * (width - filled)}] {percent:3.0f}%"


@contextmanager
def query_progress(conn: duckdb.DuckDBPyConnection, say: Callable[[str], None], label: str,
                   *, step: float = 10.0, interval: float = 1.0, quiet: float = 5.0
                   ) -> Iterator[None]:
    """While the block runs statements on ``conn``, say ``label [####----] 40%`` each time
    DuckDB's progress estimate passes another ``step`` percent, and ``label: still working
    (25 s)`` after ``quiet`` seconds without a line (a statement DuckDB gives no estimate
    for, or the block's later statements: the bar follows the first)."""
    conn.execute("set enable_progress_bar = true")
    conn.execute("set enable_progress_bar_print = false")  # DuckDB's own bar: not on stdout
    done = threading.Event()

    def watch() -> None:
        shown = 0.0
        start = last = time.monotonic()
        while not done.wait(interval):
            try:
                percent = conn.query_progress()
            except duckdb.Error:
                percent = -1.0
            now = time.monotonic()
            if percent >= shown + step and percent < 100:
                shown = percent - percent % step
                say(f"{label} {bar(percent)}")
                last = now
            elif now - last >= quiet:
                say(f"{label}: still working ({now - start:.0f} s)")
                last = now

    watcher = threading.Thread(target=watch, name="duckdb-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        conn.execute("set enable_progress_bar = false")
