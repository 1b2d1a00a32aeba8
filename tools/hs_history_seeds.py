"""Extend the HS seeds back to HS2002 and HS2007 from the UN correlation tables.

Maintenance script, run by hand when the seeds change (not part of the pipeline; needs
`pip install pyreadr`). Input: the R package `concordance` (Kim, Liao and Imai; github
insongkim/concordance), whose data files carry the UN Statistics Division's HS
correlation tables and code lists: `hs3_hs2.RData` (HS2007 -> HS2002), `hs4_hs3.RData`
(HS2012 -> HS2007), `hs2_desc.RData`, `hs3_desc.RData` (HS2002, HS2007 codes).

    python tools/hs_history_seeds.py <folder with the .RData files>

Writes into dbt_project/seeds/:
- ref_hs_correlation_2002_2007.csv, ref_hs_correlation_2007_2012.csv: every link that
  touches a basket heading, except a code that maps only to itself (the UN tables list
  changed codes only; unchanged codes are linked to themselves by the models), with the
  relationship (1:1, 1:n, n:1, n:n) counted over the whole table;
- ref_hs6_healthcare_candidates.csv: columns in_HS2002 and in_HS2007, and the basket's
  codes that were deleted before HS2012 (their group from the heading).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyreadr

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def _read(folder: Path, name: str) -> pd.DataFrame:
    return next(iter(pyreadr.read_r(str(folder / f"{name}.RData")).values()))


def _links(table: pd.DataFrame, new: str, old: str, headings: set[str]) -> pd.DataFrame:
    """(new code, old code, rel) of a correlation table, the links touching the basket."""
    links = table[[f"{new}_6d", f"{old}_6d"]].drop_duplicates()
    links.columns = ["new", "old"]
    per_old = links.groupby("old").new.transform("nunique")
    per_new = links.groupby("new").old.transform("nunique")
    links["rel"] = [f"{'n' if b > 1 else '1'}:{'n' if a > 1 else '1'}"
                    for a, b in zip(per_old, per_new)]
    touches = links.new.str[:4].isin(headings) | links.old.str[:4].isin(headings)
    unchanged = (links.new == links.old) & (links.rel == "1:1")
    return links[touches & ~unchanged].sort_values(["new", "old"])


def main(folder: Path) -> None:
    candidates = pd.read_csv(SEEDS / "ref_hs6_healthcare_candidates.csv", dtype=str,
                             keep_default_na=False)
    group_of = dict(zip(candidates.hs4, candidates.group))
    headings = set(group_of)
    codes = {}
    for rev, name in (("HS2002", "hs2_desc"), ("HS2007", "hs3_desc")):
        desc = _read(folder, name)
        desc = desc[desc.code.str.len() == 6]
        codes[rev] = dict(zip(desc.code, desc.desc))
    for rev in ("HS2002", "HS2007"):
        candidates[f"in_{rev}"] = [str(c in codes[rev]) for c in candidates.hs6]
    # codes deleted before HS2012 join the basket when their heading is a core heading
    # (groups A-C hold whole headings) or when a correlation link ties them to a basket
    # code (the optional groups D-E list single codes)
    hs2012 = set(_read(folder, "hs4_desc").code)
    core = {h for h, g in group_of.items() if g[0] in "ABC"}
    known = set(candidates.hs6)
    tables = [_read(folder, "hs3_hs2"), _read(folder, "hs4_hs3")]
    linked = {c for t in tables for a, b in zip(t.iloc[:, 0], t.iloc[:, 3])
              for c in (a, b) if ({a, b} & known)}
    extra = []
    for code in sorted(set(codes["HS2002"]) | set(codes["HS2007"])):
        if (code[:4] in headings and code not in known and code not in hs2012
                and (code[:4] in core or code in linked)):
            extra.append({"group": group_of[code[:4]], "hs4": code[:4], "hs6": code,
                          "in_HS2012": "False", "in_HS2017": "False", "in_HS2022": "False",
                          "desc": codes["HS2007"].get(code) or codes["HS2002"][code],
                          "in_HS2002": str(code in codes["HS2002"]),
                          "in_HS2007": str(code in codes["HS2007"])})
    columns = ["group", "hs4", "hs6", "in_HS2002", "in_HS2007", "in_HS2012", "in_HS2017",
               "in_HS2022", "desc"]
    out = pd.concat([candidates, pd.DataFrame(extra)], ignore_index=True)[columns]
    out.sort_values(["group", "hs6"], kind="stable").to_csv(
        SEEDS / "ref_hs6_healthcare_candidates.csv", index=False)
    for table, new, old, target in ((_read(folder, "hs3_hs2"), "HS3", "HS2", "2002_2007"),
                                    (_read(folder, "hs4_hs3"), "HS4", "HS3", "2007_2012")):
        links = _links(table, new, old, headings)
        first, second = target.split("_")
        links.rename(columns={"new": f"HS{second}", "old": f"HS{first}"}).to_csv(
            SEEDS / f"ref_hs_correlation_{target}.csv", index=False)
    print(f"{len(extra)} HS2002/HS2007-only codes added; links written")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
