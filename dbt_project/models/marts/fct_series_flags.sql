-- Screening of the yearbook series (issue 14): year-on-year jumps, breaks that many
-- provinces share in one year, and isolated spikes, on the observed values in canonical
-- units. Warnings for a person to look at: nothing is changed. Thresholds: var screening.
{%- set s = var('screening') %}
with observed as (
    select indicator_code, province_code, year, value
    from {{ ref('int_yearbook__canonical') }}
    where value is not null and value > 0 and static_year is null
),

neighbours as (
    select
        indicator_code,
        province_code,
        year,
        value,
        lag(value) over w as prev_value,
        lag(year) over w as prev_year,
        lead(value) over w as next_value,
        lead(year) over w as next_year
    from observed
    window w as (partition by indicator_code, province_code order by year)
),

ratios as (
    select
        *,
        case when prev_year = year - 1 then value / prev_value end as ratio
    from neighbours
),

jumps as (
    select indicator_code, province_code, year, 'jump' as kind, ratio
    from ratios
    where ratio > {{ s.jump_ratio }} or ratio < 1.0 / {{ s.jump_ratio }}
),

spikes as (
    select
        indicator_code, province_code, year, 'spike' as kind,
        value / exp((ln(prev_value) + ln(next_value)) / 2) as ratio
    from ratios
    where prev_year = year - 1 and next_year = year + 1
        and next_value / prev_value <= {{ s.jump_ratio }}
        and next_value / prev_value >= 1.0 / {{ s.jump_ratio }}
        and ((value / prev_value > {{ s.spike_ratio }} and value / next_value > {{ s.spike_ratio }})
             or (value / prev_value < 1.0 / {{ s.spike_ratio }}
                 and value / next_value < 1.0 / {{ s.spike_ratio }}))
),

shared as (
    select
        indicator_code,
        cast(null as {{ dbt.type_string() }}) as province_code,
        year,
        'shared_break' as kind,
        {{ median('ratio') }} as ratio
    from ratios
    where ratio is not null
    group by indicator_code, year
    having count(*) >= {{ s.shared_break_min_provinces }}
        and ({{ median('ratio') }} > {{ s.shared_break_ratio }}
             or {{ median('ratio') }} < 1.0 / {{ s.shared_break_ratio }})
),

flags as (
    select * from jumps
    union all
    select * from spikes
    union all
    select * from shared
),

catalogue as (
    select * from {{ ref('stg_reference__indicator_catalogue') }}
),

-- the indices (or control, instrument) an input feeds: itself, or the ratios it enters
feeds as (
    select inputs.indicator_code, {{ ordered_listagg('uses.index_name') }} as feeds
    from catalogue as inputs
    inner join catalogue as uses
        on uses.indicator_code = inputs.indicator_code
        or uses.numerator = inputs.indicator_code
        or uses.denominator = inputs.indicator_code
    where uses.index_name <> 'input'
    group by inputs.indicator_code
)

select
    cast(flags.indicator_code as {{ dbt.type_string() }}) as indicator,
    cast(flags.province_code as {{ dbt.type_string() }}) as province_code,
    cast(flags.year as integer) as year,
    cast(flags.kind as {{ dbt.type_string() }}) as kind,
    cast(flags.ratio as double) as ratio,
    cast(coalesce(feeds.feeds, 'none') as {{ dbt.type_string() }}) as feeds
from flags
left join feeds on feeds.indicator_code = flags.indicator_code
