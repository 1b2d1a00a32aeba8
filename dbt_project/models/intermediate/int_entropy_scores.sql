-- Entropy composite scores per province-year (docs/methodology.md section 4, step 6):
-- score = scale * sum_j w_j s_ij with the weights of the row's pool group, s the values
-- the shares were computed from (shifted under zeros = shift_s). Digde is composite digde.
with standardised as (
    select * from {{ ref('int_entropy_standardised') }}
),

weights as (
    select * from {{ ref('int_entropy_weights') }}
),

final as (
    select
        standardised.composite,
        standardised.province_code,
        standardised.year,
        max(standardised.scale) * {{ exact_sum('weights.weight * standardised.shifted') }} as score
    from standardised
    inner join weights
        on weights.composite = standardised.composite
        and weights.pool_group = standardised.pool_group
        and weights.indicator_code = standardised.indicator_code
    group by standardised.composite, standardised.province_code, standardised.year
)

select * from final
