"""The product's own command, as a user runs it, for the tests that run real pipelines."""
import hashlib
import subprocess
import sys
from pathlib import Path


def medtrade(root, *args, timeout: int = 900, **kw) -> subprocess.CompletedProcess:
    """`medtrade <args> --data-dir <root>` in a new process (the console script's module)."""
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args, "--data-dir",
                           str(root)], capture_output=True, text=True, timeout=timeout, **kw)


def demo_slice(root: Path) -> Path:
    """A small data folder (customs 2020-2022, panel 2021-2022) after one good run."""
    assert medtrade(root, "demo-data", "--years", "2021-2022").returncode == 0
    ran = medtrade(root, "run")
    assert ran.returncode == 0, ran.stderr[-2000:]
    return root


def published(root: Path) -> Path:
    return Path(root) / "warehouse" / "medtrade.duckdb"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
