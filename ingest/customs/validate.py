"""China Customs exports (province x HS code[, partner, month, trade mode]) -> raw rows.

Validation runs as SQL inside DuckDB, so a file of tens of millions of rows is scanned,
checked and inserted without being held in Python: large CSVs and Parquet files are read
by DuckDB itself; small CSV and Excel files come through the exact text reader.

The column names of the customs statistics service and their English equivalents are
matched case-insensitively. Only exports are kept. Values stay in the file's currency;
dbt converts CNY with the annual average rate so the conversion is visible in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ingest.customs.source import CustomsSource, quote as _q, source_from_grid
from ingest.errors import Reject
from ingest.numbers import sql_number
from ingest.readers import Grid
from ingest.reference import province_lookup
from warehouse.connection import DEFAULT_MEMORY_LIMIT, connection, memory_capped
from warehouse.customs_lake import LAKE_COMPRESSION, TYPED_SELECT, sql_path
from warehouse.seeds import seed_rows

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
RAW_COLUMNS = ["year", "month", "province_code", "region_code", "province_raw", "hs_code",
               "partner", "trade_mode", "quantity", "unit", "currency", "value", "source_row"]
# The raw row key: the finest grain a file has. Two customs region codes of one province
# (44031 Shenzhen, 44011 Guangzhou) are two rows, summed to the province downstream.
KEY = "month, province_code, region_code, hs_code, partner, trade_mode"
# The key checks count distinct keys over every row of a year: DuckDB spills that hash
# table and is no slower for it (50M rows: 3.3-3.8 s capped at 300 MB, 4.0-5.0 s at 1 GB),
# while at the run's cap the process would hold 1.2 GB for it, the load's peak.
KEY_CHECK_MEMORY = "400MB"


def _match_columns(header: list[str]) -> dict[str, str]:
    lowered = {h.strip().lower(): h for h in header}
    found = {}
    for field, names in SYNONYMS.items():
        for name in names:
            if name.lower() in lowered:
                found[field] = lowered[name.lower()]
                break
    return found


class _Rejector:
    def __init__(self, source_file: str, file_hash: str):
        self.source_file, self.file_hash = source_file, file_hash
        self.rejects: list[Reject] = []

    def add(self, row, column, value, reason: str):
        self.rejects.append(Reject("customs", self.source_file, self.file_hash, int(row),
                                   column, None if value is None else str(value), reason))

    def file(self, reason: str, column: str | None = None):
        self.rejects.append(Reject("customs", self.source_file, self.file_hash,
                                   None, column, None, reason))


REJECT_LIMIT = 100_000     # rows listed per file; beyond that one file-level line says how many
EXPORTS_SQL = ", ".join(f"'{f}'" for f in sorted(EXPORT_FLOWS))
IMPORTS_SQL = ", ".join(f"'{f}'" for f in sorted(IMPORT_FLOWS))
KNOWN_FLOWS_SQL = ", ".join(f"'{f}'" for f in sorted(EXPORT_FLOWS | IMPORT_FLOWS))


def _literal(value) -> str:
    return "null" if value is None else "'" + str(value).replace("'", "''") + "'"


def _text(column: str | None) -> str:
    return f"coalesce(trim({_q(column)}), '')" if column else "''"


def _money(expr: str) -> str:
    """A value as DECIMAL(18,2), exact at the cent, so sums do not depend on their order."""
    return f"try_cast({sql_number(expr)} as decimal(18,2))"


@dataclass
class _Typed:
    """SQL that turns a file's text columns into typed customs fields."""
    select: str
    flow: str
    period: str | None
    value_col: str
    province_col: str
    currency: str


def _required_missing(cols: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) for each required column the header lacks."""
    out = []
    for needed, alternatives in [("hs_code", ["hs_code"]),
                                 ("province", ["province_name", "province_code"]),
                                 ("value", ["value_usd", "value_cny"]),
                                 ("year", ["year", "period"])]:
        if not any(a in cols for a in alternatives):
            names = " / ".join(SYNONYMS[a][0] + " or " + SYNONYMS[a][1] for a in alternatives)
            out.append((needed, f"missing required column: {names}"))
    return out


def _typed(cols: dict[str, str]) -> _Typed:
    currency = "USD" if "value_usd" in cols else "CNY"
    value_col = cols["value_usd" if currency == "USD" else "value_cny"]
    province_col = cols.get("province_name", cols.get("province_code"))
    period = _text(cols["period"]) if "period" in cols else None
    year_text = _text(cols["year"]) if "year" in cols else f"substr({period}, 1, 4)"
    month = f"try_cast(substr({period}, 5, 2) as integer)" if period else "cast(null as integer)"
    quantity = sql_number(_text(cols["quantity"])) if "quantity" in cols else "cast(null as double)"
    flow = f"lower({_text(cols['flow'])})" if "flow" in cols else "'export'"
    # the 5-digit customs region code, when the file has one (the code column, else the
    # province column): part of the row key, so two regions of a province stay two rows
    region = _text(cols.get("province_code", province_col))
    select = f"""source_row, {flow} as flow, {period or "''"} as period,
               {year_text} as year_text, try_cast({year_text} as integer) as year,
               {month} as month, {_text(province_col)} as province_raw,
               case when regexp_full_match({region}, '\\d{{5}}') then {region} else '' end
                   as region_code,
               {_text(cols['hs_code'])} as hs_code, {_text(value_col)} as value_text,
               {_money(_text(value_col))} as value, {_text(cols.get('partner'))} as partner,
               {_text(cols.get('trade_mode'))} as trade_mode,
               {_text(cols.get('unit'))} as unit, {quantity} as quantity"""
    return _Typed(select, flow, period, value_col, province_col, currency)


def _province_labels(conn, name: str) -> None:
    """Register the exact spellings the province lookup accepts (names as the seed writes
    them and cleaned, 6-digit codes, 2-digit prefixes, every 5-digit customs region code)
    for an equality join; anything else is left to the exact path."""
    lookup = province_lookup()
    pairs = dict(lookup.by_label)
    for row in seed_rows("ref_provinces"):
        for label in [row["name_zh"], row["short_zh"], row["name_en"], *row["alt_names"].split("|")]:
            if label and lookup.code_for(label) == row["code"]:
                pairs[label] = row["code"]
    for code in lookup.codes:
        pairs.update({code: code, code[:2]: code})
        pairs.update({f"{code[:2]}{i:03d}": code for i in range(1000)})
    conn.register(name, pd.DataFrame({"label": list(pairs), "province_code": list(pairs.values())},
                                     dtype="string"))


def write_customs_fast(conn, source: CustomsSource, target: Path, *, folder_year: int,
                       source_file: str | None, file_hash: str | None, loaded_at) -> int | None:
    """Write a file's export rows to the Parquet file ``target`` in one streaming pass.

    The common case, a clean file, is written without staging. A row the quick SQL
    checks cannot vouch for (bad year/period/flow, a province spelled in a way only the
    full lookup knows, a bad code or value) gets a NULL month marker or province code,
    which ``customs_file_is_clean`` finds; the caller then runs the exact path
    (``stage_customs``), which names every problem. Returns the rows written, or None if
    the header already rules the fast path out.
    """
    if not source.header or source.header_only:
        return None
    cols = _match_columns(source.header)
    if _required_missing(cols):
        return None
    t = _typed(cols)
    valid = [f"flow in ({EXPORTS_SQL})", f"year = {int(folder_year)}"]
    if t.period:
        valid.append("regexp_full_match(period, '\\d{6}')")
    _province_labels(conn, "customs__labels")
    # one file: its name and hash are parameters; a batch of files names them per row
    carried, named, params = ((", source_file, file_hash", "source_file, file_hash", [])
                              if source.file_columns else
                              ("", "? as source_file, ? as file_hash", [source_file, file_hash]))
    try:
        conn.execute(f"""
            copy (select {TYPED_SELECT} from (
                select month, case when {' and '.join(valid)} then l.province_code end
                           as province_code,
                       region_code, province_raw, hs_code, partner, trade_mode, quantity, unit,
                       '{t.currency}' as currency, value, {named},
                       source_row, cast(? as timestamp) as loaded_at
                from (select {t.select}{carried} from {source.relation}
                      where {t.flow} not in ({IMPORTS_SQL})) s
                left join customs__labels l on l.label = s.province_raw)
            ) to {sql_path(target)} (format parquet, compression {LAKE_COMPRESSION})""",
                     [*params, loaded_at])
    finally:
        conn.unregister("customs__labels")
    return conn.execute(f"select count(*) from read_parquet({sql_path(target)})").fetchone()[0]


def invalid_rows(conn, target: Path) -> int:
    """Rows of a fast-path file the quick checks could not vouch for (a scan of three
    columns: 0.1 s per 20M rows)."""
    return conn.execute(f"""
        select count(*) filter (where province_code is null or value is null or value < 0
              or not regexp_full_match(hs_code, '\\d{{6}}|\\d{{8}}|\\d{{10}}'))
        from read_parquet({sql_path(target)})""").fetchone()[0]


def customs_file_is_clean(conn, target: Path, *, check_keys: bool) -> bool:
    """True if every row of a fast-path file passed the quick checks and, with
    ``check_keys``, no row key repeats in the file."""
    return invalid_rows(conn, target) == 0 and not (check_keys and repeated_keys(conn, [target]))


def repeated_keys(conn, files: list[Path]) -> int:
    """How many rows of these Parquet files repeat a row key (within or across files)."""
    if not files:
        return 0
    listed = ", ".join(sql_path(f) for f in files)
    with memory_capped(conn, KEY_CHECK_MEMORY):
        return conn.execute(f"select count(*) - count(distinct hash({KEY})) "
                            f"from read_parquet([{listed}])").fetchone()[0]


def write_staged(conn, table: str, target: Path) -> int:
    """The valid rows ``stage_customs`` left in ``table`` -> the Parquet file ``target``."""
    conn.execute(f"copy (select {TYPED_SELECT} from {table} order by source_row) "
                 f"to {sql_path(target)} (format parquet, compression {LAKE_COMPRESSION})")
    return conn.execute(f"select count(*) from read_parquet({sql_path(target)})").fetchone()[0]


def stage_customs(conn: duckdb.DuckDBPyConnection, source: CustomsSource, *, folder_year: int,
                  source_file: str, file_hash: str, table: str,
                  loaded_at=None) -> list[Reject]:
    """Validate one customs file inside DuckDB.

    Leaves the temp view ``table`` with the file's valid export rows (raw column order)
    and returns the rejects: file-level problems, bad rows, conflicting duplicates.
    """
    rej = _Rejector(source_file, file_hash)
    if not source.header:
        rej.file("file is empty")
        return rej.rejects
    cols = _match_columns(source.header)
    for needed, message in _required_missing(cols):
        rej.file(message, needed)
    if source.header_only:
        rej.file("the file has a header but no data rows")
    if rej.rejects:
        return rej.rejects

    t = _typed(cols)
    period, value_col, province_col, currency = t.period, t.value_col, t.province_col, t.currency
    stg, bad, dup, prov = (f"{table}__{s}" for s in ("stg", "bad", "dup", "prov"))
    # every row, imports too: a streamed file's rows are numbered by their order here
    conn.execute(f"create or replace temp table {stg} as select {t.select} "
                 f"from {source.relation}")
    row = "coalesce(source_row, cast(rowid + 2 as integer))"
    lookup = province_lookup()
    raws = [r[0] for r in conn.execute(f"select distinct province_raw from {stg}").fetchall()]
    conn.register(prov, pd.DataFrame({"province_raw": raws,
                                      "province_code": [lookup.code_for(v) for v in raws]},
                                     columns=["province_raw", "province_code"], dtype="string"))
    checks = [  # (condition, column named in the message, value shown, reason)
        (f"flow not in ({KNOWN_FLOWS_SQL})", cols.get("flow"), "flow",
         "flow is neither export (出口) nor import (进口)"),
        ("not regexp_full_match(period, '\\d{6}')" if period else None, cols.get("period"),
         "period", "period must be YYYYMM"),
        (f"year is distinct from {int(folder_year)}", cols.get("year", cols.get("period")),
         "year_text", f"year outside the file's folder customs/{folder_year}/"),
        ("p.province_code is null", province_col, "s.province_raw",
         "unknown province (not a GB/T 2260 name or code)"),
        ("regexp_full_match(hs_code, '\\d{7}|\\d{9}')", cols["hs_code"], "hs_code",
         "HS code has an odd number of digits: it probably lost its leading zero"),
        ("not regexp_full_match(hs_code, '\\d{6,10}')", cols["hs_code"], "hs_code",
         "malformed HS code (need 6, 8 or 10 digits as text)"),
        ("value is null", value_col, "value_text", "value is not a number"),
        ("value < 0", value_col, "value_text", "value is negative"),
    ]
    exports = f"flow in ({EXPORTS_SQL})"
    parts = [f"select {row} as source_row, {i} as check_no, cast({shown} as varchar) as value "
             f"from {stg} s left join {prov} p using (province_raw) where ({cond})"
             + ("" if i == 0 else f" and {exports}")
             for i, (cond, _, shown, _) in enumerate(checks) if cond]
    conn.execute(f"create or replace temp table {bad} as " + " union all ".join(parts))
    n_bad = conn.execute(f"select count(*) from {bad}").fetchone()[0]
    for source_row, check_no, value in conn.execute(
            f"select * from {bad} order by source_row, check_no limit {REJECT_LIMIT}").fetchall():
        rej.add(source_row, checks[check_no][1], value, checks[check_no][3])
    if n_bad > REJECT_LIMIT:
        rej.file(f"{n_bad - REJECT_LIMIT} more rejected rows are not listed here")

    good = (f"(select {row} as source_row, * exclude (source_row) from {stg} where {exports}"
            + (f" and {row} not in (select source_row from {bad}))" if n_bad else ")"))
    key = "coalesce(month, -1), p.province_code, region_code, hs_code, partner, trade_mode"
    good_p = f"{good} g join {prov} p using (province_raw)"
    repeated = conn.execute(f"select count(*) from (select 1 from {good_p} group by {key} "
                            "having count(*) > 1)").fetchone()[0]
    keep = ""
    if repeated:  # identical repeats: keep the first; the same key with other values: reject
        conn.execute(f"""
            create or replace temp table {dup} as
            select source_row, value,
                   row_number() over (partition by {key}, value order by source_row) as nth,
                   count(distinct value) over (partition by {key}) as n_values
            from {good_p}
            qualify count(*) over (partition by {key}) > 1""")
        for source_row, value in conn.execute(
                f"select source_row, value from {dup} where n_values > 1 and nth = 1 "
                f"order by source_row limit {REJECT_LIMIT}").fetchall():
            rej.add(source_row, "value", value,
                    "duplicate key (month, province, region code, HS code, partner, "
                    "trade mode) with different values")
        keep = f" where g.source_row not in (select source_row from {dup} where nth > 1 or n_values > 1)"
    conn.execute(f"""
        create or replace temp view {table} as
        select g.year, g.month, p.province_code, g.region_code, g.province_raw, g.hs_code,
               g.partner, g.trade_mode, g.quantity, g.unit, '{currency}' as currency, g.value,
               {_literal(source_file)} as source_file, {_literal(file_hash)} as file_hash,
               g.source_row, cast({_literal(loaded_at)} as timestamp) as loaded_at
        from {good_p}{keep}""")
    return rej.rejects


def drop_staged(conn, table: str) -> None:
    conn.execute(f"drop view if exists {table}")
    for suffix in ("stg", "bad", "dup"):
        conn.execute(f"drop table if exists {table}__{suffix}")
    for name in (f"{table}__prov", f"{table}__grid"):
        try:
            conn.unregister(name)
        except duckdb.Error:
            pass


def parse_customs(grid: Grid, *, folder_year: int, source_file: str, file_hash: str,
                  memory_limit: str = DEFAULT_MEMORY_LIMIT) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate one customs file already read as text. Returns (export rows, rejects)."""
    with connection(None, memory_limit=memory_limit) as conn:
        source = source_from_grid(conn, grid, "customs__grid")
        rejects = stage_customs(conn, source, folder_year=folder_year, source_file=source_file,
                                file_hash=file_hash, table="customs")
        if any(r.source_row is None for r in rejects):
            return pd.DataFrame(columns=RAW_COLUMNS), rejects
        return conn.execute(f"select {', '.join(RAW_COLUMNS)} from customs "
                            "order by source_row").df(), rejects
