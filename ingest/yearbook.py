"""Yearbook indicators (province x year) in the long form or the NBS portal's wide export.

Long form: ``province, year, indicator, value[, unit][, source]`` (or 地区/年份/指标/数值/单位).
NBS "Annual by Province" export: metadata lines (``指标：地区生产总值(亿元)``), a header row
``地区, 2022年, 2021年, ...``, one row per province, then footnotes.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

import pandas as pd

from ingest.errors import Reject
from ingest.numbers import parse_number
from ingest.readers import Grid, grid_to_frame
from ingest.reference import Indicator, clean_label, find_indicator, province_lookup
from warehouse.seeds import seed_path

MISSING_MARKERS = {"", "...", "…", "……", "—", "——", "-", "--", "na", "n/a", "nan"}
# Column names of the long form, first match wins (the NBS data portal's query service
# writes region_code/region_name, indicator_code/indicator_name, value and has_data).
LONG_COLUMNS = {
    "province": ["province", "region_code", "region_name", "region", "地区", "省份"],
    "year": ["year", "年份", "时间"],
    "indicator": ["indicator", "indicator_code", "指标", "indicator_name"],
    "value": ["value", "数值", "值"],
    "unit": ["unit", "单位"],
    "has_data": ["has_data"],
}
# a second column naming the indicator, tried where the first one's label is not known
INDICATOR_FALLBACK = ["indicator_name", "指标"]
FALSE_WORDS = {"false", "0", "no", "否"}
REGION_HEADERS = {"地区", "region", "省份", "province"}
FOOTNOTE = re.compile(r"^(注|数据来源|来源|说明|note|source)", re.IGNORECASE)
METADATA = re.compile(r"^(指标|indicator)\s*[:：]\s*(?P<name>.+)$", re.IGNORECASE)
RAW_COLUMNS = ["province_code", "province_raw", "year", "indicator_code", "indicator_raw",
               "value", "value_text", "unit", "source_row"]


@lru_cache(maxsize=1)
def unit_families() -> dict[str, str]:
    with open(seed_path("unit_conversions"), encoding="utf-8") as fh:
        return {row["unit"]: row["family"] for row in csv.DictReader(fh)}


def split_unit(label: str) -> tuple[str, str]:
    """'地区生产总值(亿元)' -> ('地区生产总值', '亿元')."""
    match = re.fullmatch(r"(?P<name>.*?)\s*[(（](?P<unit>[^()（）]*)[)）]\s*", label)
    return (match["name"], match["unit"]) if match else (label, "")


def parse_yearbook(grid: Grid, *, source_file: str, file_hash: str,
                   file_stem: str) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate one yearbook file. Returns (long rows, rejects)."""
    def reject(row, column, value, reason, severity="error"):
        rejects.append(Reject("yearbook", source_file, file_hash, row, column,
                              value, reason, severity))

    rejects: list[Reject] = []
    if not grid.rows:
        reject(None, None, None, "file is empty")
        return pd.DataFrame(columns=RAW_COLUMNS), rejects
    header_index = _find_wide_header(grid)
    if header_index is not None:
        long = _wide_to_long(grid, header_index, file_stem, reject)
    else:
        long = _long_form(grid, reject)
    if long is not None and long.empty and not rejects:
        reject(None, None, None, "the file has a header but no data rows")
    if long is None or long.empty:
        return pd.DataFrame(columns=RAW_COLUMNS), rejects
    return _validate_values(long, reject), rejects


def validated(long: pd.DataFrame, *, source_file: str, file_hash: str
              ) -> tuple[pd.DataFrame, list[Reject]]:
    """Long rows of any yearbook shape -> checked raw rows (provinces, units, values)."""
    rejects: list[Reject] = []

    def reject(row, column, value, reason, severity="error"):
        rejects.append(Reject("yearbook", source_file, file_hash, row, column,
                              value, reason, severity))

    return _validate_values(long, reject), rejects


def _find_wide_header(grid: Grid) -> int | None:
    for i, row in enumerate(grid.rows[:30]):
        if clean_label(row[0]) in REGION_HEADERS and len(row) > 1 and \
                all(re.fullmatch(r"\d{4}(年)?", c) for c in row[1:] if c):
            return i
    return None


def _wide_to_long(grid: Grid, header_index: int, file_stem: str, reject) -> pd.DataFrame | None:
    label, line = file_stem, None
    for i, row in enumerate(grid.rows[:header_index]):
        match = METADATA.match(row[0])
        if match:
            label, line = match["name"].strip(), grid.line_numbers[i]
    name, unit = split_unit(label)
    indicator = find_indicator(label) or find_indicator(name)
    if indicator is None:
        reject(line, "指标", label, "unknown indicator (not in the indicator catalogue); "
               "file skipped", "warning")
        return None
    frame = grid_to_frame(grid, header_index)
    region_col = frame.columns[0]
    lookup = province_lookup()
    # Footnotes: marked lines, or text alone in the first cell that is not a province.
    alone = (frame[frame.columns[1:-1]].fillna("") == "").all(axis=1)
    known = frame[region_col].map(lambda v: lookup.code_for(v) is not None or lookup.is_aggregate(v))
    footnote = frame[region_col].str.match(FOOTNOTE).fillna(False) | (alone & ~known)
    frame = frame[~footnote]
    year_cols = [c for c in frame.columns[1:-1] if c]
    long = frame.melt(id_vars=[region_col, "source_row"], value_vars=year_cols,
                      var_name="year_label", value_name="value_text")
    long = long.rename(columns={region_col: "province_raw"})
    long["year"] = long["year_label"].str[:4].astype(int)
    long["indicator_code"], long["indicator_raw"] = indicator.code, label
    long["unit"] = unit or indicator.unit
    long["value_column"] = long["year_label"]
    return long


def _long_form(grid: Grid, reject) -> pd.DataFrame | None:
    frame = grid_to_frame(grid, 0)
    lowered = {c.strip().lower(): c for c in frame.columns}
    cols = {}
    for field, names in LONG_COLUMNS.items():
        cols[field] = next((lowered[n] for n in names if n in lowered), None)
    missing = [f for f in ("province", "year", "indicator", "value") if cols[f] is None]
    if missing:
        reject(grid.line_numbers[0], ", ".join(missing), None,
               "not a yearbook file: need an NBS wide export (地区, 2022年, ...) or the long "
               "form province, year, indicator, value; missing " + ", ".join(missing)
               + ". A panel (one row per province-year, one column per indicator) needs a "
               "mapping file beside it (<file name>.mapping.yml; README, panel files); the "
               "file's columns: " + ", ".join(c for c in frame.columns if c != "source_row"))
        return None
    labels = frame[cols["indicator"]]
    fallback = next((lowered[n] for n in INDICATOR_FALLBACK
                     if n in lowered and lowered[n] != cols["indicator"]), None)
    if fallback is not None:  # a code the catalogue lacks, with a name it knows
        names = frame[fallback]
        unknown_code = labels.map(lambda v: find_indicator(v) is None)
        labels = labels.where(~unknown_code | names.map(lambda v: find_indicator(v) is None),
                              names)
    matched = {v: find_indicator(v) for v in labels.unique()}
    unknown = labels.map(lambda v: matched[v] is None)
    for value, rows in frame[unknown].groupby(labels[unknown])["source_row"]:
        reject(int(rows.iloc[0]), cols["indicator"], value,
               f"unknown indicator (not in the indicator catalogue); {len(rows)} row(s) skipped",
               "warning")
    frame = frame[~unknown]
    labels = labels[~unknown]
    value_text = frame[cols["value"]]
    if cols["has_data"]:  # the portal writes 0 where it has no data: a missing value
        no_data = frame[cols["has_data"]].fillna("").str.strip().str.lower().isin(FALSE_WORDS)
        value_text = value_text.where(~no_data, "")
    long = pd.DataFrame({
        "province_raw": frame[cols["province"]], "source_row": frame["source_row"],
        "year_label": frame[cols["year"]], "value_text": value_text,
        "indicator_raw": labels,
    })
    long["indicator_code"] = long["indicator_raw"].map(lambda v: matched[v].code)
    file_units = frame[cols["unit"]] if cols["unit"] else pd.Series("", index=frame.index)
    catalogue_units = long["indicator_raw"].map(lambda v: matched[v].unit)
    long["unit"] = file_units.where(file_units.str.len() > 0, catalogue_units)
    year = pd.to_numeric(long["year_label"].str.replace("年", "", regex=False), errors="coerce")
    for row, value in zip(long.loc[year.isna(), "source_row"], long.loc[year.isna(), "year_label"]):
        reject(int(row), cols["year"], value, "year is not a number")
    long = long[year.notna()]
    long["year"] = year[year.notna()].astype(int)
    long["value_column"] = cols["value"]
    return long


def _validate_values(long: pd.DataFrame, reject) -> pd.DataFrame:
    lookup = province_lookup()
    aggregate = long["province_raw"].map(lookup.is_aggregate)
    long = long[~aggregate].copy()
    long["province_code"] = long["province_raw"].map(lookup.code_for)
    for row, value in long.loc[long["province_code"].isna(), ["source_row", "province_raw"]].values:
        reject(int(row), "地区/province", value, "unknown province (not a GB/T 2260 name)")
    families = unit_families()
    for (code, unit), rows in long.groupby(["indicator_code", "unit"])["source_row"]:
        expected = _catalogue_unit(code)
        if families.get(unit) is None or families.get(unit) != families.get(expected):
            reject(int(rows.iloc[0]), "unit", unit,
                   f"unit cannot be converted to the catalogue unit '{expected}' of {code}")
    text = long["value_text"].fillna("").str.strip()
    missing = text.str.lower().isin(MISSING_MARKERS)
    value = parse_number(text)
    bad = value.isna() & ~missing
    for row, col, val in long.loc[bad, ["source_row", "value_column", "value_text"]].values:
        reject(int(row), col, val, "value is not a number or a missing marker")
    for row, col, val in long.loc[value < 0, ["source_row", "value_column", "value_text"]].values:
        reject(int(row), col, val, "value is negative")
    long["value"] = value.where(~missing)
    long["value_text"] = text
    return long[RAW_COLUMNS]


def _catalogue_unit(code: str) -> str:
    cat = find_indicator(code)
    return cat.unit if isinstance(cat, Indicator) else ""
