"""The rooms and their one-way imports (README "Rooms"), checked on the source itself."""
import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Each package may import only packages of a lower layer: data flows one way, and the
# bottom (settings, connections, storage; estimators) knows nothing of what uses it.
LAYERS = {"warehouse": 0, "stats": 0,
          "ingest": 1, "quality": 1, "study": 1,
          "report": 2, "synthetic": 2,
          "orchestration": 3}
CODE = [*LAYERS, "benchmarks"]


def _imports(path: Path) -> set[str]:
    tops = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            tops |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            tops.add(node.module.split(".")[0])
    return tops


def _files(packages):
    return [f for p in packages for f in sorted((REPO / p).rglob("*.py"))]


def test_no_package_imports_one_above_it_or_beside_it():
    wrong = []
    for f in _files(LAYERS):
        own = f.relative_to(REPO).parts[0]
        for other in _imports(f) & set(LAYERS) - {own}:
            if LAYERS[other] >= LAYERS[own]:
                wrong.append(f"{f.relative_to(REPO)} imports {other}")
    assert not wrong, wrong


def test_every_duckdb_connection_goes_through_the_one_helper():
    """warehouse.connection opens DuckDB with the run's memory cap; nothing else may."""
    opened = [f"{f.relative_to(REPO)}:{n}" for f in _files(CODE)
              for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
              if "duckdb.connect(" in line]
    assert [o.split(":")[0] for o in opened] == ["warehouse/connection.py"], opened


def test_os_environ_is_written_only_in_the_dbt_calls_scoped_environment():
    writes = re.compile(r"os\.environ(\[[^\]]+\]\s*=|\.update\(|\.setdefault\(|\.pop\()")
    found = sorted({str(f.relative_to(REPO)) for f in _files(CODE)
                    if writes.search(f.read_text(encoding="utf-8"))})
    assert found == ["orchestration/dbt_cli.py"], found


def test_no_module_name_repeats_across_packages():
    """Asset modules are the exception: Dagster's convention names them after the room
    they call (orchestration/assets/publish.py calls warehouse/publish.py)."""
    names = {}
    for f in _files(LAYERS):
        if f.name != "__init__.py" and f.parent.name != "assets":
            names.setdefault(f.name, []).append(str(f.relative_to(REPO)))
    assert {n: p for n, p in names.items() if len(p) > 1} == {}
