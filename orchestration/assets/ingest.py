"""Landing files -> DuckDB raw tables (the sources of the dbt project)."""
import shutil
import warnings

import dagster as dg

from ingest.customs.lake_health import plan_repairs
from ingest.customs.load_year import space_needed_mb
from ingest.load import (customs_years, ensure_raw_schema, load_customs_year, load_world,
                         load_yearbook)
from ingest.reference import UnsupportedRevision, check_customs_year
from orchestration.metadata import table_metadata
from orchestration.resources import Warehouse
from quality.suites import warm_up
from warehouse import customs_lake
from warehouse.faults import DISK_FULL, disk_full_message, machine_fault
from warehouse.lake import export_raw_table, export_table


def _to_lake(context, warehouse: Warehouse, conn, table: str | None, years=None) -> None:
    """On the Spark engine, raw tables reach Spark as Parquet in the lake, by year (customs
    rows are stored there by the load itself; the yearbook and world tables are exported),
    with raw.loaded_files (the input fingerprints of the customs years)."""
    if warehouse.engine != "spark":
        return
    export_table(conn, "raw.loaded_files", warehouse.paths.lake / "raw" / "loaded_files")
    if table is None:
        return
    written = export_raw_table(conn, warehouse.paths.lake, table, years)
    context.log.info(f"lake/raw/{table}: {sum(written.values())} rows in "
                     f"{len(written)} year folder(s) written for Spark")


def _files_md(results) -> dg.MetadataValue:
    rows = ["| partition | file | sha256 | status |", "|---|---|---|---|"]
    for r in results:
        status = "unchanged, skipped" if r.skipped_unchanged else f"{r.rows} rows loaded"
        rows += [f"| {r.partition_key} | {f} | `{h[:12]}` | {status} |" for f, h in r.files]
    return dg.MetadataValue.md("\n".join(rows))


def customs_asset(partitions_def: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    """raw/customs_exports, partitioned by the landing folder's years (partitions.py)."""
    with warnings.catch_warnings():  # backfill_policy is beta: the notice is not for users
        warnings.simplefilter("ignore", dg.BetaWarning)
        return dg.asset(key=["raw", "customs_exports"], group_name="raw",
                        kinds={"python", "duckdb"}, owners=["team:data-engineering"],
                        partitions_def=partitions_def,
                        backfill_policy=dg.BackfillPolicy.single_run())(raw_customs_exports)


def raw_customs_exports(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """China Customs export files (landing/customs/<year>/) loaded into raw.customs_exports.

    Partitioned by year: each selected year is replaced in one transaction, and only when
    its files changed (SHA-256), so loading the same files twice changes nothing. A range
    of years loads in one run. Rows that break the data contract go to
    quality.rejected_rows and stop the run with a message naming file, row and column.
    """
    paths = warehouse.paths
    warm_up()  # the checks after this step need GX: import it while DuckDB loads
    present = set(customs_years(paths))
    requested = [int(k) for k in context.partition_keys]
    years = [y for y in requested if y in present]
    for y in sorted(set(requested) - present):
        context.log.warning(f"customs {y}: no folder landing/customs/{y}/; year left as it was")
    if not years:
        raise dg.Failure(f"no customs files under {paths.customs}/<year>/ for {requested}")
    results = []
    with warehouse.connect() as conn:
        ensure_raw_schema(conn)
        # what a killed load left in the scratch folder (this run holds the folder's lock)
        shutil.rmtree(paths.scratch, ignore_errors=True)
        # lake files lost, cut off or restored from an older backup: reload their years
        repairs = plan_repairs(conn, paths)
        if repairs.lost:
            raise dg.Failure("customs lake files cannot be rebuilt:\n" + "\n".join(repairs.lost))
        for warning in repairs.warnings():
            context.log.warning(warning)
        todo = sorted(set(years) | set(repairs.reload))
        for year in todo:  # a year the seeds cannot map stops the run before any load
            try:
                check_customs_year(year)
            except UnsupportedRevision as exc:
                raise dg.Failure(str(exc)) from None
        for year in todo:
            try:
                results.append(load_customs_year(conn, paths, year, progress=context.log.info,
                                                 detail=context.log.debug))
            except Exception as exc:
                if machine_fault(exc) != DISK_FULL:
                    raise
                raise dg.Failure(disk_full_message(exc, paths.lake, f"loading customs {year}",
                                                   space_needed_mb(paths, year))) from None
        # the view holds absolute paths: re-point it every run (a moved data folder heals)
        customs_lake.refresh_view(conn, paths.lake)
        # files no load lists (left by a killed load, or an older backup) go, in every year
        customs_lake.remove_unlisted(customs_lake.table_root(paths.lake),
                                     customs_lake.listed_files(conn))
        _to_lake(context, warehouse, conn, None)
        meta = table_metadata(conn, "raw.customs_exports")
    return dg.MaterializeResult(metadata={**meta, "input_files": _files_md(results),
                                          "years": dg.MetadataValue.text(
                                              f"{years[0]}-{years[-1]}")})


@dg.asset(key=["raw", "yearbook_values"], group_name="raw", kinds={"python", "duckdb"},
          owners=["team:data-engineering"])
def raw_yearbook_values(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Statistical yearbook files (landing/yearbook/) loaded into raw.yearbook_values.

    Accepts the long form and the NBS portal's wide export. Unknown indicators are
    reported (warnings below) and skipped; bad rows stop the run before anything changes.
    """
    with warehouse.connect() as conn:
        ensure_raw_schema(conn)
        result = load_yearbook(conn, warehouse.paths)
        _to_lake(context, warehouse, conn, "yearbook_values")
        meta = table_metadata(conn, "raw.yearbook_values")
    for warning in result.warnings:
        context.log.warning(warning)
    return dg.MaterializeResult(metadata={
        **meta, "input_files": _files_md([result]),
        "warnings": dg.MetadataValue.md("\n".join(f"- {w}" for w in result.warnings) or "none")})


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "world_trade_exports"], group_name="raw", kinds={"python", "duckdb"},
                        owners=["team:data-engineering"],
                        description="Optional world trade (country x HS6 x year) for PRODY."),
           dg.AssetSpec(["raw", "world_gdp_per_capita"], group_name="raw",
                        kinds={"python", "duckdb"}, owners=["team:data-engineering"],
                        description="Optional country x year GDP per capita for PRODY.")])
def raw_world(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Optional world files (landing/world/): when present, PRODY uses the world variant."""
    with warehouse.connect() as conn:
        ensure_raw_schema(conn)
        results = load_world(conn, warehouse.paths)
        for table in ("world_trade_exports", "world_gdp_per_capita"):
            _to_lake(context, warehouse, conn, table)
        metas = [table_metadata(conn, t) for t in ("raw.world_trade_exports",
                                                   "raw.world_gdp_per_capita")]
    if not any(r.files for r in results):
        context.log.info("no world files: PRODY will use the provincial variant")
    for key, meta, result in zip(("world_trade_exports", "world_gdp_per_capita"), metas, results):
        yield dg.MaterializeResult(asset_key=["raw", key],
                                   metadata={**meta, "input_files": _files_md([result])})
