-- PCA composite loadings (METHODOLOGY.md section 4), from the pca_composites asset.
select
    cast(indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(component as integer) as component,
    cast(loading as double) as loading,
    cast(composite as {{ dbt.type_string() }}) as composite
from {{ composites_source('pca_loadings') }}
