-- The UN correlation links between consecutive HS revisions (var hs_revisions), stacked.
with
{% for old, new in hs_revision_pairs() %}
links_{{ old[1] }}_{{ new[1] }} as (
    select '{{ old[0] }}' as old_revision, lpad({{ old[0] }}, 6, '0') as old_hs6,
           '{{ new[0] }}' as new_revision, lpad({{ new[0] }}, 6, '0') as new_hs6, rel as relationship
    from {{ ref('ref_hs_correlation_' ~ old[1] ~ '_' ~ new[1]) }}
),
{% endfor %}

final as (
    {% for old, new in hs_revision_pairs() -%}
    select * from links_{{ old[1] }}_{{ new[1] }}
    {% if not loop.last %}union all
    {% endif -%}
    {% endfor %}
)

select * from final
