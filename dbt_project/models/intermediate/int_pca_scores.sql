-- PCA composite scores (METHODOLOGY.md section 4), computed by the pca_composites asset
-- (stats.composites) on this engine's int_indicator_values and written to the lake.
select
    cast(province_code as {{ dbt.type_string() }}) as province_code,
    cast(year as integer) as year,
    cast(composite as {{ dbt.type_string() }}) as composite,
    cast(score as double) as score
from {{ composites_source('pca_scores') }}
