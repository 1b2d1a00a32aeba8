"""PCA composite loadings (METHODOLOGY.md section 4), computed by stats.composites."""
from stats.composites import panel_composites


def model(dbt, session):
    dbt.config(materialized="table")
    values = dbt.ref("int_indicator_values").df()
    years = dbt.ref("int_panel_years").df()
    catalogue = dbt.ref("stg_reference__indicator_catalogue").df()
    return panel_composites(values, years, catalogue, "loadings")
