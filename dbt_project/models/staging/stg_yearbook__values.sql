with source as (
    select * from {{ engine_source('raw', 'yearbook_values') }}
),

final as (
    select
        province_code,
        cast(year as integer) as year,
        indicator_code,
        cast(value as double) as value,
        unit,
        source_file,
        file_hash,
        source_row
    from source
)

select * from final
