-- Entropy weights (docs/methodology.md section 4, steps 3-5): p = x' / sum x';
-- e = -(1 / ln n) sum p ln p with 0 ln 0 = 0; d = 1 - e; w = d / sum d.
with standardised as (
    select * from {{ ref('int_entropy_standardised') }}
),

shares as (
    select
        indicator_code,
        n_rows,
        standardised / {{ exact_sum('standardised', over='partition by indicator_code') }} as p
    from standardised
),

entropy as (
    select
        indicator_code,
        -{{ exact_sum(x_ln_x('p')) }} / ln(max(n_rows)) as entropy
    from shares
    group by indicator_code
),

final as (
    select
        indicator_code,
        entropy,
        1 - entropy as divergence,
        (1 - entropy) / {{ exact_sum('1 - entropy', over='') }} as weight
    from entropy
)

select * from final
