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


def dbt_var(name: str, project_dir: Path = DBT_PROJECT_DIR):
    """A var of dbt_project.yml (one source for facts both SQL and Python need)."""
    import yaml
    with open(project_dir / "dbt_project.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)["vars"][name]


def hs_timetable(pending: bool = False) -> list[tuple[str, int]]:
    """(revision, first year) of the HS revisions the seeds hold (var hs_revisions), in
    order; with pending=True those announced but not in the seeds yet."""
    name = "hs_revisions_pending" if pending else "hs_revisions"
    return [(str(r), int(y)) for r, y in (dbt_var(name) or [])]


def correlation_seeds() -> dict[tuple[str, str], pd.DataFrame]:
    """(older, newer revision) -> the seed of UN correlation links between them."""
    revisions = hs_timetable()
    return {(old, new): seed_frame(f"ref_hs_correlation_{y0}_{y1}")
            for (old, y0), (new, y1) in zip(revisions, revisions[1:])}
