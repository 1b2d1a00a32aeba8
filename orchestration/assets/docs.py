"""dbt docs for analysts: every schema, table and column, as one static page."""

import dagster as dg
from dagster_dbt import DbtProject

from orchestration.dbt_cli import MedtradeDbtCli
from orchestration.resources import Warehouse
from warehouse.docs_fingerprint import docs_fingerprint, is_current, mark_current

ARTIFACTS = ("manifest.json", "partial_parse.msgpack", "dbt.log")


def docs_asset(project: DbtProject, dbt_parts: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    @dg.asset(key=["report", "dbt_docs"], deps=dbt_parts, group_name="report",
              kinds={"dbt", "html"}, owners=["team:data-engineering"])
    def dbt_docs(context: dg.AssetExecutionContext, dbt: MedtradeDbtCli, warehouse: Warehouse):
        """`dbt docs generate --static` into report/dbt_docs/static_index.html: the catalogue
        of every model and column (descriptions from the yml files) for analysts. Skipped when
        neither the project nor the warehouse's tables and columns changed since the page was
        written (warehouse.docs_fingerprint)."""
        target = warehouse.paths.report / "dbt_docs"
        page = target / "static_index.html"
        with warehouse.connect(read_only=True) as conn:
            fingerprint = docs_fingerprint(project.manifest_path, conn)
        if is_current(target, fingerprint):
            context.log.info(f"dbt docs unchanged (same models, descriptions and columns): {page}")
            return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                                  "regenerated": False})
        # The dbt resource of the run (its target is the engine; the parse cache of this data
        # folder serves), with the project's manifest: no second parse or compile.
        target.mkdir(parents=True, exist_ok=True)
        (target / "manifest.json").write_bytes(project.manifest_path.read_bytes())
        try:
            dbt.cli(["docs", "generate", "--static", "--no-compile"], target_path=target).wait()
        finally:
            for name in ARTIFACTS:  # the page only, not dbt's artifacts
                (target / name).unlink(missing_ok=True)
        mark_current(target, fingerprint)
        context.log.info(f"dbt docs written to {page}")
        return dg.MaterializeResult(metadata={"page": dg.MetadataValue.path(str(page)),
                                              "regenerated": True})
    return dbt_docs
