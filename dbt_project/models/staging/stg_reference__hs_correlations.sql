with links_2012_2017 as (
    select 'HS2012' as old_revision, lpad(HS2012, 6, '0') as old_hs6,
           'HS2017' as new_revision, lpad(HS2017, 6, '0') as new_hs6, rel as relationship
    from {{ ref('ref_hs_correlation_2012_2017') }}
),

links_2017_2022 as (
    select 'HS2017' as old_revision, lpad(HS2017, 6, '0') as old_hs6,
           'HS2022' as new_revision, lpad(HS2022, 6, '0') as new_hs6, rel as relationship
    from {{ ref('ref_hs_correlation_2017_2022') }}
),

final as (
    select * from links_2012_2017
    union all
    select * from links_2017_2022
)

select * from final
