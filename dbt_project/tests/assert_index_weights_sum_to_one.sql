select sum(weight) as total_weight
from {{ ref('fct_index_weights') }}
having abs(sum(weight) - 1) > 1e-9
