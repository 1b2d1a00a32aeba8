import pandas as pd

from report.render import number, regression_grid, stars, stat_grid, to_latex, to_markdown


def test_star_thresholds():
    assert [stars(p) for p in (0.001, 0.0499, 0.05, 0.099, 0.2, float("nan"))] == \
        ["***", "**", "*", "*", "", ""]


def test_regression_grid_layout():
    est = pd.DataFrame({"model_id": ["c1", "c1", "c2"], "term": ["hc", "digde", "digde"],
                        "estimate": [0.5, 4.818, 2.0], "std_error": [0.1, 1.2, 1.5],
                        "p_value": [0.2, 0.004, 0.03]})
    stats = pd.DataFrame({"model_id": ["c1", "c1", "c2", "c2", "c1"],
                          "stat": ["nobs", "province_effects", "nobs", "province_effects", "r2"],
                          "value": [310, 1, 300, 0, 0.5]})
    grid = regression_grid(est, stats, [("c1", "(1)"), ("c2", "(2)")])
    assert list(grid.index[:4]) == ["digde", "", "hc", ""]          # key term first
    assert grid.iloc[0].tolist() == ["4.8180***", "2.0000**"]
    assert grid.iloc[1].tolist() == ["(1.2000)", "(1.5000)"]
    assert grid.loc["Province FE"].tolist() == ["Yes", "No"]
    assert grid.loc["N"].tolist() == ["310", "300"]
    assert grid.loc["R2"].tolist() == ["0.500", ""]
    assert "4.8180***" in to_markdown("T", grid, "note")
    assert r"\begin{tabular}{lcc}" in to_latex("T", grid, "note")


def test_bootstrap_grid_reports_suppression():
    est = pd.DataFrame({"model_id": ["expt"], "term": ["indirect"], "estimate": [-0.1],
                        "std_error": [0.05], "ci_low": [-0.2], "ci_high": [-0.01]})
    stats = pd.DataFrame({"model_id": "expt", "stat": ["share_mediated", "suppression",
                                                       "suppression_ratio", "indirect_bc_low",
                                                       "indirect_bc_high"],
                          "value": [-0.05, 1, 0.1091, -0.21, -0.02]})
    row = stat_grid(est, stats).iloc[0]
    assert row["share"] == "suppression 10.91%"
    assert row["95% CI (bias-corrected)"] == "[-0.2100, -0.0200]"


def test_tiny_coefficients_keep_their_significant_digits():
    """Table 6's first stage: an instrument in large units has a coefficient near 1e-5,
    which four decimals would print as 0.0000*** (0.0000)."""
    est = pd.DataFrame({"model_id": ["first"], "term": ["iv"], "estimate": [3.5123e-05],
                        "std_error": [4.1e-06], "p_value": [0.0001]})
    grid = regression_grid(est, pd.DataFrame(columns=["model_id", "stat", "value"]),
                           [("first", "First stage")])
    assert grid.iloc[0].tolist() == ["3.512e-05***"] and grid.iloc[1].tolist() == ["(4.100e-06)"]
    assert [number(v) for v in (0.0, 0.5, -0.00004, float("nan"))] == ["0.0000", "0.5000",
                                                                     "-4.000e-05", ""]
