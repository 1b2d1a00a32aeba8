-- One row per (HS revision, HS6) code of the basket groups switched on by var('basket_groups'),
-- in the revisions the loaded customs years use, from the earliest on (every revision when
-- no customs year is loaded): families are built over the revisions the data span, so
-- loading earlier years can merge families across an older revision, and a build of
-- 2012 on is the same whatever older revisions the seeds know.
with candidates as (
    select * from {{ ref('stg_reference__hs6_candidates') }}
    where basket_group in ({{ basket_group_list() }})
),

loaded as (
    select min({{ hs_revision('year') }}) as first_revision
    from {{ ref('stg_customs__input_files') }}
),

nodes as (
    {% for revision, _ in var('hs_revisions') -%}
    select '{{ revision }}' as hs_revision, hs6, basket_group, description
    from candidates where in_{{ revision | lower }}
    {% if not loop.last %}union all
    {% endif -%}
    {% endfor %}
),

final as (
    select nodes.*
    from nodes
    cross join loaded
    where nodes.hs_revision >= coalesce(loaded.first_revision, '{{ var('hs_revisions')[0][0] }}')
)

select * from final
