{#- PRODY_kt = sum_j [(x_jkt / X_jt) / sum_j (x_jkt / X_jt)] * Y_jt from a relation with
    columns family_id, year, exporter, export_intensity (x_jkt / X_jt) and income (Y_jt).
    With var('prody_base_year') set, every year takes that year's PRODY. -#}
{% macro prody_from_intensity(intensity, variant) %}
    weighted as (
        select
            family_id,
            year,
            export_intensity / {{ exact_sum('export_intensity', over='partition by family_id, year') }}
                * income as term
        from {{ intensity }}
    ),

    yearly as (
        select family_id, year, {{ exact_sum('term') }} as prody, count(*) as n_exporters
        from weighted
        group by family_id, year
    ),

    prody_final as (
    {% if var('prody_base_year') is none %}
        select family_id, year, prody, n_exporters, cast(null as integer) as prody_base_year
        from yearly
    {% else %}
        select all_years.family_id, all_years.year, base.prody, base.n_exporters,
               {{ var('prody_base_year') }} as prody_base_year
        from yearly as all_years
        inner join yearly as base
            on base.family_id = all_years.family_id and base.year = {{ var('prody_base_year') }}
    {% endif %}
    )

    select family_id, year, prody, n_exporters, prody_base_year, '{{ variant }}' as prody_variant
    from prody_final
{% endmacro %}
