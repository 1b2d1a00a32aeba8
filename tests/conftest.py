import os
import tempfile

# Run history of tests never lands in a data folder's dagster/ (tests that build an
# instance themselves use ephemeral ones).
os.environ["DAGSTER_HOME"] = tempfile.mkdtemp(prefix="medtrade-dagster-home-")
