-- The composite indices and how each is computed (seed index_methods, defaults filled in,
-- docs/methodology.md section 4 "Conventions"); `convention` says it in words.
select
    composite,
    index_name,
    method,
    case when method = 'entropy' then pool end as pool,
    case when method = 'entropy' then k_rule end as k_rule,
    case when method = 'entropy' then zeros end as zeros,
    case when method = 'entropy' then epsilon end as epsilon,
    case when method = 'entropy' then scale end as scale,
    case when method = 'pca' then matrix end as matrix,
    case when method = 'pca' then keep_rule end as keep_rule,
    case when method = 'pca' then keep_value end as keep_value,
    case when method = 'pca' then score_rule end as score_rule,
    case when method = 'pca' then rescale end as rescale,
    case when method = 'pca' then rescale_min end as rescale_min,
    case when method = 'pca' then rescale_max end as rescale_max,
    convention
from {{ ref('stg_reference__index_methods') }}
