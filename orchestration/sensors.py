"""A sensor on the landing folder and an annual schedule.

The sensor fingerprints each customs year folder and the yearbook folder by the SHA-256
of their files (content, not modification time). A changed or new customs year starts a
run for that year's partition; a changed yearbook folder starts a run over every year.
"""
import hashlib
import json

import dagster as dg

from ingest.hash_cache import hashes
from ingest.load import customs_years
from ingest.readers import landing_files
from orchestration.jobs import full_pipeline
from orchestration.partitions import landing_range_tags
from orchestration.resources import Warehouse


def _fingerprint(paths, files) -> str:
    digest = hashlib.sha256()
    for path, sha in zip(files, hashes(paths.hash_cache, files)):
        digest.update(f"{path.name}:{sha};".encode())
    return digest.hexdigest()


def landing_fingerprints(paths) -> dict[str, str]:
    """Content fingerprints; a file is hashed again only when it changed (ingest.hash_cache)."""
    prints = {str(y): _fingerprint(paths, landing_files(paths.customs / str(y)))
              for y in customs_years(paths)}
    prints["yearbook"] = _fingerprint(paths, landing_files(paths.yearbook))
    return prints


@dg.sensor(job=full_pipeline, minimum_interval_seconds=60,
           description="Starts a run for each customs year whose files arrived or changed "
                       "(by content hash), or for all years when yearbook files changed.")
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse):
    paths = warehouse.paths
    seen = json.loads(context.cursor) if context.cursor else {}
    now = landing_fingerprints(paths)
    changed = sorted(k for k, v in now.items() if seen.get(k) != v)
    context.update_cursor(json.dumps(now))
    if not changed:
        return dg.SkipReason("landing files unchanged")
    if "yearbook" in changed:
        return dg.RunRequest(run_key=f"all-{now['yearbook'][:12]}", tags=landing_range_tags(paths))
    return [dg.RunRequest(run_key=f"{year}-{now[year][:12]}", partition_key=year)
            for year in changed]


@dg.schedule(job=full_pipeline, cron_schedule="0 3 1 7 *", execution_timezone="Asia/Shanghai",
             description="Annual load on 1 July (after the customs yearbook release): every "
                         "customs year in the landing folder, in one run.")
def annual_load(context: dg.ScheduleEvaluationContext, warehouse: Warehouse):
    tags = landing_range_tags(warehouse.paths)
    if not tags:
        return dg.SkipReason("no customs files in the landing folder")
    return dg.RunRequest(tags=tags)
