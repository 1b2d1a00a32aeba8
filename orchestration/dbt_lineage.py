"""Column-level lineage of dbt models, computed after the dbt process has ended.

dagster-dbt builds column lineage from the compiled SQL (sqlglot) and the column schemas of
a model and its parents, normally fetched while dbt runs; DuckDB's single-writer lock
forbids that here, so the schemas are read from information_schema once dbt is done and
handed to dagster-dbt's builder (a private function: dagster-dbt is pinned exactly).

sqlglot's parse and optimize of every model is most of the cost of an unchanged run's
metadata (about 2.5 s for 60 models), so results are kept in the data folder
(``LineageCache``) by what they depend on: the model's compiled SQL, its own and its
parents' column schemas, and the dagster-dbt version.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
import duckdb
from dagster_dbt.core.dbt_cli_event import EventHistoryMetadata, _build_column_lineage_metadata

LINEAGE = "dagster/column_lineage"


class LineageCache:
    """Column lineage kept between runs, one entry per model (the hash of what it depends
    on, and the lineage), in one JSON file per dbt part. A build of some models updates
    theirs and keeps the others'; models gone from the project are dropped. A file that
    cannot be read (cut by a kill, from another version) is ignored and rebuilt."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.entries: dict[str, list[str]] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        self.hits = 0

    def get(self, unique_id: str, key: str):
        kept, value = self.entries.get(unique_id, [None, None])
        if kept != key:
            return None
        try:
            lineage = dg.deserialize_value(value, dg.TableColumnLineage)
        except Exception:  # a value another dagster version wrote
            return None
        self.hits += 1
        return lineage

    def put(self, unique_id: str, key: str, value) -> None:
        self.entries[unique_id] = [key, dg.serialize_value(value)]

    def save(self, manifest: Mapping[str, Any]) -> None:
        entries = {u: e for u, e in self.entries.items() if u in manifest["nodes"]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a run killed while it wrote left its half-written copy: runs of a data folder are
        # one at a time (its lock), so another process's copy is such a leftover
        for stale in self.path.parent.glob(f".{self.path.name}.tmp-*"):
            stale.unlink(missing_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(entries, sort_keys=True))
        os.replace(tmp, self.path)


def _columns(conn: duckdb.DuckDBPyConnection, relation_name: str) -> dict[str, dict[str, Any]]:
    schema, table = [part.strip('"') for part in relation_name.split(".")][-2:]
    rows = conn.execute("select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, table]).fetchall()
    return {name: {"data_type": dtype} for name, dtype in rows}


def column_lineage(conn, manifest: Mapping[str, Any], unique_id: str, translator, target_path,
                   project, cache: LineageCache | None = None) -> dict[str, Any]:
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
    # the compiled SQL dagster-dbt's builder reads (target/compiled/<package>/<file>)
    compiled = Path(target_path, "compiled", props["package_name"],
                    props["original_file_path"].replace("\\", "/"))
    key = None
    if cache is not None and compiled.exists():
        key = hashlib.sha256(json.dumps(
            [unique_id, props["depends_on"]["nodes"], compiled.read_text(), history.columns,
             parents, version("dagster-dbt")], sort_keys=True, default=str).encode()).hexdigest()
        kept = cache.get(unique_id, key)
        if kept is not None:
            return {LINEAGE: kept}
    built = _build_column_lineage_metadata(history, props, manifest, translator, target_path,
                                           project)
    if key is not None and isinstance(built.get(LINEAGE), dg.TableColumnLineage):
        cache.put(unique_id, key, built[LINEAGE])
    return built
