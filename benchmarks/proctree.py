"""Run a command and measure it as a user sees it: wall time and the peak memory of its
whole process tree (the command, dbt and every other child or grandchild), sampled from
/proc, since wait4's max RSS counts one process and not the children it waits for."""
from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path

from warehouse.processes import tree_rss_mb


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None,
            interval: float = 0.1, also=None) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak tree RSS in MB, combined output). ``also``: a function
    returning more root process ids whose trees count too (a Spark cluster's JVMs, which
    are not the command's children; their children, e.g. executors, are counted once)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample():
        while proc.poll() is None:
            extra = also() if also else []
            peak[0] = max(peak[0], tree_rss_mb(proc.pid) + sum(tree_rss_mb(p) for p in extra))
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()
    proc.wait()
    sampler.join()
    return proc.returncode, time.perf_counter() - start, peak[0], out


# the CLI's step-end lines: "[  37.3 s]   done: published/warehouse (0.1 s)"
STEP_LINE = re.compile(r"^\[\s*[\d.]+ s\]\s+(?:done|FAILED): (.+?) \(([\d.]+) s\)$", re.M)


def cli_step_times(output: str) -> list[tuple[str, float]]:
    """The per-step seconds `medtrade run` / `medtrade load` print, longest first."""
    return sorted(((m.group(1), float(m.group(2))) for m in STEP_LINE.finditer(output)),
                  key=lambda s: -s[1])
