"""Write the study tables and figures from results.* into the report folder."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from report.figures import (coefficient_plot, flagged_series, indices_by_region, mediation_diagram,
                            province_ranking)
from report.render import (group_tests, regression_grid, stat_grid, to_html, to_latex,
                           to_markdown)
from report.run_facts import run_facts_html
from study.registry import GROUP_TESTS, TABLES, TableSpec
from warehouse.marts import read_panel

NOTE = ("Standard errors in parentheses, clustered by province (reghdfe small-sample "
        "scaling; GMM: Windmeijer-corrected). *** p<0.01, ** p<0.05, * p<0.1.")


def _grid(table: TableSpec, meta: pd.DataFrame, est: pd.DataFrame,
          stats: pd.DataFrame) -> pd.DataFrame:
    """The table's grid in its registry layout; what was not estimated as a note row (a
    whole table) or a note under the fitted columns (a model)."""
    skipped = set(stats.loc[stats.stat == "skipped", "model_id"])
    shown = meta[~meta.model_id.isin(skipped)]
    notes = list(meta.loc[meta.model_id.isin(skipped), "label"])
    if shown.empty:
        return pd.DataFrame({"": notes or ["not estimated"]}, index=["note"] * max(len(notes), 1))
    stats = stats[stats.stat != "skipped"]
    if table.layout == "regression":
        grid = regression_grid(est, stats, list(zip(shown.model_id, shown.label)))
    else:
        grid = stat_grid(est, stats)
    for note in notes:
        grid.loc[note] = [""] * grid.shape[1]
    return grid


def write_report(conn: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    est = conn.execute("select * from results.estimates").df()
    stats = conn.execute("select * from results.model_stats").df()
    cols = conn.execute("select * from results.table_columns order by table_id, position").df()
    md, htm, tex, written = [], [], [], []
    for table in TABLES:  # the registry's order
        meta = cols[cols.table_id == table.table_id]
        if meta.empty:  # not fitted in this warehouse
            continue
        title = f"Table {table.table_id[5:]}. {table.title}"
        table_stats = stats[stats.table_id == table.table_id]
        grid = _grid(table, meta, est[est.table_id == table.table_id], table_stats)
        note = " ".join([table.note or NOTE, *group_tests(table_stats, GROUP_TESTS)])
        md.append(to_markdown(title, grid, note))
        htm.append(to_html(title, grid, note))
        tex.append(to_latex(title, grid, note))
    pieces = {"study_tables.md": "\n".join([*md, composites_markdown(conn)]),
              "study_tables.tex": "\n".join(tex)}
    for name, text in pieces.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    written.append(coefficient_plot(est, folder / "coefficient_plot.png",
                                    [table.table_id for table in TABLES]))
    panel = read_panel(conn)
    written.append(indices_by_region(panel, folder / "indices_by_region.png"))
    written.append(province_ranking(panel, folder / "province_ranking.png"))
    paths = _paths(est, stats)
    diagram = folder / "mediation_diagram.png"
    diagram.unlink(missing_ok=True)  # a diagram of an earlier run must not stand in
    if not paths.empty:
        written.append(mediation_diagram(paths, diagram))
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>medtrade report</title>"
            "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
            "table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:right}"
            ".note{font-size:12px;color:#555}</style></head><body><h1>medtrade: study tables</h1>"
            + "<h2>Indices</h2>" + _composites_html(conn)
            + "<img src='indices_by_region.png' style='max-width:100%'>"
            "<img src='province_ranking.png'>"
            + "".join(htm) + "<h2>Figures</h2><img src='coefficient_plot.png'>"
            + ("<img src='mediation_diagram.png' style='max-width:100%'>" if diagram.exists()
               else "<p class='note'>No mediation diagram: the mediation models were not "
                    "estimated on these data (Table 7).</p>")
            + _flags_html(conn, folder, written) + run_facts_html(conn) + "</body></html>")
    (folder / "report.html").write_text(page, encoding="utf-8")
    return [*written, folder / "report.html"]


def composite_notes(conn) -> tuple[pd.DataFrame, list[str]]:
    """The composites and their conventions (marts.dim_composite), and a warning for each
    entropy composite whose convention gives negative redundancies or weights outside
    [0, 1] (marts.fct_index_weights)."""
    methods = conn.execute("select composite, index_name, method, convention "
                           "from marts.dim_composite order by composite").df()
    odd = conn.execute("""
        select composite, count(*) filter (where divergence < 0) as negative,
               count(*) filter (where weight < 0 or weight > 1) as outside, count(*) as n
        from marts.fct_index_weights group by composite
        having count(*) filter (where divergence < 0 or weight < 0 or weight > 1) > 0
        order by composite""").fetchall()
    warnings = [f"Warning: the convention of {c} gives negative redundancies d = 1 - e for "
                f"{neg} of {n} indicator weights"
                + (f" and {out} weights outside [0, 1]" if out else "")
                + "; the weights still sum to one, but the index no longer ranks indicators "
                  "by their dispersion as the entropy method intends." for c, neg, out, n in odd]
    return methods, warnings


def composites_markdown(conn) -> str:
    methods, warnings = composite_notes(conn)
    lines = ["## Composite indices", "", "| composite | index | method | convention |",
             "|---|---|---|---|"]
    lines += [f"| {r.composite} | {r.index_name} | {r.method} | {r.convention} |"
              for r in methods.itertuples()]
    return "\n".join([*lines, "", *warnings, ""])


def _composites_html(conn) -> str:
    methods, warnings = composite_notes(conn)
    rows = "".join(f"<tr><td>{r.composite}</td><td>{r.index_name}</td><td>{r.method}</td>"
                   f"<td style='text-align:left'>{r.convention}</td></tr>"
                   for r in methods.itertuples())
    return ("<table><tr><th>composite</th><th>index</th><th>method</th><th>convention</th></tr>"
            + rows + "</table>" + "".join(f"<p class='note'><b>{w}</b></p>" for w in warnings))


def _flags_html(conn, folder: Path, written: list[Path]) -> str:
    """Yearbook series the screening flagged (marts.fct_series_flags), with small plots of
    the flagged province series and which index each feeds. Nothing was changed."""
    figure = folder / "flagged_series.png"
    figure.unlink(missing_ok=True)
    flags = conn.execute("select * from marts.fct_series_flags "
                         "order by indicator, province_code nulls first, year, kind").df()
    head = ("<h2>Yearbook series to look at</h2><p class='note'>Year-on-year jumps, breaks "
            "many provinces share in one year and isolated spikes (thresholds: var "
            "<code>screening</code> in dbt_project.yml). These are warnings: no value was "
            "changed; decide whether a series needs a fix in its landing file.</p>")
    if flags.empty:
        return head + "<p>No series flagged.</p>"
    by_province = flags[flags.province_code.notna()]
    plot = ""
    if not by_province.empty:
        values = conn.execute(
            "select indicator_code as indicator, province_code, year, value "
            "from intermediate.int_yearbook__canonical where value is not null").df()
        names = dict(conn.execute("select province_code, province_name_en "
                                  "from marts.dim_province").fetchall())
        written.append(flagged_series(values, by_province, figure, names))
        shown = min(12, len(by_province[["indicator", "province_code"]].drop_duplicates()))
        plot = (f"<p class='note'>The first {shown} flagged province series (flagged years "
                "in red):</p><img src='flagged_series.png' style='max-width:100%'>")
    table = flags.assign(province_code=flags.province_code.fillna("all provinces"),
                         ratio=flags.ratio.round(3))
    return head + plot + table.to_html(index=False, border=0)


def _paths(est: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    t7 = est[est.table_id == "table7"]
    t9 = stats[(stats.table_id == "table9") & (stats.stat != "skipped")].pivot_table(
        index="model_id", columns="stat", values="value")
    rows = []
    for m in t9.index:
        a = t7[(t7.model_id == f"{m}_a") & (t7.term == "digde")].estimate.iloc[0]
        out = t7[t7.model_id == f"{m}_b"].set_index("term").estimate
        share = (f"suppression {t9.at[m, 'suppression_ratio']:.1%}" if t9.at[m, "suppression"] == 1
                 else f"{t9.at[m, 'share_mediated']:.1%} mediated")
        rows.append({"mediator": m, "a": a, "b": out[m], "c_prime": out["digde"], "share": share})
    return pd.DataFrame(rows)
