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


# --- conventions of published work (docs/methodology.md section 4, "Conventions") ---

TWO = pd.DataFrame({"x1": [1.0, 2, 3, 4], "x2": [2.0, 1, 4, 3]})   # r = 0.6 (above)


def test_pca_first_component_only_and_the_keep_rules():
    z = (TWO - TWO.mean()) / TWO.std(ddof=1)
    f1 = (z.x1 + z.x2) / math.sqrt(2)
    first = pca_index(TWO, ["x1", "x2"], score="first")
    assert first.scores.tolist() == pytest.approx(f1.tolist())
    assert first.composite_weights.tolist() == [1.0, 0.0]
    assert pca_index(TWO, ["x1", "x2"], keep="eigenvalue").n_kept == 1      # 1.6 > 1 > 0.4
    assert pca_index(TWO, ["x1", "x2"], keep="share", keep_value=0.8).n_kept == 1  # 80%
    assert pca_index(TWO, ["x1", "x2"], keep="share", keep_value=0.81).n_kept == 2
    one = pca_index(TWO, ["x1", "x2"], keep="fixed", keep_value=1)
    assert one.n_kept == 1 and one.scores.tolist() == pytest.approx(f1.tolist())  # weight 1.6/1.6
    with pytest.raises(ValueError, match="keep fixed needs 1 to 2 components"):
        pca_index(TWO, ["x1", "x2"], keep="fixed", keep_value=3)


def test_pca_of_the_covariance_matrix_uses_centred_values():
    df = pd.DataFrame({"x1": [1.0, 2, 3, 4], "x2": [20.0, 10, 40, 30]})   # var 5/3, 500/3
    res = pca_index(df, ["x1", "x2"], matrix="covariance", keep="fixed", keep_value=1)
    centred = (df - df.mean()).to_numpy()
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)    # independent: SVD
    assert res.eigenvalues == pytest.approx(singular ** 2 / 3)
    u = vt[0] * np.sign(vt[0].sum())
    assert res.scores.tolist() == pytest.approx((centred @ u).tolist())


def test_pca_rescaled_to_the_unit_interval_or_a_stated_range():
    plain = pca_index(TWO, ["x1", "x2"]).scores
    unit = pca_index(TWO, ["x1", "x2"], rescale="minmax").scores
    assert unit.tolist() == pytest.approx(((plain - plain.min()) / (plain.max() - plain.min())).tolist())
    scaled = pca_index(TWO, ["x1", "x2"], rescale="range", rescale_range=(0, 100)).scores
    assert scaled.tolist() == pytest.approx((100 * unit).tolist())
    with pytest.raises(ValueError, match="low < high"):
        pca_index(TWO, ["x1", "x2"], rescale="range", rescale_range=(1, 1))


def test_unknown_convention_names_are_errors_naming_the_choices():
    with pytest.raises(ValueError, match="unknown matrix 'corr'; choose one of correlation, "
                                         "covariance"):
        pca_index(TWO, ["x1", "x2"], matrix="corr")
    with pytest.raises(ValueError, match="unknown pool 'all_years'; choose one of all, year, "
                                         "province"):
        entropy_index(TWO, ["x1", "x2"], pool="all_years")


def test_entropy_pooled_by_year_is_a_cross_section_entropy_per_year():
    df = pd.DataFrame({"province_code": ["p", "q", "r"] * 2, "year": [1] * 3 + [2] * 3,
                       "a": [1.0, 2, 3, 1, 1, 4], "c": [3.0, 1, 2, 2, 4, 6]})
    res = entropy_index(df, ["a", "c"], pool="year")
    for year, rows in df.groupby("year"):
        alone = entropy_index(rows.reset_index(drop=True), ["a", "c"])
        got = res.weights[res.weights.group == str(year)].set_index("indicator")
        assert got.weight.tolist() == pytest.approx(alone.weights.weight.tolist())
        assert res.scores[rows.index].tolist() == pytest.approx(alone.scores.tolist())
    # k = 1/ln(N), N = 3 provinces a year, over the year's pool: the same as k = 1/ln(n)
    same = entropy_index(df, ["a", "c"], pool="year", k="provinces")
    assert same.weights.weight.tolist() == pytest.approx(res.weights.weight.tolist())


def test_entropy_shifts_and_scale_by_hand():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "c": [1.0, 1.0, 4.0]})
    # shift_s: s + 0.0001 before p; c's shares are no longer (0, 0, 1)
    s_c = [0.0001, 0.0001, 1.0001]
    p_c = [x / sum(s_c) for x in s_c]
    e_c = -sum(q * math.log(q) for q in p_c) / math.log(3)
    got = entropy_index(df, ["a", "c"], zeros="shift_s").weights.set_index("indicator")
    assert got.loc["c", "entropy"] == pytest.approx(e_c, abs=1e-12)
    # shift_p: (p + eps) ln(p + eps) with eps = 1e-10 by default
    p_c = [0.0, 0.0, 1.0]
    e_c = -sum((q + 1e-10) * math.log(q + 1e-10) for q in p_c) / math.log(3)
    got = entropy_index(df, ["a", "c"], zeros="shift_p").weights.set_index("indicator")
    assert got.loc["c", "entropy"] == pytest.approx(e_c, abs=1e-15)
    base = entropy_index(df, ["a", "c"]).scores
    assert entropy_index(df, ["a", "c"], scale=100).scores.tolist() == pytest.approx(
        (100 * base).tolist())


def test_the_conventions_have_the_same_names_in_sql_and_python():
    """dbt's staging model checks the seed against var index_conventions, stats.indices
    against its own lists: the same names, the default first."""
    from stats.indices import ENTROPY_OPTIONS, PCA_OPTIONS
    from warehouse.seeds import dbt_var
    sql = dbt_var("index_conventions")
    assert sql.pop("method") == ["entropy", "pca"]
    assert sql == {name: list(names) for name, names in {**ENTROPY_OPTIONS, **PCA_OPTIONS}.items()}


def test_the_conventions_have_the_same_default_numbers_in_sql_and_python():
    """An empty epsilon or keep_value in seed index_methods takes dbt var index_defaults;
    stats.indices, called without them, takes its own: the same numbers."""
    from stats.indices import DEFAULT_EPSILON, DEFAULT_KEEP_VALUE
    from warehouse.seeds import dbt_var
    sql = dbt_var("index_defaults")
    assert sql["epsilon"] == DEFAULT_EPSILON
    assert sql["keep_value"] == DEFAULT_KEEP_VALUE
