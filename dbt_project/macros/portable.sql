{#- Engine differences live here, one dispatch macro per real difference. -#}

{#- a / b, NULL when b is 0 or NULL (DuckDB returns inf, Spark NULL). -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'medtrade')(numerator, denominator)) }}
{%- endmacro %}
{% macro default__safe_divide(numerator, denominator) -%}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

{#- HS revision China applied in a year (METHODOLOGY.md section 1). -#}
{% macro hs_revision(year_column) -%}
    case when {{ year_column }} >= 2022 then 'HS2022'
         when {{ year_column }} >= 2017 then 'HS2017'
         else 'HS2012' end
{%- endmacro %}

{#- x * ln(x) with 0 * ln(0) = 0, for entropy. -#}
{% macro x_ln_x(x) -%}
    case when {{ x }} > 0 then {{ x }} * ln({{ x }}) else 0 end
{%- endmacro %}

{#- The basket groups switched on by the `basket_groups` var, as a SQL list. -#}
{% macro basket_group_list() -%}
    {%- for g in var('basket_groups') -%}'{{ g }}'{{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}
