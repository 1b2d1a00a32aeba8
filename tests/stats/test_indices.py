"""Hand-computed small cases for the index functions (docs/methodology.md sections 2 and 4)."""
import math

import numpy as np
import pandas as pd
import pytest

from stats import entropy_index, expy, hhi, pca_index, prody

EXPORTS = pd.DataFrame({"j": ["A", "A", "B", "B"], "k": ["p", "q", "p", "q"], "t": 2020,
                        "x": [60.0, 40.0, 10.0, 90.0]})
INCOME = pd.DataFrame({"j": ["A", "B"], "t": 2020, "income": [10.0, 20.0]})
KW = dict(exporter="j", product="k", year="t", value="x")


def test_hhi():
    df = pd.DataFrame({"i": ["A", "A", "B"], "x": [60.0, 40.0, 5.0]})
    assert hhi(df, group=["i"], value="x").to_dict() == pytest.approx({"A": 0.52, "B": 1.0})


def test_prody_and_expy_over_the_basket():
    pr = prody(EXPORTS, INCOME, **KW)
    assert pr[("p", 2020)] == pytest.approx(80 / 7)     # (6/7)*10 + (1/7)*20
    assert pr[("q", 2020)] == pytest.approx(220 / 13)   # (4/13)*10 + (9/13)*20
    ex = expy(EXPORTS, pr, **KW)
    assert ex[("A", 2020)] == pytest.approx(1240 / 91)  # .6*80/7 + .4*220/13
    assert ex[("B", 2020)] == pytest.approx(1490 / 91)


def test_prody_with_total_exports_of_all_goods():
    total = pd.DataFrame({"j": ["A", "B"], "t": 2020, "total": [200.0, 100.0]})
    pr = prody(EXPORTS, INCOME, total=total, **KW)
    assert pr[("p", 2020)] == pytest.approx(12.5)        # .3/.4 * 10 + .1/.4 * 20
    assert pr[("q", 2020)] == pytest.approx(200 / 11)    # .2/1.1 * 10 + .9/1.1 * 20


def test_entropy_weights_with_a_zero_cell_and_a_negative_indicator():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "c": [1.0, 1.0, 4.0], "b": [3.0, 1.0, 2.0]})
    res = entropy_index(df, ["a", "c", "b"], negative=["b"])
    e_a = -(1 / math.log(3)) * (1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3))
    d = {"a": 1 - e_a, "c": 1.0, "b": 1 - e_a}     # c: p = (0, 0, 1) -> e = 0 (0 ln 0 = 0)
    w = {k: v / sum(d.values()) for k, v in d.items()}
    got = res.weights.set_index("indicator")
    assert got["entropy"].to_dict() == pytest.approx({"a": e_a, "c": 0.0, "b": e_a})
    assert got["weight"].to_dict() == pytest.approx(w)
    # standardised: a (0, .5, 1); c (0, 0, 1); b negative (0, 1, .5)
    expected = [0.0, 0.5 * w["a"] + w["b"], w["a"] + w["c"] + 0.5 * w["b"]]
    assert res.scores.tolist() == pytest.approx(expected)


def test_entropy_rejects_a_constant_indicator():
    with pytest.raises(ValueError, match="constant"):
        entropy_index(pd.DataFrame({"a": [1.0, 2.0], "b": [5.0, 5.0]}), ["a", "b"])


def test_pca_two_indicators_keeps_both_below_85_percent_and_orients_signs():
    df = pd.DataFrame({"x1": [1.0, 2, 3, 4], "x2": [2.0, 1, 4, 3]})   # r = 0.6
    res = pca_index(df, ["x1", "x2"])
    assert res.eigenvalues == pytest.approx([1.6, 0.4])
    assert res.n_kept == 2                                   # 1.6/2 = 80% < 85%
    z = (df - df.mean()) / df.std(ddof=1)
    f1 = (z.x1 + z.x2) / math.sqrt(2)
    f2 = (z.x1 - z.x2) / math.sqrt(2)                        # zero sum: lead element positive
    assert res.scores.tolist() == pytest.approx(((1.6 * f1 + 0.4 * f2) / 2).tolist())


def test_pca_eigenvalue_rule_and_positive_loading_sums():
    rng = np.random.default_rng(3)
    base = rng.normal(size=200)
    df = pd.DataFrame({"a": base + rng.normal(0, .2, 200), "b": base + rng.normal(0, .2, 200),
                       "c": base + rng.normal(0, .2, 200), "d": rng.normal(size=200)})
    res = pca_index(df, list(df), negative=["d"])
    eig = np.sort(np.linalg.eigvalsh(np.corrcoef(df.assign(d=-df.d).T.to_numpy())))[::-1]
    assert res.eigenvalues == pytest.approx(eig)
    n_gt1 = int((eig > 1).sum())
    cum = np.cumsum(eig) / eig.sum()
    expected = max(n_gt1, int(np.argmax(cum >= 0.85)) + 1)
    assert res.n_kept == expected
    assert (res.loadings.sum(axis=0) > 0).all()
