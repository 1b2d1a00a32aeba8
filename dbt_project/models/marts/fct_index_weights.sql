-- Entropy weights of every entropy composite and pool group (docs/methodology.md section 4).
select
    weights.composite,
    weights.index_name,
    weights.pool_group,
    weights.indicator_code as indicator,
    catalogue.dimension,
    catalogue.sub_dimension,
    weights.entropy,
    weights.divergence,
    weights.weight
from {{ ref('int_entropy_weights') }} as weights
inner join {{ ref('stg_reference__indicator_catalogue') }} as catalogue
    on catalogue.indicator_code = weights.indicator_code
