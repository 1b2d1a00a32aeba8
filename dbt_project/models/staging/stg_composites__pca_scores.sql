-- PCA composite scores as the pca_composites asset wrote them (docs/methodology.md section
-- 4), typed: one row per province, panel year and composite.
with source as (
    select * from {{ engine_source('composites', 'pca_scores') }}
),

final as (
    select
        cast(province_code as {{ dbt.type_string() }}) as province_code,
        cast(year as integer) as year,
        cast(composite as {{ dbt.type_string() }}) as composite,
        cast(score as double) as score
    from source
)

select * from final
