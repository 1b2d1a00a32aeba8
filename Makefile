# medtrade: make run (pipeline on the default data), make test, make ui.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := python3 -m uv
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export UV_LINK_MODE := copy
# dbt always runs from dbt_project/: its partial-parse cache stores paths relative to the
# working directory, and Dagster runs dbt from there.
DBT := cd dbt_project && $(UV) run --frozen dbt
DBT_FLAGS := --profiles-dir .

.PHONY: setup manifest run test ui bench clean

setup:  ## create .venv from the lock file (uv.lock)
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --extra dev

manifest: setup  ## dbt parse -> dbt_project/target/manifest.json (read by Dagster)
	$(DBT) parse --quiet $(DBT_FLAGS)

run: manifest  ## write the synthetic default data if no data are present, run everything, publish
	$(UV) run --frozen medtrade demo-data --if-missing
	$(UV) run --frozen medtrade run

test: manifest  ## the test suite (what CI runs)
	$(UV) run --frozen pytest

ui: manifest  ## Dagster UI on http://127.0.0.1:3000
	$(UV) run --frozen dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

clean:
	rm -rf dbt_project/target dbt_project/logs .pytest_cache

bench: manifest  ## benchmarks: print each figure against its target
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(UV) run --frozen python -m benchmarks.$$(basename $$b .py) || true; done
