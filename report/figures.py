"""Figures of the report (PNG, matplotlib): coefficients, mediation paths, indices by
region, the province ranking and the flagged yearbook series."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def _save(fig, path: Path, dpi: int = 120) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def coefficient_plot(estimates: pd.DataFrame, path: Path, table_order: list[str],
                     terms=("digde", "digde_new", "l1_digde")) -> Path:
    """Digde's coefficient and 95% interval in every model of Revl that has it."""
    rows = estimates[estimates.term.isin(terms) & ~estimates.model_id.str.endswith("_a")
                     & (estimates.model_id != "first_stage")].copy()
    order = {table_id: i for i, table_id in enumerate(table_order)}  # the registry's
    rows["order"] = rows.table_id.map(order).fillna(len(order))
    rows = rows.sort_values("order", kind="stable").iloc[::-1]
    rows["label"] = rows.table_id + " " + rows.model_id + " (" + rows.term + ")"
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2))
    ax.errorbar(rows.estimate, range(len(rows)), xerr=[rows.estimate - rows.ci_low,
                                                       rows.ci_high - rows.estimate],
                fmt="o", color="#1f4e79", ecolor="#7f9fbf", capsize=3)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(range(len(rows)), rows.label, fontsize=8)
    ax.set_xlabel("coefficient on the digital economy index (95% CI)")
    return _save(fig, path)


def mediation_diagram(paths: pd.DataFrame, path: Path) -> Path:
    """One panel per mediator: X -> M (a), M -> Y (b), X -> Y (c'), with the indirect share.

    ``paths`` columns: mediator, a, b, c_prime, share (text).
    """
    fig, axes = plt.subplots(1, len(paths), figsize=(4.2 * len(paths), 3))
    for ax, row in zip(list(axes) if len(paths) > 1 else [axes], paths.itertuples()):
        ax.axis("off")
        boxes = {"X": (0.1, 0.2, "Digde"), "M": (0.5, 0.8, row.mediator.capitalize()),
                 "Y": (0.9, 0.2, "Revl")}
        for x, y, text in boxes.values():
            ax.text(x, y, text, ha="center", va="center", fontsize=11,
                    bbox=dict(boxstyle="round", fc="#eef3f8", ec="#1f4e79"))
        for (a, b), label in ((("X", "M"), f"a = {row.a:.3f}"), (("M", "Y"), f"b = {row.b:.3f}"),
                              (("X", "Y"), f"c' = {row.c_prime:.3f}")):
            (x0, y0, _), (x1, y1, _) = boxes[a], boxes[b]
            ax.annotate("", xy=(x1 - 0.06 * (x1 > x0), y1 - 0.08 * (y1 > y0) + 0.08 * (y1 < y0)),
                        xytext=(x0 + 0.06 * (x1 > x0), y0 + 0.08 * (y1 > y0) - 0.08 * (y1 < y0)),
                        arrowprops=dict(arrowstyle="->", color="#1f4e79"))
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.07, label, ha="center", fontsize=9)
        ax.set_title(f"{row.mediator}: {row.share}", fontsize=10)
    return _save(fig, path)


def indices_by_region(panel: pd.DataFrame, path: Path) -> Path:
    """Mean Digde and Revl per year in each region (east, central, west)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    for ax, column, title in ((axes[0], "digde", "Digital economy (Digde)"),
                              (axes[1], "revl", "Resilience (Revl)")):
        means = panel.groupby(["year", "region3"])[column].mean().unstack()
        for region in ("east", "central", "west"):
            if region in means:
                ax.plot(means.index, means[region], marker="o", ms=3, label=region)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("year")
    axes[0].legend(fontsize=8)
    return _save(fig, path)


def province_ranking(panel: pd.DataFrame, path: Path) -> Path:
    """Provinces ranked by Revl in the latest year, with their Digde (no map)."""
    return _save(ranking_figure(panel), path)


def ranking_figure(panel: pd.DataFrame):
    last = panel[panel.year == panel.year.max()].sort_values("revl")
    fig, ax = plt.subplots(figsize=(7, 7.5))
    ax.barh(last.province_name_en, last.revl, color="#1f4e79")
    ax.axvline(0, color="grey", lw=0.8)
    # each label beyond its bar's end, on the bar's side of zero, so that labels of bars
    # below zero neither cover the bar nor run into the province names
    lo, hi = min(last.revl.min(), 0.0), max(last.revl.max(), 0.0)
    pad = 0.3 * (hi - lo or 1.0)
    ax.set_xlim(lo - (pad if lo < 0 else 0), hi + pad)
    for y, (revl, digde) in enumerate(zip(last.revl, last.digde)):
        ax.text(revl, y, f"  Digde {digde:.2f}  ", va="center", fontsize=7,
                ha="left" if revl >= 0 else "right")
    ax.set_title(f"Resilience (Revl) by province, {int(panel.year.max())}", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    return fig


def flagged_series(values: pd.DataFrame, flags: pd.DataFrame, path: Path,
                   names: dict[str, str] | None = None, limit: int = 12) -> Path:
    """Small multiples: each flagged (indicator, province) series over the years, with its
    flagged years marked. ``values``: indicator, province_code, year, value; ``flags``:
    indicator, province_code, year, kind (province-level flags only); ``names``: province
    code -> the name shown in each plot's title."""
    return _save(flagged_figure(values, flags, names, limit), path, dpi=110)


def flagged_figure(values: pd.DataFrame, flags: pd.DataFrame,
                   names: dict[str, str] | None = None, limit: int = 12):
    names = names or {}
    pairs = flags[["indicator", "province_code"]].drop_duplicates().head(limit)
    cols = min(4, max(1, len(pairs)))
    rows = -(-len(pairs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.2 * rows), squeeze=False)
    for ax in axes.flat[len(pairs):]:
        ax.axis("off")
    for ax, (indicator, province) in zip(axes.flat, pairs.itertuples(index=False)):
        series = values[(values.indicator == indicator) & (values.province_code == province)]
        series = series.sort_values("year")
        ax.plot(series.year, series.value, color="#1f4e79", lw=1.2, marker=".")
        marked = flags[(flags.indicator == indicator) & (flags.province_code == province)]
        hit = series[series.year.isin(marked.year)]
        ax.scatter(hit.year, hit.value, color="#c0392b", zorder=3, s=24)
        ax.set_title(f"{indicator}, {names.get(province, province)}", fontsize=8)
        ax.tick_params(labelsize=7)
    return fig
