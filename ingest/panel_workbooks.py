"""Researchers' panel files: one row per province-year, one column per indicator.

An xlsx workbook or a Stata .dta file, with a mapping beside it named after the file plus
``.mapping.yml`` (``panel.xlsx.mapping.yml``)::

    sheet: panel data        # optional; default the first sheet (ignored for .dta)
    province: province       # column of province names or GB/T 2260 codes
    year: year
    columns:                 # file column -> catalogue code; other columns are reported
      x1: optical_cable
      x7: software_revenue
    units:                   # optional: a column's unit where it is not the catalogue's
      x7: 亿元

The mapped columns become the same long rows as every other yearbook file (province, year,
indicator, value, unit, line), so units convert through the unit table and values are
checked the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ingest.errors import Reject
from ingest.readers import UnreadableFile
from ingest.reference import find_indicator
from ingest.yearbook import unit_families

MAPPING_SUFFIX = ".mapping.yml"
PANEL_SUFFIXES = {".dta"}  # always panel files; an xlsx or csv is one when it has a mapping


def mapping_path(path: Path) -> Path:
    return path.with_name(path.name + MAPPING_SUFFIX)


def is_panel_file(path: Path) -> bool:
    return path.suffix.lower() in PANEL_SUFFIXES or mapping_path(path).exists()


@dataclass(frozen=True)
class PanelMapping:
    province: str
    year: str
    columns: dict[str, str]
    units: dict[str, str] = field(default_factory=dict)
    sheet: str | int = 0


def read_mapping(path: Path) -> PanelMapping:
    """The mapping file; a malformed one raises UnreadableFile naming what is missing."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UnreadableFile(f"{path.name} is not valid YAML: {exc}") from exc
    missing = [k for k in ("province", "year", "columns") if not spec.get(k)]
    if missing:
        raise UnreadableFile(f"{path.name} lacks {', '.join(missing)} (see README, panel files)")
    return PanelMapping(str(spec["province"]), str(spec["year"]),
                        {str(k): str(v) for k, v in spec["columns"].items()},
                        {str(k): str(v) for k, v in (spec.get("units") or {}).items()},
                        spec.get("sheet", 0))


def read_panel_frame(path: Path, sheet: str | int = 0) -> tuple[pd.DataFrame, int]:
    """The file's cells as text, and the line of its first data row (xlsx: 2, the row under
    the header; .dta: 1, the first observation)."""
    try:
        if path.suffix.lower() == ".dta":
            frame = pd.read_stata(path, convert_categoricals=False)
            first = 1
        else:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=object)
            first = 2
    except Exception as exc:  # a truncated file, a sheet that does not exist, ...
        raise UnreadableFile(f"cannot be read as {path.suffix[1:]}: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    text = frame.apply(lambda col: col.map(_text))
    return text, first


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def missing_mapping(path: Path, columns: list[str]) -> str:
    return (f"a panel file (one row per province-year, one column per indicator) needs a "
            f"mapping: write {mapping_path(path).name} beside it with province, year and "
            f"columns (file column -> catalogue code; README, panel files). The file's "
            f"columns: {', '.join(columns)}")


def panel_to_long(path: Path, *, source_file: str, file_hash: str
                  ) -> tuple[pd.DataFrame | None, list[Reject]]:
    """Long rows (the columns yearbook._validate_values takes) of a mapped panel file."""
    rejects: list[Reject] = []

    def reject(row, column, value, reason, severity="error"):
        rejects.append(Reject("yearbook", source_file, file_hash, row, column,
                              None if value is None else str(value), reason, severity))

    mapping_file = mapping_path(path)
    if not mapping_file.exists():
        frame, _ = read_panel_frame(path)
        reject(None, None, None, missing_mapping(path, list(frame.columns)))
        return None, rejects
    mapping = read_mapping(mapping_file)
    frame, first = read_panel_frame(path, mapping.sheet)
    named = [mapping.province, mapping.year, *mapping.columns]
    absent = [c for c in named if c not in frame.columns]
    for column in absent:
        reject(None, column, None, f"{mapping_file.name} names column '{column}', which the "
               f"file lacks; its columns: {', '.join(frame.columns)}")
    for column, code in mapping.columns.items():
        if find_indicator(code) is None:
            reject(None, column, code, f"{mapping_file.name} maps '{column}' to '{code}', "
                   "which is not in the indicator catalogue (seed indicator_catalogue): use a "
                   "catalogue code or add the indicator there")
    if rejects:
        return None, rejects
    families = unit_families()
    for column, code in mapping.columns.items():
        catalogue_unit = find_indicator(code).unit
        unit = mapping.units.get(column, catalogue_unit)
        if families.get(unit) is None or families.get(unit) != families.get(catalogue_unit):
            reject(None, column, unit, f"unit '{unit}' of column '{column}' cannot be converted "
                   f"to {code}'s catalogue unit '{catalogue_unit}': fix `units:` in "
                   f"{mapping_file.name}, or add the unit to the seed unit_conversions")
    if rejects:
        return None, rejects
    for column in frame.columns:
        if column not in named:
            reject(None, column, None, f"column not in {mapping_file.name}; skipped", "warning")
    parts = []
    for column, code in mapping.columns.items():
        indicator = find_indicator(code)
        parts.append(pd.DataFrame({
            "province_raw": frame[mapping.province], "year_label": frame[mapping.year],
            "value_text": frame[column], "indicator_raw": column,
            "indicator_code": indicator.code,
            "unit": mapping.units.get(column, indicator.unit), "value_column": column,
            "source_row": range(first, first + len(frame))}))
    long = pd.concat(parts, ignore_index=True)
    year = pd.to_numeric(long["year_label"], errors="coerce")
    for row, value in long.loc[year.isna(), ["source_row", "year_label"]].drop_duplicates(
            "source_row").values:
        reject(int(row), mapping.year, value, "year is not a number")
    long = long[year.notna()].copy()
    long["year"] = year[year.notna()].astype(int)
    return long, rejects
