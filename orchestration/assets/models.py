"""Study tables fitted on the panel mart into results.estimates and results.model_stats."""

import dagster as dg
import pandas as pd

from orchestration.results_store import replace_table_results
from orchestration.resources import Warehouse
from stats.study import TABLE3, estimate_rows, fit_fe, stat_rows

PANEL = dg.AssetKey(["marts", "fct_province_year_panel"])


def load_panel(warehouse: Warehouse) -> pd.DataFrame:
    with warehouse.connect(read_only=True) as conn:
        return conn.execute("select * from marts.fct_province_year_panel").df()


@dg.asset(key=["results", "table3_baseline"], deps=[PANEL], group_name="results",
          kinds={"python", "duckdb"}, owners=["team:econometrics"])
def table3_baseline(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Table 3, baseline: Revl on Digde with province and/or year effects, with and without
    controls; SEs clustered by province with reghdfe's small-sample scaling."""
    panel = load_panel(warehouse)
    fits = [(spec, fit_fe(panel, spec)) for spec in TABLE3]
    estimates = pd.concat([estimate_rows(s, r) for s, r in fits], ignore_index=True)
    stats = pd.concat([stat_rows(s, r) for s, r in fits], ignore_index=True)
    with warehouse.connect() as conn:
        replace_table_results(conn, "table3", estimates, stats)
    col4 = fits[-1][1]
    context.log.info(f"Table 3 (4): Digde = {col4.params['digde']:.4f} "
                     f"(SE {col4.std_errors['digde']:.4f}, N = {col4.nobs})")
    return dg.MaterializeResult(metadata={
        "digde_col4": dg.MetadataValue.float(float(col4.params["digde"])),
        "digde_col4_se": dg.MetadataValue.float(float(col4.std_errors["digde"])),
        "estimates": dg.MetadataValue.md(
            estimates[estimates.term == "digde"].round(4).to_markdown(index=False)),
    })
