"""PCA composites of the catalogue's indicator systems (the pca_composites Dagster asset).

The composites are the rows of the seed index_methods with method pca (by default revl
of the resilience system and digde_new of the digital economy system, the robustness
index), each with its convention (stg_reference__index_methods: defaults filled in, names
checked). Pooled over the panel province-years.
"""
from __future__ import annotations

import pandas as pd

from stats.indices import pca_index



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


def _options(method: pd.Series) -> dict:
    """pca_index's keyword arguments from one row of stg_reference__index_methods."""
    def number(name):
        value = method.get(name)
        return None if value is None or pd.isna(value) else float(value)
    bounds = (number("rescale_min"), number("rescale_max"))
    return {"matrix": method["matrix"], "keep": method["keep_rule"],
            "keep_value": number("keep_value"), "score": method["score_rule"],
            "rescale": method["rescale"],
            "rescale_range": bounds if method["rescale"] == "range" else None}


def pca_composites(values: pd.DataFrame, catalogue: pd.DataFrame, methods: pd.DataFrame):
    """(scores, components, loadings) long tables for every PCA composite of ``methods``."""
    scores, components, loadings = [], [], []
    for _, method in methods[methods["method"] == "pca"].sort_values("composite").iterrows():
        composite, index_name = method["composite"], method["index_name"]
        wide, codes, negative = _pool(values, catalogue, index_name)
        result = pca_index(wide.reset_index(drop=True), codes, negative, **_options(method))
        scores.append(wide.index.to_frame(index=False).assign(
            composite=composite, score=result.scores.to_numpy()))
        n = len(result.eigenvalues)
        components.append(pd.DataFrame({
            "composite": composite, "index_name": index_name, "component": range(1, n + 1),
            "eigenvalue": result.eigenvalues, "variance_share": result.variance_shares,
            "cumulative_share": result.variance_shares.cumsum(),
            "kept": [k < result.n_kept for k in range(n)],
            "composite_weight": result.composite_weights}))
        long = result.loadings.reset_index(names="indicator_code").melt(
            id_vars="indicator_code", var_name="component", value_name="loading")
        long["component"] = long["component"].str[2:].astype(int)
        loadings.append(long.assign(composite=composite))
    if not scores:
        return (pd.DataFrame(columns=["province_code", "year", "composite", "score"]),
                pd.DataFrame(columns=["composite", "index_name", "component", "eigenvalue",
                                      "variance_share", "cumulative_share", "kept",
                                      "composite_weight"]),
                pd.DataFrame(columns=["indicator_code", "component", "loading", "composite"]))
    return (pd.concat(scores, ignore_index=True), pd.concat(components, ignore_index=True),
            pd.concat(loadings, ignore_index=True))


def panel_composites_tables(values: pd.DataFrame, years: pd.DataFrame, catalogue: pd.DataFrame,
                            methods: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{'scores', 'components', 'loadings'}, pooled over the panel years (in_panel)."""
    panel = values[values["year"].isin(years.loc[years["in_panel"], "year"])]
    return dict(zip(("scores", "components", "loadings"),
                    pca_composites(panel, catalogue, methods)))
