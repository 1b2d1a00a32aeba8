"""Great Expectations suites (expectations/*.yml) as Dagster asset checks.

Each suite becomes one check on its table's asset. Blocking checks that fail stop every
downstream asset in the run, publish included, so analysts never see a half-valid build.
"""
import json

import dagster as dg

from orchestration.resources import Warehouse
from quality.suites import Suite, load_suites, run_suite, write_data_docs


def _report(result) -> dg.MetadataValue:
    lines = ["| batch | expectation | thresholds | passed | unexpected | observed / examples |",
             "|---|---|---|---|---|---|"]
    for c in result.checks:
        shown = c["examples"] or c["observed_value"]
        lines.append(f"| {c['batch']} | {c['expectation']} | `{json.dumps(c['kwargs'], default=str)[:120]}` "
                     f"| {'yes' if c['success'] else '**no**'} | {c['unexpected_count']} "
                     f"| {json.dumps(shown, default=str)[:120]} |")
    return dg.MetadataValue.md("\n".join(lines))


def failure_lines(result) -> list[str]:
    """One line per failed expectation: table, rule, how many, and where (file, row, column)."""
    lines = []
    for f in result.failures():
        rule = f"{f['expectation']}({f['kwargs'].get('column') or f['kwargs'].get('column_list', '')})"
        where = "; ".join(str(e) for e in f["examples"]) or json.dumps(f["observed_value"], default=str)
        lines.append(f"{result.suite.table} [{f['batch']}]: {rule} failed: "
                     f"{f['unexpected_count']} unexpected, e.g. {where}")
    return lines


def suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(suite.asset_key), name=f"gx_{suite.name.replace('.', '__')}",
                    blocking=suite.blocking, description=f"GX suite {suite.path.name}: "
                    f"{suite.description}")
    def _check(context: dg.AssetCheckExecutionContext, warehouse: Warehouse) -> dg.AssetCheckResult:
        # writable: per-file batches keep their results in the warehouse (quality schema)
        with warehouse.connect() as conn:
            result = run_suite(conn, suite, progress=context.log.info)
        docs = warehouse.paths.report / "data_docs"
        if not result.success:  # at once: a failed run may not reach the report
            write_data_docs(docs)
        failures = failure_lines(result)
        if suite.severity == "warning":  # one line on the console; the detail in the log
            if failures:
                n = sum(int(f["unexpected_count"] or 0) for f in result.failures())
                context.log.warning(f"{suite.table}: {n} row(s) to look at (a warning: see "
                                    "the check's metadata and the report)")
            for line in failures:
                context.log.info(line)
        else:
            for line in failures:
                context.log.error(line)
        return dg.AssetCheckResult(
            passed=result.success,
            severity=(dg.AssetCheckSeverity.WARN if suite.severity == "warning"
                      else dg.AssetCheckSeverity.ERROR),
            metadata={"expectations": len(result.checks), "failed": len(result.failures()),
                      "data_docs": dg.MetadataValue.path(str(docs / "index.html")),
                      "suite_file": suite.path.name, "checks": _report(result),
                      "failures": dg.MetadataValue.md("\n".join(f"- {x}" for x in failures)
                                                      or "none")})
    return _check


def gx_checks() -> list[dg.AssetChecksDefinition]:
    """One check per suite file of expectations/ (read when the definitions load)."""
    return [suite_check(s) for s in load_suites()]
