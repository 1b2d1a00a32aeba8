{#- Keep only the rows of the regression panel's years (int_panel_years.in_panel): the one
    filter every panel-facing model applies. `alias` names the relation whose `year` column
    is filtered. -#}
{% macro panel_years_join(alias) -%}
inner join {{ ref('int_panel_years') }} as years
    on years.year = {{ alias }}.year and years.in_panel
{%- endmacro %}
