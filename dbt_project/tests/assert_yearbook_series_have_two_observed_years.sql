-- docs/methodology.md section 3: a province-indicator with fewer than 2 observed years is an error.
select
    filled.province_code,
    filled.indicator_code,
    sum(case when filled.fill_method = 'observed' then 1 else 0 end) as n_observed
from {{ ref('int_yearbook__filled') }} as filled
group by filled.province_code, filled.indicator_code
having sum(case when filled.fill_method = 'observed' then 1 else 0 end) < 2
