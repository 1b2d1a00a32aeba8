"""China Customs exports (province x HS code[, partner, month, trade mode]) -> raw rows.

The column names of the customs statistics service and their English equivalents are
matched case-insensitively. Only exports are kept. Values stay in the file's currency;
dbt converts CNY with the annual average rate so the conversion is visible in SQL.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingest.errors import Reject
from ingest.reference import province_lookup
from ingest.readers import Grid, grid_to_frame

SYNONYMS = {
    "year": ["year", "年份"],
    "period": ["数据年月", "month", "年月"],
    "province_name": ["province", "注册地名称", "收发货人注册地名称", "省份"],
    "province_code": ["province_code", "注册地编码", "收发货人注册地编码"],
    "hs_code": ["hs_code", "商品编码", "hs"],
    "value_usd": ["value_usd", "美元", "金额(美元)"],
    "value_cny": ["value_cny", "人民币", "金额(人民币)"],
    "partner": ["partner", "贸易伙伴名称", "贸易伙伴编码", "贸易伙伴"],
    "trade_mode": ["trade_mode", "贸易方式名称", "贸易方式"],
    "quantity": ["quantity", "数量", "第一数量"],
    "unit": ["unit", "计量单位", "第一计量单位"],
    "flow": ["flow", "进出口"],
}
EXPORT_FLOWS = {"出口", "export", "exports", "x", "e"}
IMPORT_FLOWS = {"进口", "import", "imports", "m", "i"}
RAW_COLUMNS = ["year", "month", "province_code", "province_raw", "hs_code", "partner",
               "trade_mode", "quantity", "unit", "currency", "value", "source_row"]
KEY = ["year", "month", "province_code", "hs_code", "partner", "trade_mode"]


def _match_columns(header: list[str]) -> dict[str, str]:
    lowered = {h.strip().lower(): h for h in header}
    found = {}
    for field, names in SYNONYMS.items():
        for name in names:
            if name.lower() in lowered:
                found[field] = lowered[name.lower()]
                break
    return found


def parse_number(text: pd.Series) -> pd.Series:
    """'1,234.5' -> 1234.5; anything else non-numeric -> NaN."""
    cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False)
    return pd.to_numeric(cleaned.str.strip(), errors="coerce")


class _Rejector:
    def __init__(self, source_file: str, file_hash: str):
        self.source_file, self.file_hash = source_file, file_hash
        self.rejects: list[Reject] = []

    def rows(self, frame: pd.DataFrame, mask: pd.Series, column: str, values, reason: str):
        for row, value in zip(frame.loc[mask, "source_row"], pd.Series(values)[mask]):
            self.rejects.append(Reject("customs", self.source_file, self.file_hash,
                                       int(row), column, str(value), reason))

    def file(self, reason: str, column: str | None = None):
        self.rejects.append(Reject("customs", self.source_file, self.file_hash,
                                   None, column, None, reason))


def parse_customs(grid: Grid, *, folder_year: int, source_file: str,
                  file_hash: str) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate one customs file. Returns (export rows, rejects)."""
    rej = _Rejector(source_file, file_hash)
    if not grid.rows:
        rej.file("file is empty")
        return pd.DataFrame(columns=RAW_COLUMNS), rej.rejects
    frame = grid_to_frame(grid, 0)
    cols = _match_columns(list(frame.columns[:-1]))
    for needed, alternatives in [("hs_code", ["hs_code"]),
                                 ("province", ["province_name", "province_code"]),
                                 ("value", ["value_usd", "value_cny"]),
                                 ("year", ["year", "period"])]:
        if not any(a in cols for a in alternatives):
            names = " / ".join(SYNONYMS[a][0] + " or " + SYNONYMS[a][1] for a in alternatives)
            rej.file(f"missing required column: {names}", needed)
    if rej.rejects:
        return pd.DataFrame(columns=RAW_COLUMNS), rej.rejects
    if frame.empty:
        rej.file("the file has a header but no data rows")
        return pd.DataFrame(columns=RAW_COLUMNS), rej.rejects

    if "flow" in cols:
        flow = frame[cols["flow"]].str.strip().str.lower()
        unknown = ~flow.isin(EXPORT_FLOWS | IMPORT_FLOWS)
        rej.rows(frame, unknown, cols["flow"], flow, "flow is neither export (出口) nor import (进口)")
        frame = frame[flow.isin(EXPORT_FLOWS)].copy()

    out = pd.DataFrame({"source_row": frame["source_row"].astype("int64")}, index=frame.index)
    period = frame[cols["period"]].str.strip() if "period" in cols else None
    if period is not None:
        bad = ~period.str.fullmatch(r"\d{6}").fillna(False)
        rej.rows(frame, bad, cols["period"], period, "period must be YYYYMM")
        out["month"] = pd.to_numeric(period.str[4:6], errors="coerce").astype("Int64")
    else:
        out["month"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    year_text = frame[cols["year"]].str.strip() if "year" in cols else period.str[:4]
    year = pd.to_numeric(year_text, errors="coerce").astype("Int64")
    wrong_year = (year != folder_year).fillna(True)
    column = cols.get("year", cols.get("period"))
    rej.rows(frame, wrong_year, column, year_text,
             f"year outside the file's folder customs/{folder_year}/")
    out["year"] = year

    if "province_name" in cols:
        raw_province = frame[cols["province_name"]]
        column = cols["province_name"]
    else:
        raw_province = frame[cols["province_code"]]
        column = cols["province_code"]
    lookup = province_lookup()
    mapping = {v: lookup.code_for(v) for v in raw_province.unique()}
    out["province_code"] = raw_province.map(mapping)
    out["province_raw"] = raw_province
    rej.rows(frame, out["province_code"].isna(), column, raw_province,
             "unknown province (not a GB/T 2260 name or code)")

    hs = frame[cols["hs_code"]].str.strip()
    short = hs.str.fullmatch(r"\d{7}|\d{9}").fillna(False)
    malformed = ~hs.str.fullmatch(r"\d{6}|\d{8}|\d{10}").fillna(False)
    rej.rows(frame, short, cols["hs_code"], hs,
             "HS code has an odd number of digits: it probably lost its leading zero")
    rej.rows(frame, malformed & ~short, cols["hs_code"], hs,
             "malformed HS code (need 6, 8 or 10 digits as text)")
    out["hs_code"] = hs

    currency = "USD" if "value_usd" in cols else "CNY"
    value_col = cols["value_usd" if currency == "USD" else "value_cny"]
    value = parse_number(frame[value_col])
    rej.rows(frame, value.isna(), value_col, frame[value_col], "value is not a number")
    rej.rows(frame, value < 0, value_col, frame[value_col], "value is negative")
    out["currency"], out["value"] = currency, value

    for field in ("partner", "trade_mode", "unit"):
        out[field] = frame[cols[field]].str.strip() if field in cols else ""
    out["quantity"] = parse_number(frame[cols["quantity"]]) if "quantity" in cols else float("nan")

    bad_rows = {r.source_row for r in rej.rejects}
    out = out[~out["source_row"].isin(bad_rows)]
    out = _drop_duplicates(out, rej)
    return out[RAW_COLUMNS].reset_index(drop=True), rej.rejects


def _drop_duplicates(out: pd.DataFrame, rej: _Rejector) -> pd.DataFrame:
    """Identical repeats are dropped; the same key with another value is an error."""
    out = out.drop_duplicates(subset=KEY + ["value"], keep="first")
    clash = out.duplicated(subset=KEY, keep=False)
    if clash.any():
        rej.rows(out, clash, "value", out["value"],
                 "duplicate key (year, month, province, HS code, partner, trade mode) "
                 "with different values")
        out = out[~clash]
    return out


def folder_year(path: Path, customs_root: Path) -> int | None:
    """The <year> of customs/<year>/...; None if the folder is not a year."""
    first = path.relative_to(customs_root).parts[0]
    return int(first) if re.fullmatch(r"\d{4}", first) else None
