-- Digde_it = sum_j w_j x'_ij, in [0, 1] (docs/methodology.md section 4, step 6).
with standardised as (
    select * from {{ ref('int_entropy_standardised') }}
),

weights as (
    select * from {{ ref('int_entropy_weights') }}
),

final as (
    select
        standardised.province_code,
        standardised.year,
        {{ exact_sum('weights.weight * standardised.standardised') }} as digde
    from standardised
    inner join weights on weights.indicator_code = standardised.indicator_code
    group by standardised.province_code, standardised.year
)

select * from final
