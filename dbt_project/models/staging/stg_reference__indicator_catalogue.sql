with source as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        code as indicator_code,
        kind,
        name_zh,
        name_en,
        unit,
        canonical_unit,
        cast(factor as double) as factor,
        cast(static_year as integer) as static_year,
        index_name,
        dimension,
        sub_dimension,
        coalesce(direction, 'positive') as direction,
        numerator,
        denominator,
        cast(coalesce(multiplier, 1) as double) as multiplier
    from source
)

select * from final
