select
    'digital_economy' as index_name,
    weights.indicator_code as indicator,
    catalogue.dimension,
    catalogue.sub_dimension,
    weights.entropy,
    weights.divergence,
    weights.weight
from {{ ref('int_entropy_weights') }} as weights
inner join {{ ref('stg_reference__indicator_catalogue') }} as catalogue
    on catalogue.indicator_code = weights.indicator_code
