"""The project's dbt seeds read from Python: one source of truth for reference facts
(provinces, HS basket, indicator catalogue, units) for the loaders, checks and generator."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from warehouse.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def seed_path(name: str, seeds_dir: Path = SEEDS_DIR) -> Path:
    return seeds_dir / f"{name}.csv"


def seed_rows(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    """A seed as a list of rows (every value text, empty cells as '')."""
    with open(seed_path(name, seeds_dir), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def seed_frame(name: str, *, keep_na: bool = True) -> pd.DataFrame:
    """A seed as text columns; keep_na=False reads empty cells as '' instead of missing."""
    return pd.read_csv(seed_path(name), dtype=str, keep_default_na=keep_na)
