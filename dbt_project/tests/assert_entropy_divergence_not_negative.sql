-- A warning, not an error: some published conventions (k = 1/ln(T) while the sum runs
-- over the whole pool) make every redundancy d = 1 - e negative; the weights still sum to
-- one, but the index no longer means what the entropy method says (the report notes it).
{{ config(severity='warn') }}
select composite, pool_group, indicator_code, divergence
from {{ ref('int_entropy_weights') }}
where divergence < 0
