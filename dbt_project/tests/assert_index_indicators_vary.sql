-- An indicator constant within an entropy composite's pool group cannot be
-- range-standardised (within each province, an indicator that never changes fails).
select composite, pool_group, indicator_code, min_value, max_value
from {{ ref('int_entropy_standardised') }}
group by composite, pool_group, indicator_code, min_value, max_value
having max_value = min_value
