"""Optional world trade inputs for the `world` PRODY variant.

``world/trade/*``: country, year, hs6, hs_revision, export_value_usd (country x HS6 x year).
``world/gdp_per_capita.csv``: country, year, gdp_per_capita.
"""
from __future__ import annotations

import pandas as pd

from ingest.errors import Reject
from ingest.numbers import parse_number
from ingest.readers import Grid, grid_to_frame

REVISIONS = {"hs2012": "HS2012", "2012": "HS2012", "h4": "HS2012",
             "hs2017": "HS2017", "2017": "HS2017", "h5": "HS2017",
             "hs2022": "HS2022", "2022": "HS2022", "h6": "HS2022"}
TRADE_COLUMNS = ["country", "year", "hs6", "hs_revision", "export_value_usd"]
GDP_COLUMNS = ["country", "year", "gdp_per_capita"]


def _frame(grid: Grid, needed: list[str], source_file: str, file_hash: str):
    rejects: list[Reject] = []
    if not grid.rows:
        return None, [Reject("world", source_file, file_hash, None, None, None, "file is empty")]
    frame = grid_to_frame(grid, 0)
    frame.columns = [c.strip().lower() if c != "source_row" else c for c in frame.columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        rejects.append(Reject("world", source_file, file_hash, None, ", ".join(missing), None,
                              f"missing required column(s): {', '.join(missing)}"))
        return None, rejects
    return frame, rejects


def _numeric(frame, column, source_file, file_hash, rejects, allow_negative=False):
    value = parse_number(frame[column])
    bad = value.isna() | (False if allow_negative else value < 0)
    for row, text in frame.loc[bad, ["source_row", column]].values:
        rejects.append(Reject("world", source_file, file_hash, int(row), column, text,
                              "value is not a non-negative number"))
    return value


def parse_world_trade(grid: Grid, *, source_file: str, file_hash: str):
    frame, rejects = _frame(grid, TRADE_COLUMNS, source_file, file_hash)
    if frame is None:
        return pd.DataFrame(columns=[*TRADE_COLUMNS, "source_row"]), rejects
    hs6 = frame["hs6"].str.strip()
    revision = frame["hs_revision"].str.strip().str.lower().map(REVISIONS)
    for row, text in frame.loc[~hs6.str.fullmatch(r"\d{6}").fillna(False), ["source_row", "hs6"]].values:
        rejects.append(Reject("world", source_file, file_hash, int(row), "hs6", text,
                              "HS6 code must be 6 digits as text"))
    for row, text in frame.loc[revision.isna(), ["source_row", "hs_revision"]].values:
        rejects.append(Reject("world", source_file, file_hash, int(row), "hs_revision", text,
                              "unknown HS revision (HS2012, HS2017 or HS2022)"))
    out = pd.DataFrame({"country": frame["country"].str.strip(),
                        "year": pd.to_numeric(frame["year"], errors="coerce").astype("Int64"),
                        "hs6": hs6, "hs_revision": revision,
                        "export_value_usd": _numeric(frame, "export_value_usd", source_file,
                                                     file_hash, rejects),
                        "source_row": frame["source_row"]})
    return out[~out["source_row"].isin({r.source_row for r in rejects})], rejects


def parse_world_gdp(grid: Grid, *, source_file: str, file_hash: str):
    frame, rejects = _frame(grid, GDP_COLUMNS, source_file, file_hash)
    if frame is None:
        return pd.DataFrame(columns=[*GDP_COLUMNS, "source_row"]), rejects
    out = pd.DataFrame({"country": frame["country"].str.strip(),
                        "year": pd.to_numeric(frame["year"], errors="coerce").astype("Int64"),
                        "gdp_per_capita": _numeric(frame, "gdp_per_capita", source_file,
                                                   file_hash, rejects),
                        "source_row": frame["source_row"]})
    return out[~out["source_row"].isin({r.source_row for r in rejects})], rejects
