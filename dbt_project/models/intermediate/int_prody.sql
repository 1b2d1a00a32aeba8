-- The PRODY used by EXPY: the world variant when world trade files were loaded,
-- otherwise the provincial fallback. fct_export_structure.prody_variant says which.
with world as (
    select * from {{ ref('int_prody__world') }}
),

provincial as (
    select * from {{ ref('int_prody__provincial') }}
),

choice as (
    select count(*) > 0 as use_world from world
),

final as (
    select world.* from world cross join choice where choice.use_world
    union all
    select provincial.* from provincial cross join choice where not choice.use_world
)

select * from final
