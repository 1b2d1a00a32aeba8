-- Every composite index per province and panel year, whichever method made it: the
-- entropy composites (SQL) and the PCA composites (the pca_composites asset), one row per
-- composite, province and year. The panel takes digde, revl and digde_new from here.
with entropy as (
    select composite, province_code, year, score
    from {{ ref('int_entropy_scores') }}
),

pca as (
    select composite, province_code, year, score
    from {{ ref('stg_composites__pca_scores') }}
),

final as (
    select * from entropy
    union all
    select * from pca
)

select * from final
