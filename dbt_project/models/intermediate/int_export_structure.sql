-- Export structure per province-year (docs/methodology.md section 2): healthcare exports X_it,
-- growth X_it / X_i,t-1 - 1, product and partner counts, HHI over families (dexp), and
-- EXPY_it = sum_k s_ikt PRODY_kt with expt = ln(EXPY).
with grid as (
    select provinces.province_code, years.year
    from {{ ref('stg_reference__provinces') }} as provinces
    cross join {{ ref('int_panel_years') }} as years
),

families as (
    select * from {{ ref('int_export_family_values') }}
),

prody as (
    select * from {{ ref('int_prody') }}
),

totals as (
    select province_code, year, {{ exact_sum('value_usd') }} as exports_usd, count(*) as n_products
    from families
    group by province_code, year
),

shares as (
    select
        families.province_code,
        families.year,
        families.family_id,
        {{ exact_term('families.value_usd') }} / totals.exports_usd as share
    from families
    inner join totals
        on totals.province_code = families.province_code and totals.year = families.year
),

structure as (
    select
        shares.province_code,
        shares.year,
        {{ exact_sum('shares.share * shares.share') }} as hhi,
        {{ exact_sum('shares.share * prody.prody') }} as expy,
        max(prody.prody_variant) as prody_variant
    from shares
    left join prody on prody.family_id = shares.family_id and prody.year = shares.year
    group by shares.province_code, shares.year
),

partners as (
    select province_code, year, count(distinct partner) as n_partners
    from {{ ref('int_customs__yearly_exports') }}
    where in_basket and (value_usd_part > 0 or value_cny_part > 0) and partner <> ''
    group by province_code, year
),

final as (
    select
        grid.province_code,
        grid.year,
        coalesce(totals.exports_usd, 0) as exports_usd,
        {{ safe_divide('totals.exports_usd', 'previous.exports_usd') }} - 1 as export_growth,
        coalesce(totals.n_products, 0) as n_products,
        partners.n_partners,
        structure.hhi as dexp,
        structure.expy,
        ln(structure.expy) as expt,
        structure.prody_variant
    from grid
    left join totals on totals.province_code = grid.province_code and totals.year = grid.year
    left join totals as previous
        on previous.province_code = grid.province_code and previous.year = grid.year - 1
    left join structure
        on structure.province_code = grid.province_code and structure.year = grid.year
    left join partners
        on partners.province_code = grid.province_code and partners.year = grid.year
)

select * from final
