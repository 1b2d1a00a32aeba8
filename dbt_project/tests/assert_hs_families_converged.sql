-- Label propagation must be stable in its last round; raise var hs_family_rounds if not.
select hs_revision, hs6, family_id, family_id_previous_round
from {{ ref('int_hs_families') }}
where family_id <> family_id_previous_round
