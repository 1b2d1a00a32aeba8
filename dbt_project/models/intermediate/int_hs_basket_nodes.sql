-- One row per (HS revision, HS6) code of the basket groups switched on by var('basket_groups').
with candidates as (
    select * from {{ ref('stg_reference__hs6_candidates') }}
    where basket_group in ({{ basket_group_list() }})
),

final as (
    select 'HS2012' as hs_revision, hs6, basket_group, description from candidates where in_hs2012
    union all
    select 'HS2017' as hs_revision, hs6, basket_group, description from candidates where in_hs2017
    union all
    select 'HS2022' as hs_revision, hs6, basket_group, description from candidates where in_hs2022
)

select * from final
