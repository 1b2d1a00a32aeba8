-- PCA components per composite (eigenvalues, variance shares, kept, weights), typed.
with source as (
    select * from {{ engine_source('composites', 'pca_components') }}
),

final as (
    select
        cast(composite as {{ dbt.type_string() }}) as composite,
        cast(index_name as {{ dbt.type_string() }}) as index_name,
        cast(component as integer) as component,
        cast(eigenvalue as double) as eigenvalue,
        cast(variance_share as double) as variance_share,
        cast(cumulative_share as double) as cumulative_share,
        cast(kept as boolean) as kept,
        cast(composite_weight as double) as composite_weight
    from source
)

select * from final
