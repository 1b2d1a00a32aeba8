-- Every catalogue indicator per province-year in its canonical unit: yearbook inputs
-- (filled), static attributes broadcast to every year, ratio indicators
-- (numerator / denominator * multiplier) and the customs-derived indicators.
-- A derived value is imputed when any ingredient is.
with catalogue as (
    select * from {{ ref('stg_reference__indicator_catalogue') }}
),

years as (
    select year from {{ ref('int_panel_years') }}
),

inputs as (
    select province_code, year, indicator_code, value, is_imputed
    from {{ ref('int_yearbook__filled') }}
    union all
    select static.province_code, years.year, static.indicator_code, static.value, false
    from {{ ref('int_yearbook__static') }} as static
    cross join years
),

ratios as (
    select
        numerator.province_code,
        numerator.year,
        catalogue.indicator_code,
        case
            when catalogue.denominator is null then numerator.value * catalogue.multiplier
            else {{ safe_divide('numerator.value', 'denominator.value') }} * catalogue.multiplier
        end as value,
        numerator.is_imputed or coalesce(denominator.is_imputed, false) as is_imputed
    from catalogue
    inner join inputs as numerator on numerator.indicator_code = catalogue.numerator
    left join inputs as denominator
        on denominator.indicator_code = catalogue.denominator
        and denominator.province_code = numerator.province_code
        and denominator.year = numerator.year
    where catalogue.kind = 'ratio'
),

customs as (
    select province_code, year, 'rs_export_growth' as indicator_code,
           export_growth as value, false as is_imputed
    from {{ ref('int_export_structure') }}
    union all
    select province_code, year, 'rs_partner_breadth', cast(n_partners as double), false
    from {{ ref('int_export_structure') }}
),

final as (
    select * from inputs
    union all
    select * from ratios
    union all
    select * from customs
)

select * from final
