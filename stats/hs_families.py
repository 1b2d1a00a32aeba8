"""Healthcare HS6 product families across HS revisions (HS2002 to HS2022).

A family is a connected component of the graph whose nodes are (revision, HS6) codes of
the basket and whose edges are the UN correlation-table links between them, plus the link of a code
present unchanged in two consecutive revisions; links to codes outside the basket are ignored (docs/methodology.md section 1). The dbt model
``dim_hs_product_family`` computes the same thing in SQL; this twin checks it.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

DEFAULT_GROUPS = ("pharma", "api", "meddev")
GROUP_BY_PREFIX = {"A": "pharma", "B": "api", "C": "meddev", "D": "consumables_diag", "E": "tcm"}


def revision_for_year(year: int, timetable: Sequence[tuple[str, int]]) -> str | None:
    """The revision in force in `year`: the last of (revision, first year) that started by
    then (China: HS2002 in 2002-2006, HS2007 in 2007-2011, HS2012 in 2012-2016, HS2017 in
    2017-2021, HS2022 from 2022); None before the first."""
    chosen = None
    for revision, first in sorted(timetable, key=lambda r: r[1]):
        if year >= first:
            chosen = revision
    return chosen


def basket_nodes(candidates: pd.DataFrame, revisions: Sequence[str],
                 groups=DEFAULT_GROUPS) -> pd.DataFrame:
    """(revision, hs6, basket_group) for every basket code present in each revision."""
    cand = candidates.assign(basket_group=candidates["group"].str[0].map(GROUP_BY_PREFIX))
    cand = cand[cand["basket_group"].isin(groups)]
    rows = []
    for revision in revisions:
        present = cand[cand[f"in_{revision}"].astype(str).str.lower() == "true"]
        rows.append(present.assign(revision=revision)[["revision", "hs6", "basket_group", "desc"]])
    out = pd.concat(rows, ignore_index=True)
    out["hs6"] = out["hs6"].astype(str).str.zfill(6)
    return out


def hs_families(candidates: pd.DataFrame, links: Mapping[tuple[str, str], pd.DataFrame],
                revisions: Sequence[str] | None = None, groups=DEFAULT_GROUPS) -> pd.DataFrame:
    """Map (revision, hs6) -> family_id, the smallest HS6 code in the component.

    ``links``: (older, newer revision) -> correlation links (columns named after the two
    revisions), for consecutive revisions; ``revisions``: the revisions the data span
    (default: every revision of ``links``), so families built over 2012 on do not change
    when the seeds also know older revisions."""
    chain = [old for old, _ in links] + [list(links)[-1][1]]
    revisions = list(revisions) if revisions is not None else chain
    nodes = basket_nodes(candidates, revisions, groups)
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

    for (old, new), table in links.items():
        if old not in revisions or new not in revisions:
            continue
        for a, b in zip(table[old].astype(str).str.zfill(6), table[new].astype(str).str.zfill(6)):
            union((old, a), (new, b))
        for code in nodes.loc[nodes["revision"] == old, "hs6"]:  # unchanged codes link to themselves
            union((old, code), (new, code))
    label = {}
    for k in keys:
        label.setdefault(find(k), []).append(k[1])
    nodes["family_id"] = [min(label[find(k)]) for k in keys]
    return nodes
