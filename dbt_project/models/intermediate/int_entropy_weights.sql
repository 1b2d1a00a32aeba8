-- Entropy weights of every entropy composite, per pool group (docs/methodology.md section
-- 4, steps 3-5, and "Conventions"): p = s / sum s over the group; e = -k sum p ln p with
-- 0 ln 0 = 0 (zeros = zero or shift_s) or -k sum (p + epsilon) ln(p + epsilon) (shift_p);
-- k = 1/ln(n) over the group, 1/ln(T) with T the years of the row's province, or 1/ln(N)
-- with N the provinces of the row's year; d = 1 - e; w = d / sum d. A convention can make
-- d negative (k = 1/ln(T) while the sum runs over the whole pool): the weights still sum
-- to one, and a warning test says so.
with standardised as (
    select * from {{ ref('int_entropy_standardised') }}
),

shares as (
    select
        composite,
        index_name,
        pool_group,
        indicator_code,
        k_rule,
        zeros,
        epsilon,
        n_rows,
        n_years,
        n_provinces,
        {{ exact_term('shifted') }} / {{ exact_sum('shifted', over='partition by composite, pool_group, indicator_code') }} as p
    from standardised
),

terms as (
    select
        *,
        case when zeros = 'shift_p' then (p + epsilon) * ln(p + epsilon)
             else {{ x_ln_x('p') }} end as plnp
    from shares
),

entropy as (
    select
        composite,
        index_name,
        pool_group,
        indicator_code,
        max(k_rule) as k_rule,
        case max(k_rule)
            when 'n' then -{{ exact_sum('plnp') }} / ln(max(n_rows))
            when 'years' then -{{ exact_sum('plnp / ln(n_years)') }}
            else -{{ exact_sum('plnp / ln(n_provinces)') }}
        end as entropy
    from terms
    group by composite, index_name, pool_group, indicator_code
),

final as (
    select
        composite,
        index_name,
        pool_group,
        indicator_code,
        entropy,
        1 - entropy as divergence,
        (1 - entropy) / {{ exact_sum('1 - entropy', over='partition by composite, pool_group') }} as weight
    from entropy
)

select * from final
