"""Column-level lineage of dbt models, computed after the dbt process has ended.

dagster-dbt builds column lineage from the compiled SQL (sqlglot) and the column schemas of
a model and its parents, normally fetched while dbt runs; DuckDB's single-writer lock
forbids that here, so the schemas are read from information_schema once dbt is done and
handed to dagster-dbt's builder (a private function: dagster-dbt is pinned exactly).
"""
from __future__ import annotations

from typing import Any, Mapping

import duckdb
from dagster_dbt.core.dbt_cli_event import EventHistoryMetadata, _build_column_lineage_metadata


def _columns(conn: duckdb.DuckDBPyConnection, relation_name: str) -> dict[str, dict[str, Any]]:
    schema, table = [part.strip('"') for part in relation_name.split(".")][-2:]
    rows = conn.execute("select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, table]).fetchall()
    return {name: {"data_type": dtype} for name, dtype in rows}


def column_lineage(conn, manifest: Mapping[str, Any], unique_id: str, translator, target_path,
                   project) -> dict[str, Any]:
    """{'dagster/column_lineage': TableColumnLineage} for a SQL model, or {}."""
    props = manifest["nodes"][unique_id]
    if props.get("resource_type") != "model" or props.get("language") != "sql":
        return {}
    parents = {}
    for parent_id in props["depends_on"]["nodes"]:
        parent = manifest["nodes"].get(parent_id) or manifest["sources"].get(parent_id)
        if parent and parent.get("relation_name"):
            parents[parent["relation_name"]] = _columns(conn, parent["relation_name"])
    history = EventHistoryMetadata(columns=_columns(conn, props["relation_name"]), parents=parents)
    return _build_column_lineage_metadata(history, props, manifest, translator, target_path,
                                          project)
