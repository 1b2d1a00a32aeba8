-- Composite index scores per province-year with the method and convention that made them
-- (docs/methodology.md section 4): what a researcher compares with a published index.
select
    scores.composite,
    methods.index_name,
    methods.method,
    scores.province_code,
    scores.year,
    scores.score
from {{ ref('int_composite_scores') }} as scores
inner join {{ ref('stg_reference__index_methods') }} as methods
    on methods.composite = scores.composite
