"""Healthcare HS6 product families across HS2012, HS2017 and HS2022.

A family is a connected component of the graph whose nodes are (revision, HS6) codes of
the basket and whose edges are the UN correlation-table links between them, plus the link of a code
present unchanged in two consecutive revisions; links to codes outside the basket are ignored (docs/methodology.md section 1). The dbt model
``dim_hs_product_family`` computes the same thing in SQL; this twin checks it.
"""
from __future__ import annotations

import pandas as pd

REVISIONS = ("HS2012", "HS2017", "HS2022")
DEFAULT_GROUPS = ("pharma", "api", "meddev")
GROUP_BY_PREFIX = {"A": "pharma", "B": "api", "C": "meddev", "D": "consumables_diag", "E": "tcm"}


def revision_for_year(year: int) -> str:
    """China applied HS2012 in 2012-2016, HS2017 in 2017-2021 and HS2022 from 2022."""
    if year >= 2022:
        return "HS2022"
    return "HS2017" if year >= 2017 else "HS2012"


def basket_nodes(candidates: pd.DataFrame, groups=DEFAULT_GROUPS) -> pd.DataFrame:
    """(revision, hs6, basket_group) for every basket code present in each revision."""
    cand = candidates.assign(basket_group=candidates["group"].str[0].map(GROUP_BY_PREFIX))
    cand = cand[cand["basket_group"].isin(groups)]
    rows = []
    for revision in REVISIONS:
        present = cand[cand[f"in_{revision}"].astype(str).str.lower() == "true"]
        rows.append(present.assign(revision=revision)[["revision", "hs6", "basket_group", "desc"]])
    out = pd.concat(rows, ignore_index=True)
    out["hs6"] = out["hs6"].astype(str).str.zfill(6)
    return out


def hs_families(candidates: pd.DataFrame, corr_12_17: pd.DataFrame, corr_17_22: pd.DataFrame,
                groups=DEFAULT_GROUPS) -> pd.DataFrame:
    """Map (revision, hs6) -> family_id, the smallest HS6 code in the component."""
    nodes = basket_nodes(candidates, groups)
    keys = list(zip(nodes["revision"], nodes["hs6"]))
    parent = {k: k for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(u, v):
        if u in parent and v in parent:
            ru, rv = find(u), find(v)
            if ru != rv:
                parent[max(ru, rv)] = min(ru, rv)

    links = [("HS2012", "HS2017", corr_12_17), ("HS2017", "HS2022", corr_17_22)]
    for old, new, table in links:
        for a, b in zip(table[old].astype(str).str.zfill(6), table[new].astype(str).str.zfill(6)):
            union((old, a), (new, b))
        for code in nodes.loc[nodes["revision"] == old, "hs6"]:  # unchanged codes link to themselves
            union((old, code), (new, code))
    label = {}
    for k in keys:
        label.setdefault(find(k), []).append(k[1])
    nodes["family_id"] = [min(label[find(k)]) for k in keys]
    return nodes
