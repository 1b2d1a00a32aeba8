-- PCA composite loadings (docs/methodology.md section 4), from the pca_composites asset.
select * from {{ ref('stg_composites__pca_loadings') }}
