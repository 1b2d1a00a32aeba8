"""Jobs. The whole pipeline is one run; steps run one at a time in one process."""
import dagster as dg

full_pipeline = dg.define_asset_job(
    "medtrade_pipeline", selection=dg.AssetSelection.all(),
    description="Landing files -> raw -> dbt (staging, intermediate, marts) -> results -> publish.",
)
