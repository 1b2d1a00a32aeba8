import os
import tempfile

# Run history of tests never lands in the project's .dagster_home.
os.environ["DAGSTER_HOME"] = tempfile.mkdtemp(prefix="medtrade-dagster-home-")
