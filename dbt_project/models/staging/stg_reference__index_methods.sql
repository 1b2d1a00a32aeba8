-- The composite indices and the convention each is computed with (seed index_methods),
-- typed: an empty option is its default (the study's convention), an unknown name stops
-- the build naming the row and the choices (docs/methodology.md section 4, "Conventions").
-- `convention` says in words how the composite is computed; report and marts carry it.
{%- set row = "'composite ' || coalesce(composite, '')" %}
{%- set seed = 'index_methods.csv' %}
{%- set defaults = var('index_defaults') %}
with source as (
    select * from {{ ref('index_methods') }}
),

typed as (
    select
        trim(composite) as composite,
        trim(index_name) as index_name,
        {{ choice_option('method', row, seed, required=true) }} as method,
        {{ choice_option('pool', row, seed) }} as pool,
        {{ choice_option('k', row, seed) }} as k_rule,
        {{ choice_option('zeros', row, seed) }} as zeros,
        {{ number_option('epsilon', row, seed) }} as epsilon_given,
        coalesce({{ number_option('scale', row, seed) }}, 1.0) as scale,
        {{ choice_option('matrix', row, seed) }} as matrix,
        {{ choice_option('keep', row, seed) }} as keep_rule,
        {{ number_option('keep_value', row, seed) }} as keep_value_given,
        {{ choice_option('score', row, seed) }} as score_rule,
        {{ choice_option('rescale', row, seed) }} as rescale,
        {{ number_option('rescale_min', row, seed) }} as rescale_min,
        {{ number_option('rescale_max', row, seed) }} as rescale_max
    from source
),

resolved as (
    select
        composite,
        index_name,
        method,
        pool,
        k_rule,
        zeros,
        case zeros
            when 'shift_p' then coalesce(epsilon_given, {{ defaults.epsilon.shift_p }})
            when 'shift_s' then coalesce(epsilon_given, {{ defaults.epsilon.shift_s }})
            else {{ defaults.epsilon.zero }}
        end as epsilon,
        scale,
        matrix,
        keep_rule,
        case
            when keep_rule = 'fixed' and keep_value_given is null
                then {{ fail_with("'" ~ seed ~ ": ' || " ~ row ~ " || ': keep fixed needs keep_value (the number of components)'") }}
            when keep_rule = 'eigenvalue'
                then coalesce(keep_value_given, {{ defaults.keep_value.eigenvalue }})
            when keep_rule = 'share'
                then coalesce(keep_value_given, {{ defaults.keep_value.share }})
            else coalesce(keep_value_given, {{ defaults.keep_value.eigenvalue_then_share }})
        end as keep_value,
        score_rule,
        rescale,
        case
            when rescale = 'range' and (rescale_min is null or rescale_max is null
                                        or rescale_min >= rescale_max)
                then {{ fail_with("'" ~ seed ~ ": ' || " ~ row ~ " || ': rescale range needs rescale_min < rescale_max'") }}
            when rescale = 'minmax' then 0.0
            else rescale_min
        end as rescale_min,
        case when rescale = 'minmax' then 1.0 else rescale_max end as rescale_max
    from typed
),

final as (
    select
        *,
        case method
            when 'entropy' then
                'entropy weights '
                || case pool when 'all' then 'pooled over all province-years'
                             when 'year' then 'within each year'
                             else 'within each province' end
                || '; min-max standardised s; p = s / sum s; '
                || case k_rule when 'n' then 'k = 1/ln(n), n the observations pooled'
                               when 'years' then 'k = 1/ln(T), T the years of each province, summed over the pool'
                               else 'k = 1/ln(N), N the provinces of each year' end
                || '; '
                || case zeros when 'zero' then 'e = -k sum p ln p with 0 ln 0 = 0'
                              when 'shift_p' then 'e = -k sum (p + epsilon) ln(p + epsilon)'
                              else 's + epsilon before p; e = -k sum p ln p' end
                || '; d = 1 - e; w = d / sum d; score = '
                || case when scale = 1 then '' else 'scale * ' end
                || 'sum w s'
            else
                'PCA of the ' || matrix || ' matrix'
                || case matrix when 'correlation' then ' (z-scores)' else ' (centred values)' end
                || '; keep '
                || case keep_rule when 'eigenvalue_then_share' then 'eigenvalues > 1, then more until the cumulative share reaches keep_value'
                                  when 'eigenvalue' then 'eigenvalues > keep_value'
                                  when 'share' then 'the fewest components whose cumulative share reaches keep_value'
                                  else 'keep_value components' end
                || '; score = '
                || case score_rule when 'weighted' then 'sum of kept F_k weighted by eigenvalue / sum of kept eigenvalues'
                                   else 'the first component F_1' end
                || '; each eigenvector oriented so its loadings sum to a positive number'
                || case rescale when 'none' then '' when 'minmax' then '; rescaled to [0, 1]'
                                else '; rescaled to [rescale_min, rescale_max]' end
        end as convention
    from resolved
)

select * from final
