-- Every family a province exports needs a PRODY that year, or its EXPY is understated
-- (with the world variant: the world files must cover the basket and the years).
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'int_prody'}}}) }}
select families.province_code, families.year, families.family_id
from {{ ref('int_export_family_values') }} as families
inner join {{ ref('int_panel_years') }} as years on years.year = families.year and years.in_panel
left join {{ ref('int_prody') }} as prody
    on prody.family_id = families.family_id and prody.year = families.year
where prody.prody is null
