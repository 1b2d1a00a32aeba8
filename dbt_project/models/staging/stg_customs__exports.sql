with source as (
    select * from {{ engine_source('raw', 'customs_exports') }}
),

final as (
    select
        cast(year as integer) as year,
        cast(month as integer) as month,
        province_code,
        region_code,
        hs_code,
        substr(hs_code, 1, 6) as hs6,
        {{ hs_revision('year') }} as hs_revision,
        coalesce(partner, '') as partner,
        coalesce(trade_mode, '') as trade_mode,
        upper(currency) as currency,
        cast(value as decimal(18, 2)) as value,
        source_file,
        file_hash,
        source_row
    from source
)

select * from final
