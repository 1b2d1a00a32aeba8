"""Run the Great Expectations suites of `expectations/*.yml` against the warehouse.

A suite file names a table (the Dagster asset it checks), whether a failure blocks the
run, and batches: a SQL query (default: the whole table) and the expectations its result
must meet. Queries run in DuckDB; GX 1.x validates the result with its pandas datasource
(its SQL datasource does not work with DuckDB). `{value_set_from_seed: seed.column}` fills
a value_set from a dbt seed file (so raw checks need not wait for dbt; `seed_where:
{column: value}` keeps matching rows) and
`{value_set_from: <sql>}` from a query. GX is imported lazily: it takes several seconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import yaml

from quality.per_file import combine, per_file_frame, row_rules
from warehouse.seeds import hs_timetable, seed_frame
from warehouse.settings import REPO_ROOT

SUITES_DIR = REPO_ROOT / "expectations"


@dataclass(frozen=True)
class Suite:
    path: Path
    table: str
    asset_key: list[str]
    blocking: bool
    description: str
    batches: list[dict]
    severity: str = "error"  # error, or warning: reported, never stops the run

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass
class SuiteResult:
    suite: Suite
    success: bool
    checks: list[dict] = field(default_factory=list)  # one per expectation

    def failures(self) -> list[dict]:
        return [c for c in self.checks if not c["success"]]


def load_suites(folder: Path = SUITES_DIR) -> list[Suite]:
    suites = []
    for path in sorted(folder.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        severity = str(spec.get("severity", "error")).lower()
        if severity not in ("error", "warning"):
            raise ValueError(f"{path.name}: severity must be error or warning, not {severity!r}")
        suites.append(Suite(path, spec["table"], spec.get("asset", spec["table"].split(".")),
                            severity == "error" and bool(spec.get("blocking", True)),
                            spec.get("description", ""), spec["batches"], severity))
    return suites


def warm_up() -> None:
    """Import GX (5-7 s) in a background thread while a long step works in DuckDB, which
    releases the GIL; the first check then finds the module loaded."""
    import threading

    def load():
        import great_expectations  # noqa: F401

    threading.Thread(target=load, name="gx-import", daemon=True).start()


@lru_cache(maxsize=1)
def _gx():
    import great_expectations as gx
    from great_expectations.data_context.types.base import (DataContextConfig,
                                                            InMemoryStoreBackendDefaults)

    # analytics off in the context's own settings (no process-wide environment variable)
    context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(), analytics_enabled=False))
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("warehouse")
    return gx, context, source


@lru_cache(maxsize=8)
def _docs_site(docs_dir: str) -> str:
    """A Data Docs site writing into docs_dir (report/data_docs), added once per process."""
    _, context, _ = _gx()
    name = f"report_{abs(hash(docs_dir))}"
    context.add_data_docs_site(site_name=name, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
    return name


def _replace(collection, item):
    try:
        collection.delete(item.name)
    except Exception:  # not there yet
        pass
    return collection.add(item)


@lru_cache(maxsize=16)
def _seed_values(seed: str, column: str, where: tuple = ()) -> list:
    """Distinct values of a seed column, on the rows matching every (column, value) of where."""
    frame = seed_frame(seed, keep_na=False)
    for name, value in where:
        frame = frame[frame[name] == str(value)]
    return sorted(frame[column].unique())


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _resolved(conn, kwargs: dict) -> dict:
    """kwargs with value sets filled from a query, a seed or the HS revision timetable."""
    kwargs = dict(kwargs)
    if "value_set_from" in kwargs:
        kwargs["value_set"] = [r[0] for r in conn.execute(kwargs.pop("value_set_from")).fetchall()]
    if "value_set_from_seed" in kwargs:  # "seed_file.column": checks need not wait for dbt
        seed, column = kwargs.pop("value_set_from_seed").rsplit(".", 1)
        where = tuple(sorted((kwargs.pop("seed_where", None) or {}).items()))
        kwargs["value_set"] = _seed_values(seed, column, where)
    if "value_set_from_hs_revisions" in kwargs:  # the revisions of dbt var hs_revisions
        kwargs.pop("value_set_from_hs_revisions")
        kwargs["value_set"] = [revision for revision, _ in hs_timetable()]
    return kwargs


def _batch_frame(conn, suite: Suite, batch: dict, progress=None):
    """(the frame GX validates, the row rules evaluated per file or None)."""
    items = [next(iter(item.items())) for item in batch["expectations"]]
    if "per_file" not in batch:
        return conn.execute(batch.get("query") or f"select * from {suite.table}").df(), None
    if "query" in batch["per_file"]:
        frame = per_file_frame(conn, suite.name, suite.table, batch, None, progress)
        return combine(conn, frame, batch["query"]), None
    rules = row_rules([(name, _resolved(conn, kwargs or {})) for name, kwargs in items])
    return per_file_frame(conn, suite.name, suite.table, batch, rules, progress), rules


def _gx_expectations(gx, conn, batch: dict, rules):
    if rules is None:
        return [getattr(gx.expectations, _class_name(name))(**_resolved(conn, kwargs or {}))
                for name, kwargs in (next(iter(i.items())) for i in batch["expectations"])]
    return [gx.expectations.ExpectColumnValuesToBeBetween(
        column=r.count_column, min_value=0, max_value=0,
        notes=f"Rows breaking {r.describe()}, counted by DuckDB over every row of each file "
              "(one row per file).") for r in rules]


def _row_rule_check(label: str, rule, gx_result, frame) -> dict:
    """A per-file rule's GX result, reported as the row expectation it stands for."""
    failing = frame[frame[rule.count_column] > 0] if not frame.empty else frame
    examples = [e for lst in failing.get(f"examples__{rule.count_column}", []) for e in lst]
    return {"batch": label, "expectation": rule.name, "kwargs": rule.kwargs,
            "success": bool(gx_result.success),
            "unexpected_count": int(failing[rule.count_column].sum()) if not failing.empty else 0,
            "observed_value": f"{len(failing)} of {len(frame)} file(s) with unexpected rows",
            "examples": examples[:5], "per_file": True}


def _examples(gx_result: dict) -> list:
    """Up to five unexpected values, with their index columns when the batch names them."""
    indexed = gx_result.get("partial_unexpected_index_list")
    if indexed and isinstance(indexed[0], dict):  # without index columns GX lists row numbers
        return [", ".join(f"{k} {v}" for k, v in row.items()) for row in indexed[:5]]
    return list(gx_result.get("partial_unexpected_list") or [])[:5]


def write_data_docs(docs_dir: Path) -> Path:
    """Render Data Docs of every validation this process ran into docs_dir (one pass, about
    0.3 s; updating them after each checkpoint cost about 0.4 s per suite)."""
    _, context, _ = _gx()
    docs_dir.mkdir(parents=True, exist_ok=True)
    context.build_data_docs(site_names=[_docs_site(str(docs_dir))])
    return docs_dir / "index.html"


def run_suite(conn: duckdb.DuckDBPyConnection, suite: Suite, progress=None) -> SuiteResult:
    """Validate every batch of ``suite`` (Data Docs: write_data_docs).

    A ``per_file`` batch is evaluated by DuckDB file by file (quality.per_file) and
    needs a writable connection (its per-file results are kept in the warehouse)."""
    gx, context, source = _gx()
    result = SuiteResult(suite, True)
    for i, batch in enumerate(suite.batches):
        label = batch.get("name", f"batch {i}")
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{suite.name}.{label}").strip("_")
        frame, rules = _batch_frame(conn, suite, batch, progress)
        try:
            source.delete_asset(name)
        except Exception:  # first use of this name
            pass
        definition = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(
            "whole")
        gx_suite = _replace(context.suites, gx.ExpectationSuite(name=name))
        for expectation in _gx_expectations(gx, conn, batch, rules):
            gx_suite.add_expectation(expectation)
        validation = _replace(context.validation_definitions,
                              gx.ValidationDefinition(name=name, data=definition, suite=gx_suite))
        # `index: [columns]` in a batch: GX reports the unexpected rows by those columns
        fmt = ({"result_format": "SUMMARY", "unexpected_index_column_names": batch["index"]}
               if batch.get("index") else "SUMMARY")
        checkpoint = _replace(context.checkpoints, gx.Checkpoint(
            name=name, validation_definitions=[validation], result_format=fmt))
        run = checkpoint.run(batch_parameters={"dataframe": frame})
        for outcome in run.run_results.values():
            for r in outcome.results:
                if rules is not None:
                    rule = next(x for x in rules if x.count_column == r.expectation_config.kwargs["column"])
                    result.checks.append(_row_rule_check(label, rule, r, frame))
                    continue
                cfg = r.expectation_config
                result.checks.append({
                    "batch": label, "expectation": cfg.type,
                    "kwargs": {k: v for k, v in cfg.kwargs.items() if k != "batch_id"},
                    "success": bool(r.success),
                    "unexpected_count": r.result.get("unexpected_count"),
                    "observed_value": r.result.get("observed_value"),
                    "examples": _examples(r.result),
                })
        result.success &= bool(run.success)
    return result
