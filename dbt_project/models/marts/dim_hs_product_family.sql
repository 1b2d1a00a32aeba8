-- One row per healthcare product family with its member HS6 codes in each revision.
with families as (
    select * from {{ ref('int_hs_families') }}
),

heads as (
    select family_id, min(basket_group) as basket_group, min(description) as description
    from families
    where hs6 = family_id
    group by family_id
),

members as (
    select
        family_id,
        {% for revision, _ in var('hs_revisions') -%}
        {{ ordered_listagg("case when hs_revision = '" ~ revision ~ "' then hs6 end") }} as members_{{ revision | lower }},
        {% endfor -%}
        count(distinct hs6) as n_codes
    from families
    group by family_id
),

final as (
    select
        members.family_id,
        heads.basket_group,
        heads.description,
        {% for revision, _ in var('hs_revisions') -%}
        members.members_{{ revision | lower }},
        {% endfor -%}
        members.n_codes
    from members
    inner join heads on heads.family_id = members.family_id
)

select * from final
