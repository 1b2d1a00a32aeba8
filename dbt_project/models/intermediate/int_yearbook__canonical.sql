-- Yearbook values converted to the catalogue's canonical unit:
-- value * to_base(file unit) / to_base(catalogue unit) * factor.
with yearbook as (
    select * from {{ ref('stg_yearbook__values') }}
),

catalogue as (
    select * from {{ ref('stg_reference__indicator_catalogue') }} where kind = 'input'
),

units as (
    select * from {{ ref('stg_reference__unit_conversions') }}
),

final as (
    select
        yearbook.province_code,
        yearbook.year,
        yearbook.indicator_code,
        yearbook.value * file_unit.to_base / catalogue_unit.to_base * catalogue.factor as value,
        catalogue.canonical_unit,
        catalogue.static_year,
        yearbook.source_file,
        yearbook.source_row
    from yearbook
    inner join catalogue on catalogue.indicator_code = yearbook.indicator_code
    inner join units as file_unit on file_unit.unit = yearbook.unit
    inner join units as catalogue_unit on catalogue_unit.unit = catalogue.unit
)

select * from final
