# medtrade: make run (pipeline on the default data), make test, make ui.
# The Spark engine: make setup-spark, then make run ENGINE=spark.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := python3 -m uv
export UV_LINK_MODE := copy
# Compile every installed module once at install: with PYTHONDONTWRITEBYTECODE set (as on
# these machines) Python would otherwise recompile ~1000 modules in every command (~2 s each
# for dagster, dbt and the stats stack).
export UV_COMPILE_BYTECODE := 1
# The Spark engine is opt-in: `make setup-spark` leaves this marker, and later syncs keep
# the spark extra (uv sync would otherwise remove it).
SPARK_MARKER := .venv/.medtrade-spark
SPARK_EXTRA = $(if $(wildcard $(SPARK_MARKER)),--extra spark,)
ENGINE ?=
SPARK_THRIFT ?=
DATA_DIR ?=
DATA = $(if $(DATA_DIR),--data-dir $(DATA_DIR),)

.PHONY: setup setup-spark spark-cluster spark-cluster-stop manifest run test ui bench clean

setup:  ## create .venv from the lock file (uv.lock)
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --extra dev $(SPARK_EXTRA)

setup-spark:  ## the Spark engine: Java 17 from Debian, then pyspark and dbt-spark (extra `spark`)
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing openjdk-17-jre-headless (Debian)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null; }
	@java -version 2>&1 | head -1
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --extra dev --extra spark
	@touch $(SPARK_MARKER)

# A Spark standalone cluster (master, worker, Thrift server) from the pyspark package, on
# loopback, with its warehouse and metastore in the data folder (DATA_DIR, default ./data);
# then: make run ENGINE=spark SPARK_THRIFT=127.0.0.1:10000. docs/spark.md.
spark-cluster: setup-spark  ## start the local Spark cluster and its Thrift server; wait until it answers
	$(UV) run --frozen --no-sync medtrade spark-cluster start $(DATA)

spark-cluster-stop:  ## stop every JVM the cluster started (by PID)
	$(UV) run --frozen --no-sync medtrade spark-cluster stop $(DATA)

# dbt parse only when the manifest is missing or older than a project file: one decision,
# orchestration/project.py (also taken by `medtrade run` and `medtrade ui`).
manifest: setup  ## dbt parse -> dbt_project/target/manifest.json (read by Dagster)
	$(UV) run --frozen --no-sync python -m orchestration.project

# `manifest` ran `setup` (uv sync) already: --no-sync spares each command uv's check of
# every installed file
run: manifest  ## write the synthetic default data if no data are present, run everything, publish
	$(UV) run --frozen --no-sync medtrade demo-data --if-missing $(DATA)
	$(UV) run --frozen --no-sync medtrade run $(if $(ENGINE),--engine $(ENGINE),) $(if $(SPARK_THRIFT),--spark-thrift $(SPARK_THRIFT),) $(DATA)

test: manifest  ## the test suite (what CI runs)
	$(UV) run --frozen pytest

ui: manifest  ## Dagster UI on http://127.0.0.1:3000 (run history of the data folder)
	$(UV) run --frozen medtrade ui $(DATA)

clean:
	rm -rf dbt_project/target dbt_project/logs .pytest_cache

bench: manifest  ## benchmarks: print each figure against its target
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(UV) run --frozen python -m benchmarks.$$(basename $$b .py) || true; done
