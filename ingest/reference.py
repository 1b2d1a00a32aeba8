"""Reference facts the loader needs, read from the project's dbt seeds (one source of truth)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from warehouse.seeds import hs_timetable, seed_rows

AGGREGATE_NAMES = {"全国", "中国", "national", "china", "total", "合计", "全国合计"}


def clean_label(text: str) -> str:
    """Fold width (full-width letters/digits/spaces), drop all spaces, lower-case."""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", folded).strip().lower()


@dataclass(frozen=True)
class ProvinceLookup:
    by_label: dict[str, str]
    codes: frozenset[str]

    def code_for(self, value: str) -> str | None:
        """GB/T 2260 code for a name or code; None if unknown. Never fuzzy-matches."""
        label = clean_label(value)
        if re.fullmatch(r"\d+(\.0)?", label):
            digits = label.split(".")[0]
            if len(digits) == 6:
                return digits if digits in self.codes else None
            if len(digits) in (2, 5):  # 2-digit prefix, or 5-digit customs region code
                code = digits[:2] + "0000"
                return code if code in self.codes else None
            return None
        return self.by_label.get(label)

    @staticmethod
    def is_aggregate(value: str) -> bool:
        return clean_label(value) in AGGREGATE_NAMES


@lru_cache(maxsize=1)
def province_lookup() -> ProvinceLookup:
    labels: dict[str, str] = {}
    codes = set()
    for row in seed_rows("ref_provinces"):
        code = row["code"]
        codes.add(code)
        names = [row["name_zh"], row["short_zh"], row["name_en"], *row["alt_names"].split("|")]
        for name in filter(None, names):
            labels[clean_label(name)] = code
            labels[clean_label(name.replace(" ", ""))] = code
    # Shanxi (140000) and Shaanxi (610000) differ by one letter: exact matches only.
    assert labels["shanxi"] == "140000" and labels["shaanxi"] == "610000"
    return ProvinceLookup(labels, frozenset(codes))


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit: str
    static_year: int | None


@lru_cache(maxsize=1)
def indicator_catalogue() -> dict[str, Indicator]:
    """Yearbook series (kind = input) keyed by every label that may name them."""
    by_label: dict[str, Indicator] = {}
    for row in seed_rows("indicator_catalogue"):
        if row["kind"] != "input":
            continue
        ind = Indicator(row["code"], row["name_zh"], row["name_en"], row["unit"],
                        int(row["static_year"]) if row["static_year"] else None)
        for label in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split("|")]:
            if label:
                by_label[clean_label(label)] = ind
    return by_label


def find_indicator(label: str) -> Indicator | None:
    """Match an indicator name (with or without a trailing '(unit)') to the catalogue."""
    cat = indicator_catalogue()
    cleaned = clean_label(label)
    if cleaned in cat:
        return cat[cleaned]
    without_unit = re.sub(r"[(（][^()（）]*[)）]$", "", cleaned)
    return cat.get(without_unit)


class UnsupportedRevision(Exception):
    """A customs year whose HS revision the seeds do not hold."""


SEEDS_TO_EXTEND = ("var hs_revisions in dbt_project/dbt_project.yml, a column in_{rev} in "
                   "dbt_project/seeds/ref_hs6_healthcare_candidates.csv and the links seed "
                   "dbt_project/seeds/ref_hs_correlation_<year>_<year>.csv to its neighbour "
                   "(tools/hs_history_seeds.py builds them from the UN tables)")


def check_customs_year(year: int) -> None:
    """Refuse a year whose HS revision the basket seeds cannot map (before the first
    revision they hold, or a revision announced but not added yet, e.g. HS2027)."""
    held = hs_timetable()
    first_revision, first_year = held[0]
    if year < first_year:
        raise UnsupportedRevision(
            f"customs {year}: the seeds hold HS revisions from {first_revision} ({first_year}) "
            f"on; {year} uses an earlier one (HS1996 in 1996-2001, HS1992 before). To load it, add that "
            f"revision: {SEEDS_TO_EXTEND.format(rev='HS1996')}")
    pending = [(r, y) for r, y in hs_timetable(pending=True) if y <= year]
    if pending:
        revision, start = pending[-1]
        raise UnsupportedRevision(
            f"customs {year}: China applies {revision} from {start}, and the seeds do not "
            f"hold {revision} yet (the last is {held[-1][0]}). To load {year}, add "
            f"{revision}: {SEEDS_TO_EXTEND.format(rev=revision)}")
