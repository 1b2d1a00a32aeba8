"""SQL results equal the Python twins in stats/ on the default data, to 1e-9."""
import numpy as np
import pytest

from stats import entropy_index, expy, hhi, pca_index, prody
from stats.hs_families import hs_families, revision_for_year
from warehouse.seeds import correlation_seeds, hs_timetable, seed_frame


def seed(name):
    return seed_frame(name)


@pytest.fixture(scope="module")
def indicators(published):
    values = published.execute("select * from marts.fct_indicator_values").df()
    catalogue = published.execute("select * from marts.dim_indicator").df()
    panel = published.execute("select * from marts.fct_province_year_panel "
                              "order by province_code, year").df()
    return values, catalogue, panel


def wide(values, catalogue, index_name):
    codes = sorted(catalogue.loc[catalogue.index_name == index_name, "indicator_code"])
    w = values[values.indicator.isin(codes)].pivot(index=["province_code", "year"],
                                                   columns="indicator", values="value")
    return w[codes].sort_index(), codes


def test_entropy_weights_and_digde_equal_the_twin(published, indicators):
    values, catalogue, panel = indicators
    w, codes = wide(values, catalogue, "digital_economy")
    twin = entropy_index(w.reset_index(drop=True), codes)
    sql = published.execute("select indicator, entropy, weight from marts.fct_index_weights"
                            ).df().set_index("indicator").loc[codes]
    np.testing.assert_allclose(sql["weight"], twin.weights["weight"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(sql["entropy"], twin.weights["entropy"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(panel["digde"], twin.scores, rtol=0, atol=1e-9)
    assert sql["weight"].sum() == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("column, index_name", [("revl", "resilience"),
                                                ("digde_new", "digital_economy")])
def test_pca_composites_equal_the_twin(indicators, column, index_name):
    values, catalogue, panel = indicators
    w, codes = wide(values, catalogue, index_name)
    twin = pca_index(w.reset_index(drop=True), codes)
    np.testing.assert_allclose(panel[column], twin.scores, rtol=0, atol=1e-9)


def test_hhi_and_expy_from_the_raw_rows_equal_the_marts(published):
    raw = published.execute("select year, province_code, hs_code, currency, value "
                            "from raw.customs_exports").df()
    rates = seed("ref_cny_per_usd").astype({"year": int, "cny_per_usd": float})
    raw = raw.merge(rates, on="year")
    raw["usd"] = np.where(raw.currency == "CNY", raw.value / raw.cny_per_usd, raw.value)
    timetable = hs_timetable()
    raw["revision"] = raw.year.map(lambda y: revision_for_year(y, timetable))
    first = min(start for r, start in timetable if r in set(raw.revision))
    fam = hs_families(seed("ref_hs6_healthcare_candidates"), correlation_seeds(),
                      [r for r, start in timetable if start >= first])
    raw["hs6"] = raw.hs_code.str[:6]
    basket = raw.merge(fam[["revision", "hs6", "family_id"]], on=["revision", "hs6"])
    x = basket.groupby(["province_code", "year", "family_id"], as_index=False)["usd"].sum()
    total = raw.groupby(["province_code", "year"], as_index=False)["usd"].sum().rename(
        columns={"usd": "total"})
    income = published.execute("select province_code, year, value as income from "
                               "intermediate.int_yearbook__filled where indicator_code = "
                               "'gdp_per_capita'").df()
    kw = dict(exporter="province_code", product="family_id", year="year", value="usd")
    twin_expy = expy(x, prody(x, income, total=total, **kw), **kw)
    twin_hhi = hhi(x, group=["province_code", "year"], value="usd")
    sql = published.execute("select province_code, year, dexp, expy from "
                            "marts.fct_export_structure").df().set_index(["province_code", "year"])
    np.testing.assert_allclose(sql["dexp"], twin_hhi.loc[sql.index], rtol=1e-9)
    np.testing.assert_allclose(sql["expy"], twin_expy.loc[sql.index], rtol=1e-9)
