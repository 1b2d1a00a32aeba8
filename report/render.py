"""Render study tables from results.estimates / results.model_stats rows.

Regression tables follow the paper's layout: one column per model, the coefficient with
stars (*** p<0.01, ** p<0.05, * p<0.1) over its standard error in parentheses, then N,
R2, fixed-effect rows and the table's tests. Tables 8 and 9 list one row per mediator.
"""
from __future__ import annotations

import html

import pandas as pd

KEY_TERMS = ["L1.revl", "digde", "digde_new", "l1_digde", "iv", "ftrd", "expt", "dexp"]
FOOTER_STATS = [("nobs", "N", "{:.0f}"), ("r2", "R2", "{:.3f}"),
                ("r2_within", "Within R2", "{:.3f}"), ("n_instruments", "Instruments", "{:.0f}"),
                ("ar1_pvalue", "AR(1) p", "{:.3f}"), ("ar2_pvalue", "AR(2) p", "{:.3f}"),
                ("hansen_statistic", "Hansen J", "{:.2f}"), ("hansen_pvalue", "Hansen p", "{:.3f}"),
                ("sargan_pvalue", "Sargan p", "{:.3f}"),
                ("kp_lm_statistic", "Kleibergen-Paap rk LM", "{:.2f}"),
                ("kp_lm_pvalue", "Kleibergen-Paap LM p", "{:.3f}"),
                ("cragg_donald_f_statistic", "Cragg-Donald F", "{:.2f}"),
                ("kp_f_statistic", "Kleibergen-Paap rk Wald F", "{:.2f}"),
                ("sy_iv_size_10", "Stock-Yogo 10%", "{:.2f}"),
                ("kernel_lag", "Driscoll-Kraay lag", "{:.0f}"),
                ("n_clusters", "Clusters (smaller)", "{:.0f}"),
                ("wcb_pvalue", "Wild cluster bootstrap p (Digde)", "{:.3f}")]


def number(value: float) -> str:
    """Four decimals, or four significant digits where four decimals would print a
    nonzero value as 0.0000 (e.g. an instrument measured in large units: 3.512e-05)."""
    if value != value:
        return ""
    if value != 0 and abs(value) < 0.00005:
        return f"{value:.3e}"
    return f"{value:.4f}"


def stars(p: float) -> str:
    if p != p:  # NaN
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def regression_grid(estimates: pd.DataFrame, stats: pd.DataFrame,
                    columns: list[tuple[str, str]]) -> pd.DataFrame:
    """A DataFrame of display strings: rows are terms/statistics, columns are models."""
    terms = list(dict.fromkeys(estimates["term"]))
    ordered = [t for t in KEY_TERMS if t in terms] + [t for t in terms if t not in KEY_TERMS]
    labels = [label for _, label in columns]
    rows = {}
    for term in ordered:
        coef, se = [], []
        for model_id, _ in columns:
            hit = estimates[(estimates.model_id == model_id) & (estimates.term == term)]
            if hit.empty:
                coef.append(""), se.append("")
            else:
                r = hit.iloc[0]
                coef.append(f"{number(r.estimate)}{stars(r.p_value)}")
                se.append(f"({number(r.std_error)})")
        rows[term] = coef
        rows[f" {term} se"] = se
    wide = stats.pivot_table(index="stat", columns="model_id", values="value", aggfunc="first")
    for key, label in (("province_effects", "Province FE"), ("year_effects", "Year FE")):
        if key in wide.index:
            rows[label] = ["Yes" if wide.get(m, pd.Series()).get(key) == 1 else "No"
                           if m in wide.columns else "" for m, _ in columns]
    for key, label, fmt in FOOTER_STATS:
        if key in wide.index:
            vals = [wide.at[key, m] if m in wide.columns else float("nan") for m, _ in columns]
            if any(v == v for v in vals):
                rows[label] = [fmt.format(v) if v == v else "" for v in vals]
    if "wcb_ci_low" in wide.index:  # the bootstrap interval as one cell
        rows["Wild cluster bootstrap 95% CI"] = [
            f"[{number(wide.at['wcb_ci_low', m])}, {number(wide.at['wcb_ci_high', m])}]"
            if m in wide.columns and wide.at["wcb_ci_low", m] == wide.at["wcb_ci_low", m]
            else "" for m, _ in columns]
    grid = pd.DataFrame(rows, index=labels).T
    grid.index = [("" if i.endswith(" se") else i) for i in grid.index]
    return grid


def stat_grid(estimates: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """Tables 8/9: one row per mediator (and effect), estimates and test statistics."""
    wide = stats.pivot_table(index="model_id", columns="stat", values="value", aggfunc="first")
    rows = []
    for r in estimates.itertuples():
        row = {"mediator": r.model_id, "effect": r.term, "estimate": f"{r.estimate:.4f}",
               "std_error": f"{r.std_error:.4f}"}
        if r.ci_low == r.ci_low:
            row["95% CI (percentile)"] = f"[{r.ci_low:.4f}, {r.ci_high:.4f}]"
        bc = (f"{r.term}_bc_low", f"{r.term}_bc_high")
        if bc[0] in wide.columns:
            row["95% CI (bias-corrected)"] = (f"[{wide.at[r.model_id, bc[0]]:.4f}, "
                                             f"{wide.at[r.model_id, bc[1]]:.4f}]")
        for name in ("sobel", "aroian", "goodman"):
            if f"{name}_z" in wide.columns:
                row[name] = (f"{wide.at[r.model_id, f'{name}_z']:.3f}"
                             f"{stars(wide.at[r.model_id, f'{name}_pvalue'])}")
        if r.term == "indirect" and "share_mediated" in wide.columns:
            suppressed = wide.at[r.model_id, "suppression"] == 1
            row["share"] = (f"suppression {wide.at[r.model_id, 'suppression_ratio']:.2%}"
                            if suppressed else f"{wide.at[r.model_id, 'share_mediated']:.2%}")
        rows.append(row)
    return pd.DataFrame(rows).fillna("").set_index("mediator")


def to_markdown(title: str, grid: pd.DataFrame, note: str) -> str:
    return f"### {title}\n\n{grid.to_markdown()}\n\n{note}\n"


def to_html(title: str, grid: pd.DataFrame, note: str) -> str:
    return (f"<h3>{html.escape(title)}</h3>\n{grid.to_html(escape=True, border=0)}\n"
            f"<p class='note'>{html.escape(note)}</p>\n")


def to_latex(title: str, grid: pd.DataFrame, note: str) -> str:
    def esc(v):
        return str(v).replace("_", r"\_").replace("%", r"\%").replace("#", r"\#")
    spec = "l" + "c" * grid.shape[1]
    lines = [r"\begin{table}[htbp]\centering", f"\\caption{{{esc(title)}}}",
             f"\\begin{{tabular}}{{{spec}}}", r"\hline",
             " & ".join(["", *map(esc, grid.columns)]) + r" \\", r"\hline"]
    lines += [" & ".join([esc(i), *map(esc, row)]) + r" \\" for i, row in zip(grid.index, grid.values)]
    lines += [r"\hline", r"\end{tabular}", f"\\par\\footnotesize {esc(note)}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def group_tests(stats: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """Sentences for the tests a table stores under a pair of groups rather than a column
    (Table 10: the difference of Digde's coefficient, the poolability F test)."""
    lines = []
    for model_id, label in labels.items():
        s = stats[stats.model_id == model_id].set_index("stat")["value"]
        parts = []
        if "difference_t" in s:
            parts.append(f"difference of Digde's coefficient t = {s['difference_t']:.3f} "
                         f"(p = {s['difference_pvalue']:.3f})")
        if "poolability_f" in s:
            parts.append(f"poolability (Chow) F({s['poolability_df1']:.0f}, "
                         f"{s['poolability_df2']:.0f}) = {s['poolability_f']:.3f} "
                         f"(p = {s['poolability_pvalue']:.3f}; slopes, each region with its "
                         "own province and year effects)")
        if parts:
            lines.append(f"{label}: " + "; ".join(parts) + ".")
    return lines
