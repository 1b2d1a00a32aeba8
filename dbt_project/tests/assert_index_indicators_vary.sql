-- An indicator constant over the pool cannot be range-standardised (entropy method).
select indicator_code, min_value, max_value
from {{ ref('int_entropy_standardised') }}
group by indicator_code, min_value, max_value
having max_value = min_value
