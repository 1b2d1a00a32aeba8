{#- Engine differences live here, one dispatch macro per real difference. -#}

{#- a / b, NULL when b is 0 or NULL (DuckDB alone would return inf). dbt-core 1.11 ships no
    dbt.safe_divide (it is dbt_utils', and the package hub is unreachable), so it is here. -#}
{% macro safe_divide(numerator, denominator) -%}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

{#- The median of a group (Spark has no median(); percentile is exact there). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'medtrade')(expression)) }}
{%- endmacro %}
{% macro default__median(expression) -%}
    median({{ expression }})
{%- endmacro %}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{#- HS revision China applied in a year (docs/methodology.md section 1). -#}
{% macro hs_revision(year_column) -%}
    case {% for revision, first_year in var('hs_revisions') | reverse -%}
         when {{ year_column }} >= {{ first_year }} then '{{ revision }}'
         {% endfor -%}
    end
{%- endmacro %}

{#- Consecutive revisions of var('hs_revisions'), as (older, newer) pairs. -#}
{% macro hs_revision_pairs() -%}
    {%- set revisions = var('hs_revisions') -%}
    {%- set pairs = [] -%}
    {%- for i in range(1, revisions | length) -%}
        {%- do pairs.append((revisions[i - 1], revisions[i])) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{#- x * ln(x) with 0 * ln(0) = 0, for entropy. -#}
{% macro x_ln_x(x) -%}
    case when {{ x }} > 0 then {{ x }} * ln({{ x }}) else 0 end
{%- endmacro %}

{#- The basket groups switched on by the `basket_groups` var, as a SQL list. -#}
{% macro basket_group_list() -%}
    {%- for g in var('basket_groups') -%}'{{ g }}'{{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}

{#- A table outside dbt: ingest's raw tables, the PCA asset's composites. DuckDB: the
    table itself (schema raw or composites of the build warehouse). Spark: the same rows as
    Parquet files in the lake, lake/<source>/<table>/ (customs and yearbook rows by year
    folder). source() is called on both engines, so the lineage is the same. -#}
{% macro engine_source(source_name, table) -%}
    {{ return(adapter.dispatch('engine_source', 'medtrade')(source_name, table)) }}
{%- endmacro %}
{% macro default__engine_source(source_name, table) -%}
    {{ source(source_name, table) }}
{%- endmacro %}
{% macro spark__engine_source(source_name, table) -%}
    {%- set _lineage = source(source_name, table) -%}
    parquet.`{{ lake_path(source_name ~ '/' ~ table) }}`
{%- endmacro %}

{% macro lake_path(relative) -%}
    {{ env_var('MEDTRADE_LAKE', '../data/lake') }}/{{ relative }}
{%- endmacro %}

{#- Comma-separated values in order (dbt.listagg ignores ORDER BY on Spark). -#}
{% macro ordered_listagg(expression) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'medtrade')(expression)) }}
{%- endmacro %}
{% macro default__ordered_listagg(expression) -%}
    {{ dbt.listagg(expression, "','", "order by " ~ expression) }}
{%- endmacro %}
{% macro spark__ordered_listagg(expression) -%}
    nullif(array_join(array_sort(collect_list({{ expression }})), ','), '')
{%- endmacro %}

{#- USD from exact per-currency sums: USD as is, CNY divided by the year's average rate.
    Converted after summing, so the result does not depend on the order rows were summed. -#}
{% macro usd_from_parts(usd_sum, cny_sum, cny_per_usd) -%}
    (cast({{ usd_sum }} as double)
     + case when {{ cny_sum }} <> 0 then {{ safe_divide('cast(' ~ cny_sum ~ ' as double)', cny_per_usd) }} else 0 end)
{%- endmacro %}

{#- sum(x) as a double that does not depend on the order the rows arrive in (parallel
    joins and scans change it from run to run, and double addition is not associative):
    each term is rounded to 1e-16 and the terms are added exactly as DECIMAL(38,16)
    (|sum| < 1e22), so the same inputs give the same bits. `over` makes it a window sum. -#}
{% macro exact_sum(expression, over=none) -%}
    cast(sum(cast({{ expression }} as decimal(38, 16))){% if over is not none %} over ({{ over }}){% endif %} as double)
{%- endmacro %}

{#- One term of exact_sum as exact_sum adds it (rounded to 1e-16). A share is
    exact_term(x) / exact_sum(x), not x / exact_sum(x): the rounding can move a term by an
    ulp, so a part that is the whole total would give 1.0000000000000002 (and an HHI of a
    province exporting one family above 1). -#}
{% macro exact_term(expression) -%}
    cast(cast({{ expression }} as decimal(38, 16)) as double)
{%- endmacro %}
