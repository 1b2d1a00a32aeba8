"""dbt docs for analysts: every schema, table and column, as one static page."""
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.assets.dbt import dbt_parts
from orchestration.docs_fingerprint import docs_fingerprint, is_current, mark_current
from orchestration.project import dbt_project
from orchestration.resources import Warehouse


@dg.asset(key=["report", "dbt_docs"], deps=dbt_parts, group_name="report",
          kinds={"dbt", "html"}, owners=["team:data-engineering"])
def dbt_docs(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """`dbt docs generate --static` into report/dbt_docs/static_index.html: the catalogue of
    every model and column (descriptions from the yml files) for analysts. Skipped when
    neither the project nor the warehouse's tables and columns changed since the page was
    written (orchestration.docs_fingerprint)."""
    target = warehouse.paths.report / "dbt_docs"
    page = target / "static_index.html"
    with warehouse.connect(read_only=True) as conn:
        fingerprint = docs_fingerprint(dbt_project.manifest_path, conn)
    if is_current(target, fingerprint):
        context.log.info(f"dbt docs unchanged (same models, descriptions and columns): {page}")
        return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                              "regenerated": False})
    dbt = Path(sys.executable).with_name("dbt")
    proc = subprocess.run([str(dbt), "docs", "generate", "--static", "--quiet",
                           "--profiles-dir", ".", "--target-path", str(target)],
                          cwd=dbt_project.project_dir, env={**os.environ, **warehouse.dbt_env()},
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise dg.Failure(f"dbt docs generate failed:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    mark_current(target, fingerprint)
    context.log.info(f"dbt docs written to {page}")
    return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                          "regenerated": True})
