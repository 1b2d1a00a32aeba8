-- One-off attributes (catalogue static_year, e.g. 1984 post and telecom volume), one
-- value per province, taken from the yearbook row of that year.
with catalogue as (
    select indicator_code, static_year from {{ ref('stg_reference__indicator_catalogue') }}
    where kind = 'input' and static_year is not null
),

final as (
    select
        canonical.province_code,
        canonical.indicator_code,
        canonical.year as static_year,
        canonical.value
    from {{ ref('int_yearbook__canonical') }} as canonical
    inner join catalogue
        on catalogue.indicator_code = canonical.indicator_code
        and catalogue.static_year = canonical.year
    where canonical.value is not null
)

select * from final
