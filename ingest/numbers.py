"""Numbers as the landing files write them: '1,234.5' (ASCII or full-width comma)."""
from __future__ import annotations

import pandas as pd


def parse_number(text: pd.Series) -> pd.Series:
    """'1,234.5' -> 1234.5; anything else non-numeric -> NaN."""
    cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False)
    return pd.to_numeric(cleaned.str.strip(), errors="coerce")


def sql_number(expr: str) -> str:
    """SQL twin of parse_number: '1,234.5' -> 1234.5; anything else -> NULL.

    The commas are removed only from the values that have one: replacing in every value
    cost a third of the time of this expression over a 50M-row year."""
    cleaned = (f"case when contains({expr}, ',') or contains({expr}, '，') "
               f"then replace(replace({expr}, ',', ''), '，', '') else {expr} end")
    return f"try_cast({cleaned} as double)"
