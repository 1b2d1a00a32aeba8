{#- Indicator codes of the catalogue (seed indicator_catalogue), read when the model runs:
    a model that pivots indicators follows the catalogue instead of listing codes. The
    model must declare `-- depends_on: {{ ref('indicator_catalogue') }}`. At parse time
    (no database) the list is empty. -#}
{% macro catalogue_codes() -%}
    {%- if execute -%}
        {%- set rows = run_query("select code from " ~ ref('indicator_catalogue') ~ " order by code") -%}
        {{ return(rows.columns[0].values() | list) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}
