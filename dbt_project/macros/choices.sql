{#- Seed options named by the user: an empty cell is the default; a name not among the
    choices stops the query with a message naming the row, the value and the choices. -#}

{#- Stop the query with a message (an expression that depends on the row, so the engine
    evaluates it only for a row that reaches it). -#}
{% macro fail_with(message) -%}
    {{ return(adapter.dispatch('fail_with', 'medtrade')(message)) }}
{%- endmacro %}
{% macro default__fail_with(message) -%}
    error({{ message }})
{%- endmacro %}
{% macro spark__fail_with(message) -%}
    raise_error({{ message }})
{%- endmacro %}

{#- A number from a text cell, NULL when empty; anything else stops the query. -#}
{% macro number_option(column, row_label, seed) -%}
    case
        when nullif(trim({{ column }}), '') is null then cast(null as double)
        when {{ text_to_double('trim(' ~ column ~ ')') }} is not null
            then {{ text_to_double('trim(' ~ column ~ ')') }}
        else {{ fail_with("'" ~ seed ~ ": ' || " ~ row_label ~ " || ': " ~ column ~ " ''' || " ~ column ~ " || ''' is not a number'") }}
    end
{%- endmacro %}

{% macro text_to_double(expression) -%}
    {{ return(adapter.dispatch('text_to_double', 'medtrade')(expression)) }}
{%- endmacro %}
{% macro default__text_to_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}
{% macro spark__text_to_double(expression) -%}
    cast({{ expression }} as double)
{%- endmacro %}

{#- One named option: the cell, or the option's default (the first of its names in var
    index_conventions; none when `required`) when empty, checked against its names. -#}
{% macro choice_option(column, row_label, seed, required=false) -%}
    {%- set choices = var('index_conventions')[column] -%}
    {%- set value = "coalesce(nullif(trim(" ~ column ~ "), ''), '" ~ ('' if required else choices[0]) ~ "')" -%}
    case
        when {{ value }} in ({% for c in choices %}'{{ c }}'{{ ", " if not loop.last }}{% endfor %})
            then {{ value }}
        else {{ fail_with("'" ~ seed ~ ": ' || " ~ row_label ~ " || ': unknown " ~ column ~ " ''' || " ~ value ~ " || '''; choose one of " ~ (choices | join(', ')) ~ "'") }}
    end
{%- endmacro %}
