with source as (
    select * from {{ ref('ref_hs6_healthcare_candidates') }}
),

final as (
    select
        lpad(hs6, 6, '0') as hs6,
        lpad(hs4, 4, '0') as hs4,
        case substr({{ adapter.quote("group") }}, 1, 1)
            when 'A' then 'pharma' when 'B' then 'api' when 'C' then 'meddev'
            when 'D' then 'consumables_diag' when 'E' then 'tcm'
        end as basket_group,
        {% for revision, _ in var('hs_revisions') -%}
        lower(cast(in_{{ revision }} as {{ dbt.type_string() }})) = 'true' as in_{{ revision | lower }},
        {% endfor -%}
        {{ adapter.quote("desc") }} as description
    from source
)

select * from final
