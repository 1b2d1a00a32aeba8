"""The study's tables (study.registry) fitted on the panel mart into the results schema.

One asset per table fitted on the panel; Tables 7-9 are one step, since they share the
mediation fits and their bootstrap draws. The estimators are imported when a table is
fitted, not when the definitions load.
"""
import dagster as dg

from orchestration.resources import Warehouse
from study.registry import TableSpec, fitted_by
from warehouse.marts import PANEL, read_panel

PANEL_KEY = dg.AssetKey(list(PANEL))
SHOWN_TERMS = ["digde", "digde_new", "l1_digde", "indirect", "L1.revl", "iv"]


def _panel(warehouse: Warehouse):
    with warehouse.connect(read_only=True) as conn:
        return read_panel(conn)


def _store(warehouse: Warehouse, table) -> dict:
    from study.rows import store_table
    with warehouse.connect() as conn:
        estimates = store_table(conn, table)
    shown = estimates[estimates.term.isin(SHOWN_TERMS)]
    return {"rows": dg.MetadataValue.int(len(estimates)),
            "key_estimates": dg.MetadataValue.md(shown[["model_id", "term", "estimate",
                                                        "std_error", "p_value"]]
                                                 .round(4).to_markdown(index=False))}


def _spec(table: TableSpec, **kwargs) -> dict:
    return dict(deps=[PANEL_KEY], group_name="results", kinds={"python", "duckdb"},
                owners=["team:econometrics"], description=table.description, **kwargs)


def _panel_table_asset(table: TableSpec) -> dg.AssetsDefinition:
    @dg.asset(name=table.asset, key_prefix="results", **_spec(table))
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        from stats.panel import ModelSpecError
        from study.tables import skipped
        try:
            fitted = table.build(_panel(warehouse))
            context.log.info(f"{table.table_id}: {len(fitted.fitted)} model(s) fitted")
        except ModelSpecError as exc:  # e.g. GMM on a panel too short for its lags
            context.log.warning(f"{table.table_id}: not estimated on these data: {exc}")
            fitted = skipped(table.table_id, str(exc))
        return dg.MaterializeResult(metadata=_store(warehouse, fitted))
    return _asset


table_assets = [_panel_table_asset(t) for t in fitted_by("panel")]
MEDIATION = fitted_by("mediation")


@dg.multi_asset(specs=[dg.AssetSpec(["results", t.asset], **_spec(t)) for t in MEDIATION])
def mediation_tables(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Tables 7-9 from one set of mediation fits (the bootstrap draws are shared)."""
    from stats.panel import ModelSpecError
    from study.tables import mediation_fits, skipped
    fits, reason = None, ""
    try:
        fits = mediation_fits(_panel(warehouse))
    except ModelSpecError as exc:
        reason = str(exc)
        context.log.warning(f"mediation not estimated on these data: {reason}")
    for table in MEDIATION:
        built = table.build(fits) if fits else skipped(table.table_id, reason)
        yield dg.MaterializeResult(asset_key=["results", table.asset],
                                   metadata=_store(warehouse, built))
    if not fits:
        return
    for m, r in fits.items():
        label = "suppression |ab/c'|" if r.suppression else "share mediated"
        value = r.suppression_ratio if r.suppression else r.share_mediated
        context.log.info(f"{m}: a = {r.a:.4f}, b = {r.b:.4f}, {label} = {value:.2%}")
