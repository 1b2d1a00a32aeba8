-- The composite indices and how each is computed (seed index_methods, defaults filled in,
-- docs/methodology.md section 4 "Conventions"); `convention` says it in words. Each
-- option column is filled for the method it belongs to only.
{%- set options = {
    'entropy': ['pool', 'k_rule', 'zeros', 'epsilon', 'scale'],
    'pca': ['matrix', 'keep_rule', 'keep_value', 'score_rule', 'rescale', 'rescale_min',
            'rescale_max'],
} %}
select
    composite,
    index_name,
    method,
{%- for method, columns in options.items() %}{% for column in columns %}
    case when method = '{{ method }}' then {{ column }} end as {{ column }},
{%- endfor %}{% endfor %}
    convention
from {{ ref('stg_reference__index_methods') }}
