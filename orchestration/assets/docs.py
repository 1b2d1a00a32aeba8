"""dbt docs for analysts: every schema, table and column, as one static page."""

import os
import shutil
import subprocess

import dagster as dg
from dagster_dbt import DbtProject

from ingest.settings import DBT_EXECUTABLE
from ingest.warehouse.docs_fingerprint import docs_fingerprint, is_current, mark_current
from orchestration.dbt_cli import restore_parse_cache
from orchestration.resources import Warehouse


def docs_asset(project: DbtProject, dbt_parts: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    @dg.asset(key=["report", "dbt_docs"], deps=dbt_parts, group_name="report",
              kinds={"dbt", "html"}, owners=["team:data-engineering"])
    def dbt_docs(context: dg.AssetExecutionContext, warehouse: Warehouse):
        """`dbt docs generate --static` into report/dbt_docs/static_index.html: the catalogue
        of every model and column (descriptions from the yml files) for analysts. Skipped when
        neither the project nor the warehouse's tables and columns changed since the page was
        written (ingest.warehouse.docs_fingerprint)."""
        target = warehouse.paths.report / "dbt_docs"
        page = target / "static_index.html"
        with warehouse.connect(read_only=True) as conn:
            fingerprint = docs_fingerprint(project.manifest_path, conn)
        if is_current(target, fingerprint):
            context.log.info(f"dbt docs unchanged (same models, descriptions and columns): {page}")
            return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                                  "regenerated": False})
        # The manifest of the project and this data folder's parse cache serve: no second
        # parse or compile. The catalogue is read from the DuckDB build warehouse (the duckdb
        # target) on both engines.
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project.manifest_path, target / "manifest.json")
        restore_parse_cache(warehouse.paths.dbt_work, target)
        proc = subprocess.run([DBT_EXECUTABLE, "docs", "generate", "--static", "--no-compile",
                               "--quiet", "--profiles-dir", ".", "--target", "duckdb",
                               "--target-path", str(target)],
                              cwd=project.project_dir,
                              env={**os.environ, **warehouse.settings.dbt_env()},
                              capture_output=True, text=True)
        for name in ("manifest.json", "partial_parse.msgpack"):  # artifacts, not the page
            (target / name).unlink(missing_ok=True)
        if proc.returncode != 0:
            raise dg.Failure(f"dbt docs generate failed:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
        mark_current(target, fingerprint)
        context.log.info(f"dbt docs written to {page}")
        return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                              "regenerated": True})
    return dbt_docs
