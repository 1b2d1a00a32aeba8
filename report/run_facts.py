"""What made this report: data quality, input files, code and package versions."""
from __future__ import annotations

import html
import subprocess
from importlib import metadata

import duckdb

from warehouse.settings import REPO_ROOT

PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "great-expectations",
            "pandas", "numpy", "scipy")


def code_version() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _table(conn, sql: str) -> str:
    frame = conn.execute(sql).df()
    return frame.to_html(index=False, border=0, escape=True) if not frame.empty else "<p>none</p>"


def run_facts_html(conn: duckdb.DuckDBPyConnection) -> str:
    versions = "".join(f"<li>{p} {html.escape(metadata.version(p))}</li>" for p in PACKAGES)
    return (
        "<h2>Data quality</h2>"
        "<p><a href='data_docs/index.html'>Great Expectations Data Docs</a> (every suite of "
        "expectations/, as validated in this run) and <a href='dbt_docs/static_index.html'>dbt "
        "docs</a> (every table and column).</p>"
        "<h3>Imputed yearbook cells</h3>"
        + _table(conn, "select indicator, n_cells, n_observed, n_interpolated, n_carried "
                       "from marts.fct_imputation_summary where n_imputed > 0 order by indicator")
        + "<h3>Rejected or skipped input</h3>"
        + _table(conn, "select severity, source, count(*) as n_rows from quality.rejected_rows "
                       "group by severity, source order by severity, source")
        + "<h2>Input files</h2>"
        + _table(conn, "select source, partition_key, source_file, file_hash, row_count, "
                       "loaded_at from raw.loaded_files order by source, partition_key, source_file")
        + f"<h2>Versions</h2><ul><li>medtrade code {html.escape(code_version())}</li>"
        + versions + "</ul>")
