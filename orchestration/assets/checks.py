"""Great Expectations suites (expectations/*.yml) as Dagster asset checks.

Each suite becomes one check on its table's asset. Blocking checks that fail stop every
downstream asset in the run, publish included, so analysts never see a half-valid build.
"""
import json

import dagster as dg

from orchestration.resources import Warehouse
from orchestration.validation import Suite, load_suites, run_suite


def _report(result) -> dg.MetadataValue:
    lines = ["| batch | expectation | thresholds | passed | unexpected | observed / examples |",
             "|---|---|---|---|---|---|"]
    for c in result.checks:
        shown = c["examples"] or c["observed_value"]
        lines.append(f"| {c['batch']} | {c['expectation']} | `{json.dumps(c['kwargs'], default=str)[:120]}` "
                     f"| {'yes' if c['success'] else '**no**'} | {c['unexpected_count']} "
                     f"| {json.dumps(shown, default=str)[:120]} |")
    return dg.MetadataValue.md("\n".join(lines))


def suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(suite.asset_key), name=f"gx_{suite.name.replace('.', '__')}",
                    blocking=suite.blocking, description=f"GX suite {suite.path.name}: "
                    f"{suite.description}")
    def _check(context: dg.AssetCheckExecutionContext, warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            result = run_suite(conn, suite, warehouse.paths.report / "data_docs")
        for failure in result.failures():
            context.log.error(f"{suite.table}: {failure['expectation']} failed on "
                              f"{failure['batch']}: {failure['unexpected_count']} unexpected, "
                              f"e.g. {failure['examples'] or failure['observed_value']}")
        return dg.AssetCheckResult(
            passed=result.success, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"expectations": len(result.checks), "failed": len(result.failures()),
                      "data_docs": dg.MetadataValue.path(
                          str(warehouse.paths.report / "data_docs" / "index.html")),
                      "suite_file": suite.path.name, "checks": _report(result)})
    return _check


gx_checks = [suite_check(s) for s in load_suites()]
