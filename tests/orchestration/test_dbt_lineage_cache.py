"""The column-lineage cache between runs: what a killed run leaves is ignored and cleared."""
import json

import dagster as dg

from orchestration.dbt_lineage import LineageCache


def test_a_cut_cache_is_rebuilt_and_a_killed_runs_copy_is_removed(tmp_path):
    path = tmp_path / "column_lineage-medtrade_dbt.json"
    path.write_text('{"model.a": ["k1", "')                 # cut by a kill mid-write
    leftover = tmp_path / f".{path.name}.tmp-99999"        # a killed run's half-written copy
    leftover.write_text("{")
    cache = LineageCache(path)
    assert cache.entries == {} and cache.get("model.a", "k1") is None
    lineage = dg.TableColumnLineage(deps_by_column={
        "x": [dg.TableColumnDep(asset_key=dg.AssetKey(["staging", "s"]), column_name="x")]})
    cache.put("model.a", "k1", lineage)
    cache.put("model.gone", "k2", lineage)
    cache.save({"nodes": {"model.a": {}}})
    assert not leftover.exists()
    assert not list(tmp_path.glob(".*.tmp-*"))
    assert set(json.loads(path.read_text())) == {"model.a"}  # models gone are dropped
    again = LineageCache(path)
    assert again.get("model.a", "k1") == lineage and again.hits == 1
    assert again.get("model.a", "another key") is None
