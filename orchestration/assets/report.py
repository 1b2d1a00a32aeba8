"""The report: the study's tables (Markdown, HTML, LaTeX) and figures, from the results schema."""
import dagster as dg

from orchestration.resources import Warehouse
from study.registry import TABLES


@dg.asset(key=["report", "study_tables"], group_name="report", kinds={"python", "html"},
          owners=["team:econometrics"],
          deps=[dg.AssetKey(["results", t.asset]) for t in TABLES])
def study_report(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Renders Tables 3-10 in the study's layout (stars, SEs in parentheses, N, R2, FE rows)
    as Markdown, HTML and LaTeX, with a coefficient plot and a mediation diagram (PNG)."""
    from report.writer import write_report  # matplotlib: import when used
    with warehouse.connect(read_only=True) as conn:
        written = write_report(conn, warehouse.paths.report)
    context.log.info(f"report written to {warehouse.paths.report}")
    return dg.MaterializeResult(metadata={
        "files": dg.MetadataValue.md("\n".join(f"- {p.name}" for p in written)),
        "report": dg.MetadataValue.path(str(warehouse.paths.report / "report.html"))})


@dg.asset(key=["report", "data_docs"], deps=[study_report], group_name="report",
          kinds={"html"}, owners=["team:data-engineering"])
def data_docs(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Great Expectations Data Docs (report/data_docs/index.html) of every check of the run,
    rendered once after the last blocking check (the results suite on the report); a check
    that fails renders them at once, since a failed run does not get here."""
    from quality.suites import write_data_docs
    index = write_data_docs(warehouse.paths.report / "data_docs")
    context.log.info(f"Data Docs written to {index}")
    return dg.MaterializeResult(metadata={"index": dg.MetadataValue.path(str(index))})
