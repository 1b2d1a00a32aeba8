-- HS6 product families: connected components of the graph of (revision, HS6) basket codes
-- linked by the UN correlation tables (docs/methodology.md section 1). A code present unchanged
-- in two consecutive revisions is linked to itself; links leaving the basket are ignored.
-- Components are found by min-label propagation over a fixed number of rounds (portable
-- SQL, no recursion); the test on family_id_previous_round proves it converged.
{% set rounds = var('hs_family_rounds') %}
with nodes as (
    select * from {{ ref('int_hs_basket_nodes') }}
),

correlation_links as (
    select links.old_revision as revision_a, links.old_hs6 as hs6_a,
           links.new_revision as revision_b, links.new_hs6 as hs6_b
    from {{ ref('stg_reference__hs_correlations') }} as links
    inner join nodes as a on a.hs_revision = links.old_revision and a.hs6 = links.old_hs6
    inner join nodes as b on b.hs_revision = links.new_revision and b.hs6 = links.new_hs6
),

unchanged_links as (
    select a.hs_revision as revision_a, a.hs6 as hs6_a, b.hs_revision as revision_b, b.hs6 as hs6_b
    from nodes as a
    inner join nodes as b
        on a.hs6 = b.hs6
        and ({% for old, new in hs_revision_pairs() -%}
             (a.hs_revision = '{{ old[0] }}' and b.hs_revision = '{{ new[0] }}')
             {%- if not loop.last %} or {% endif %}
             {%- endfor %})
),

links as (
    select * from correlation_links
    union
    select * from unchanged_links
),

edges as (
    select revision_a, hs6_a, revision_b, hs6_b from links
    union all
    select revision_b, hs6_b, revision_a, hs6_a from links
    union all
    -- each node is its own neighbour, so a round reads the previous one once: the plan
    -- grows linearly with the rounds (Spark inlines CTEs; two reads per round doubled it)
    select hs_revision, hs6, hs_revision, hs6 from nodes
),

round_0 as (
    select hs_revision, hs6, hs6 as label from nodes
),
{% for i in range(1, rounds + 1) %}
round_{{ i }} as (
    select
        edges.revision_b as hs_revision,
        edges.hs6_b as hs6,
        min(node.label) as label
    from round_{{ i - 1 }} as node
    inner join edges on edges.revision_a = node.hs_revision and edges.hs6_a = node.hs6
    group by edges.revision_b, edges.hs6_b
),
{% endfor %}

final as (
    select
        nodes.hs_revision,
        nodes.hs6,
        nodes.basket_group,
        nodes.description,
        last_round.label as family_id,
        previous_round.label as family_id_previous_round
    from nodes
    inner join round_{{ rounds }} as last_round
        on last_round.hs_revision = nodes.hs_revision and last_round.hs6 = nodes.hs6
    inner join round_{{ rounds - 1 }} as previous_round
        on previous_round.hs_revision = nodes.hs_revision and previous_round.hs6 = nodes.hs6
)

select * from final
