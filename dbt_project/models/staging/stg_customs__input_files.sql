-- The customs landing files each loaded year was built from (raw.loaded_files): what the
-- incremental yearly sums compare to decide which years changed.
with source as (
    select * from {{ engine_source('raw', 'loaded_files') }}
),

final as (
    select
        cast(partition_key as integer) as year,
        source_file,
        file_hash,
        row_count
    from source
    where source = 'customs'
)

select * from final
