"""Whether the dbt docs page is current: a fingerprint of what `dbt docs generate` shows.

The page shows the manifest's models, sources, seeds, tests and their descriptions, and the
catalog of the warehouse (schemas, tables, columns and their types; DuckDB's catalog has
no row counts). When neither changed since the page was written, generating it again
(about 5-10 s) would give the same page, so the docs asset skips it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

STAMP = ".medtrade-docs-fingerprint"


def docs_fingerprint(manifest_path: Path, conn: duckdb.DuckDBPyConnection) -> str:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    shown = {}
    for section in ("nodes", "sources"):
        for uid, node in sorted(manifest.get(section, {}).items()):
            shown[uid] = [node.get("checksum"), node.get("description"),
                          {c: v.get("description") for c, v in node.get("columns", {}).items()},
                          node.get("config", {}).get("materialized")]
    columns = conn.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema in ('raw', 'reference', 'staging', 'intermediate', 'marts') "
        "order by 1, 2, ordinal_position").fetchall()
    text = json.dumps([shown, columns], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def is_current(folder: Path, fingerprint: str) -> bool:
    stamp = folder / STAMP
    return ((folder / "static_index.html").exists() and stamp.exists()
            and stamp.read_text(encoding="utf-8").strip() == fingerprint)


def mark_current(folder: Path, fingerprint: str) -> None:
    (folder / STAMP).write_text(fingerprint, encoding="utf-8")
