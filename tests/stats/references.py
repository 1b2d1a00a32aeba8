"""Published reference outputs, each in tests/stats/reference/<name>.yml beside the command
that produced it and its source."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).with_name("reference")


@lru_cache(maxsize=None)
def reference(name: str) -> dict:
    """The `values` of one reference file."""
    return yaml.safe_load((FOLDER / f"{name}.yml").read_text(encoding="utf-8"))["values"]
