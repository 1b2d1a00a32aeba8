"""PCA composites of the catalogue's indicator systems (the pca_composites Dagster asset).

revl = PCA composite of the resilience system; digde_new = PCA composite of the digital
economy system (robustness). Pooled over the panel province-years.
"""
from __future__ import annotations

import pandas as pd

from stats.indices import pca_index

PCA_COMPOSITES = {"revl": "resilience", "digde_new": "digital_economy"}


def _pool(values: pd.DataFrame, catalogue: pd.DataFrame, index_name: str):
    system = catalogue[catalogue["index_name"] == index_name]
    codes = sorted(system["indicator_code"])
    negative = sorted(system.loc[system["direction"] == "negative", "indicator_code"])
    wide = values[values["indicator_code"].isin(codes)].pivot_table(
        index=["province_code", "year"], columns="indicator_code", values="value",
        aggfunc="first", dropna=False)
    wide = wide.reindex(columns=codes)
    gaps = wide.columns[wide.isna().any()].tolist()
    if gaps:
        raise ValueError(f"{index_name}: indicator(s) with missing values after imputation: {gaps}")
    return wide.sort_index(), codes, negative


def pca_composites(values: pd.DataFrame, catalogue: pd.DataFrame):
    """(scores, components, loadings) long tables for every composite in PCA_COMPOSITES."""
    scores, components, loadings = [], [], []
    for composite, index_name in PCA_COMPOSITES.items():
        wide, codes, negative = _pool(values, catalogue, index_name)
        result = pca_index(wide.reset_index(drop=True), codes, negative)
        scores.append(wide.index.to_frame(index=False).assign(
            composite=composite, score=result.scores.to_numpy()))
        n = len(result.eigenvalues)
        components.append(pd.DataFrame({
            "composite": composite, "index_name": index_name, "component": range(1, n + 1),
            "eigenvalue": result.eigenvalues, "variance_share": result.variance_shares,
            "cumulative_share": result.variance_shares.cumsum(),
            "kept": [k < result.n_kept for k in range(n)],
            "composite_weight": [result.eigenvalues[k] / result.eigenvalues[:result.n_kept].sum()
                                 if k < result.n_kept else 0.0 for k in range(n)]}))
        long = result.loadings.reset_index(names="indicator_code").melt(
            id_vars="indicator_code", var_name="component", value_name="loading")
        long["component"] = long["component"].str[2:].astype(int)
        loadings.append(long.assign(composite=composite))
    return (pd.concat(scores, ignore_index=True), pd.concat(components, ignore_index=True),
            pd.concat(loadings, ignore_index=True))


def panel_composites_tables(values: pd.DataFrame, years: pd.DataFrame,
                            catalogue: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{'scores', 'components', 'loadings'}, pooled over the panel years (in_panel)."""
    panel = values[values["year"].isin(years.loc[years["in_panel"], "year"])]
    return dict(zip(("scores", "components", "loadings"), pca_composites(panel, catalogue)))
