"""Hand-computed cases through the real dbt models on a tiny landing folder."""
import pytest

from stats import prody
from tests.dbt_helpers import dbt, load_all, query, write_landing

HEAD = "数据年月,注册地名称,商品编码,美元\n"
CUSTOMS = {
    # 300210 (HS2012) splits into 300211..300219 in HS2017; 300212 stays in HS2022.
    "customs/2015/z.csv": HEAD + "201501,浙江省,30021000,100\n201501,浙江省,90189090,100\n"
                          + "201501,广东省,30021000,30\n201501,广东省,90189090,90\n",
    "customs/2016/z.csv": HEAD + "201601,浙江省,30021000,100\n201601,浙江省,90189090,100\n",
    "customs/2016/g.csv": "数据年月,注册地名称,商品编码,人民币\n201601,广东省,30021000,664.23\n"
                          "201601,广东省,90189090,1328.46\n",
    "customs/2017/z.csv": HEAD + "201701,浙江省,30021100,60\n201701,浙江省,30021500,40\n"
                          + "201701,浙江省,90189090,100\n201701,广东省,30021500,10\n"
                          + "201701,广东省,90189090,30\n",
    "customs/2022/z.csv": HEAD + "202201,浙江省,30021200,100\n202201,浙江省,90189090,100\n"
                          + "202201,广东省,30021200,5\n202201,广东省,90189090,15\n"
                          + "202201,山西省,30021200,62793423.87\n",
}
YEARBOOK = {
    "yearbook/long.csv": "province,year,indicator,value,unit\n"
    "浙江,2015,人均地区生产总值,100,元\n浙江,2016,人均地区生产总值,...,元\n"
    "浙江,2017,人均地区生产总值,...,元\n浙江,2022,人均地区生产总值,400,元\n"
    "广东,2015,人均地区生产总值,50,元\n广东,2016,人均地区生产总值,60,元\n"
    "广东,2017,人均地区生产总值,—,元\n广东,2022,人均地区生产总值,,元\n"
    "浙江,2016,软件业务收入,5,万元\n浙江,2017,软件业务收入,2,亿元\n"
    "浙江,2016,年末常住人口,1000000,人\n浙江,2017,年末常住人口,101,万人\n",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    paths = write_landing(tmp_path_factory.mktemp("small"), {**CUSTOMS, **YEARBOOK})
    load_all(paths)
    dbt(paths, "seed", "--quiet")
    dbt(paths, "run", "--quiet", "--select", "+int_export_structure", "+int_yearbook__canonical")
    return paths


def test_panel_starts_after_the_earliest_customs_year(small):
    years = query(small, "select year, in_panel from intermediate.int_panel_years order by 1")
    assert years.values.tolist() == [[2015, False], [2016, True], [2017, True], [2022, True]]


def test_split_code_keeps_one_continuous_family_across_three_revisions(small):
    fam = query(small, "select year, family_id, value_usd from intermediate.int_export_family_values"
                       " where province_code = '330000' and family_id = '300210' order by year")
    assert fam["year"].tolist() == [2015, 2016, 2017, 2022]
    assert fam["value_usd"].tolist() == [100, 100, 100, 100]


def test_hhi_growth_and_cny_conversion(small):
    s = query(small, "select * from intermediate.int_export_structure "
                     "where province_code in ('330000', '440000') and year in (2016, 2017) "
                     "order by province_code, year").set_index(["province_code", "year"])
    assert s.loc[("330000", 2016), "dexp"] == pytest.approx(0.5)
    assert s.loc[("330000", 2016), "n_products"] == 2
    # Guangdong 2016 is in CNY: 664.23 / 6.6423 = 100 USD and 1328.46 / 6.6423 = 200 USD
    assert s.loc[("440000", 2016), "exports_usd"] == pytest.approx(300)
    assert s.loc[("440000", 2016), "dexp"] == pytest.approx((1 / 3) ** 2 + (2 / 3) ** 2)
    assert s.loc[("440000", 2016), "export_growth"] == pytest.approx(300 / 120 - 1)
    assert s.loc[("440000", 2017), "export_growth"] == pytest.approx(40 / 300 - 1)


def test_a_province_exporting_one_family_has_an_hhi_of_exactly_one(small):
    """Its one share is its value over its total: exactly 1, though the total is summed
    exactly (each term rounded to 1e-16, which moves 62793423.87 by an ulp)."""
    s = query(small, "select dexp, n_products from intermediate.int_export_structure "
                     "where province_code = '140000' and year = 2022")
    assert s["n_products"].tolist() == [1]
    assert s["dexp"].tolist() == [1.0]


def test_interpolation_over_years_and_nearest_value_at_the_edges(small):
    f = query(small, "select province_code, year, value, is_imputed, fill_method "
                     "from intermediate.int_yearbook__filled where indicator_code = 'gdp_per_capita' "
                     "and province_code in ('330000', '440000') order by 1, 2")
    zj = f[f.province_code == "330000"].set_index("year")
    assert zj.loc[2016, "value"] == pytest.approx(100 + 300 * 1 / 7)   # interior: linear in years
    assert zj.loc[2017, "value"] == pytest.approx(100 + 300 * 2 / 7)
    assert zj.loc[2016, "fill_method"] == "interpolated" and not zj.loc[2015, "is_imputed"]
    gd = f[f.province_code == "440000"].set_index("year")
    assert gd.loc[2017, "value"] == gd.loc[2022, "value"] == 60            # trailing: carried
    assert gd.loc[2022, "fill_method"] == "carried_forward"


def test_units_convert_to_the_canonical_unit(small):
    c = query(small, "select year, indicator_code, value from intermediate.int_yearbook__canonical "
                     "where province_code = '330000' and indicator_code in "
                     "('software_revenue', 'population') order by 2, 1")
    assert c["value"].tolist() == pytest.approx([1e6, 1.01e6, 5e4, 2e8])


def test_provincial_prody_equals_the_python_twin(small):
    sql = query(small, "select family_id, year, prody from intermediate.int_prody__provincial")
    x = query(small, "select province_code, year, family_id, value_usd, total_exports_usd "
                     "from intermediate.int_export_family_values")
    income = query(small, "select province_code, year, value as income from "
                          "intermediate.int_yearbook__filled where indicator_code = 'gdp_per_capita'")
    total = x.groupby(["province_code", "year"], as_index=False)["total_exports_usd"].first()
    twin = prody(x, income, exporter="province_code", product="family_id", year="year",
                 value="value_usd", total=total.rename(columns={"total_exports_usd": "total"}))
    merged = sql.set_index(["family_id", "year"])["prody"].sort_index()
    assert merged.to_numpy() == pytest.approx(twin.sort_index().to_numpy(), rel=1e-12)
    # Hand check, 2015 family 300210: Zhejiang 100/200, Guangdong 30/120 -> weights .5/.75, .25/.75
    assert merged[("300210", 2015)] == pytest.approx(2 / 3 * 100 + 1 / 3 * 50)


def test_a_series_with_one_observed_year_fails_the_build(small):
    out = dbt(small, "test", "--select", "assert_yearbook_series_have_two_observed_years",
              check=False)
    assert out.returncode != 0 and "assert_yearbook_series_have_two_observed_years" in out.stdout


def test_world_variant_replaces_provincial_prody(tmp_path):
    world = {"world/trade/w.csv": "country,year,hs6,hs_revision,export_value_usd\n"
             "A,2016,300210,HS2012,30\nA,2016,847130,HS2012,70\nB,2016,300210,HS2012,10\n"
             "B,2016,901890,HS2012,90\n",
             "world/gdp_per_capita.csv": "country,year,gdp_per_capita\nA,2016,1000\nB,2016,3000\n"}
    paths = write_landing(tmp_path, {**CUSTOMS, **YEARBOOK, **world})
    load_all(paths)
    dbt(paths, "seed", "--quiet")
    dbt(paths, "run", "--quiet", "--select", "+int_prody")
    p = query(paths, "select * from intermediate.int_prody order by family_id")
    assert set(p["prody_variant"]) == {"world"}
    # 300210: A .3, B .1 -> 3/4 * 1000 + 1/4 * 3000; 901890: only B -> 3000
    assert p.set_index("family_id")["prody"].to_dict() == pytest.approx(
        {"300210": 1500.0, "901890": 3000.0})


def test_prody_fixed_at_a_base_year(small):
    yearly = query(small, "select family_id, year, prody from intermediate.int_prody__provincial")
    dbt(small, "run", "--quiet", "--select", "int_prody__provincial",
        "--vars", "{prody_base_year: 2016}")
    fixed = query(small, "select family_id, year, prody, prody_base_year "
                         "from intermediate.int_prody__provincial")
    base = yearly[yearly.year == 2016].set_index("family_id")["prody"]
    assert set(fixed["prody_base_year"]) == {2016}
    assert fixed.apply(lambda r: r.prody == pytest.approx(base[r.family_id]), axis=1).all()
    dbt(small, "run", "--quiet", "--select", "int_prody__provincial")  # back to yearly PRODY


def test_screening_flags_a_shared_break_jumps_and_a_spike(tmp_path):
    """Freight volume in six provinces: from 2017 five of them publish in a unit 0.12 times
    the old one (a shared break), and Beijing's 2018 is 25 times its neighbours (a spike)."""
    rows = ["province,year,indicator,value,unit"]
    rows += [f"北京,{y},货运量,{v},万吨" for y, v in zip(range(2015, 2021),
                                                     (100, 105, 110, 2750, 115, 120))]
    for name in ("天津", "河北", "山西", "辽宁", "吉林"):
        rows += [f"{name},{y},货运量,{v},万吨" for y, v in zip(range(2015, 2021),
                                                          (100, 102, 12, 12.5, 13, 13.5))]
    paths = write_landing(tmp_path, {"yearbook/freight.csv": "\n".join(rows) + "\n"})
    load_all(paths)
    dbt(paths, "seed", "--quiet")
    dbt(paths, "run", "--quiet", "--select", "+fct_series_flags")
    flags = query(paths, "select coalesce(province_code, 'all') as province, year, kind, ratio, "
                         "feeds from marts.fct_series_flags order by all")
    got = {(r.province, r.year, r.kind): r.ratio for r in flags.itertuples()}
    expected = {("all", 2017, "shared_break"): 12 / 102,
                ("110000", 2018, "jump"): 2750 / 110, ("110000", 2019, "jump"): 115 / 2750,
                ("110000", 2018, "spike"): 2750 / (110 * 115) ** 0.5,
                **{(code, 2017, "jump"): 12 / 102
                   for code in ("120000", "130000", "140000", "210000", "220000")}}
    assert got.keys() == expected.keys()
    for key, ratio in expected.items():
        assert got[key] == pytest.approx(ratio, rel=1e-9), key
    assert set(flags.feeds) == {"control,resilience"}  # a control, and rs_freight_volume
