"""The study's Tables 3-10 fitted on the panel mart into the results schema.

The estimators (stats/) are imported when a table is fitted, not when the definitions load.
"""
import dagster as dg
import pandas as pd

from ingest.warehouse.results import replace_table_results
from orchestration.resources import Warehouse

PANEL = dg.AssetKey(["marts", "fct_province_year_panel"])
TABLES = {  # asset name -> description; the table id (stats.study_tables) is the name's prefix
    "table3_baseline": "Table 3, baseline: Revl on Digde with province and/or year effects, "
                       "with and without controls.",
    "table4_robustness": "Table 4, robustness: Digde_new (PCA) instead of Digde; Eco added; "
                         "Digde lagged one year.",
    "table5_system_gmm": "Table 5, system GMM (two-step, Windmeijer SEs, collapsed "
                         "instruments): AR(1), AR(2), Hansen, Sargan.",
    "table6_iv": "Table 6, 2SLS of Revl on Digde instrumented by Iv, both effects partialled "
                 "out, with ivreg2's first-stage diagnostics.",
    "table10_heterogeneity": "Table 10, heterogeneity: east+central vs west, before 2015 vs "
                             "2015 on, with tests of the difference.",
}


def load_panel(warehouse: Warehouse) -> pd.DataFrame:
    """The panel in a fixed row order: bootstrap draws and GMM instrument blocks follow the
    rows, so results must not depend on how the engine happened to store the table."""
    with warehouse.connect(read_only=True) as conn:
        return conn.execute("select * from marts.fct_province_year_panel "
                            "order by province_code, year").df()


def _store(warehouse: Warehouse, table) -> dict:
    with warehouse.connect() as conn:
        estimates = replace_table_results(conn, table)
    shown = estimates[estimates.term.isin(["digde", "digde_new", "l1_digde", "indirect",
                                           "L1.revl", "iv"])]
    return {"rows": dg.MetadataValue.int(len(estimates)),
            "key_estimates": dg.MetadataValue.md(shown[["model_id", "term", "estimate",
                                                        "std_error", "p_value"]]
                                                 .round(4).to_markdown(index=False))}


def _table_asset(name: str, description: str) -> dg.AssetsDefinition:
    table_id = name.split("_")[0]

    @dg.asset(name=name, key_prefix="results", deps=[PANEL], group_name="results",
              kinds={"python", "duckdb"}, owners=["team:econometrics"], description=description)
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        from stats import study_tables
        from stats.panel import ModelSpecError
        try:
            table = getattr(study_tables, table_id)(load_panel(warehouse))
            context.log.info(f"{table.table_id}: {len(table.columns)} model(s) fitted")
        except ModelSpecError as exc:  # e.g. GMM on a panel too short for its lags
            context.log.warning(f"{name}: not estimated on these data: {exc}")
            table = study_tables.skipped(table_id, str(exc))
        return dg.MaterializeResult(metadata=_store(warehouse, table))
    return _asset


table_assets = [_table_asset(name, text) for name, text in TABLES.items()]


@dg.multi_asset(
    specs=[dg.AssetSpec(["results", name], deps=[PANEL], group_name="results",
                        kinds={"python", "duckdb"}, owners=["team:econometrics"],
                        description=text)
           for name, text in (("table7_mediation", "Table 7, three-step mediation for Ftrd, "
                               "Expt and Dexp (c, a, c' and b)."),
                              ("table8_sobel", "Table 8, Sobel, Aroian and Goodman tests."),
                              ("table9_bootstrap", "Table 9, cluster bootstrap (B = 5000, seed "
                               "0): percentile and bias-corrected intervals, share mediated."))])
def mediation_tables(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Tables 7-9 from one set of mediation fits (the bootstrap draws are shared)."""
    from stats import study_tables
    from stats.panel import ModelSpecError
    fits, reason = None, ""
    try:
        fits = study_tables.mediation_fits(load_panel(warehouse))
    except ModelSpecError as exc:
        reason = str(exc)
        context.log.warning(f"mediation not estimated on these data: {reason}")
    for name, build in (("table7_mediation", study_tables.table7),
                        ("table8_sobel", study_tables.table8),
                        ("table9_bootstrap", study_tables.table9)):
        table = build(fits) if fits else study_tables.skipped(name.split("_")[0], reason)
        yield dg.MaterializeResult(asset_key=["results", name], metadata=_store(warehouse, table))
    if not fits:
        return
    for m, r in fits.items():
        label = "suppression |ab/c'|" if r.suppression else "share mediated"
        value = r.suppression_ratio if r.suppression else r.share_mediated
        context.log.info(f"{m}: a = {r.a:.4f}, b = {r.b:.4f}, {label} = {value:.2%}")
