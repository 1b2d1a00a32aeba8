-- PCA loadings per composite, indicator and component (unit eigenvectors), typed.
with source as (
    select * from {{ engine_source('composites', 'pca_loadings') }}
),

final as (
    select
        cast(indicator_code as {{ dbt.type_string() }}) as indicator_code,
        cast(component as integer) as component,
        cast(loading as double) as loading,
        cast(composite as {{ dbt.type_string() }}) as composite
    from source
)

select * from final
