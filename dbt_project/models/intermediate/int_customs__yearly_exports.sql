-- Customs exports summed exactly per year, province, product family (null: outside the
-- basket) and partner, in each currency (DECIMAL sums at the cent: the same files give the
-- same bits whatever order the rows are read in). This is the only model that scans the
-- customs rows; everything downstream reads these sums.
--
-- Incremental by year on DuckDB: each year carries the fingerprint of its input files
-- (stg_customs__input_files) and of the product families; a build rescans only the years
-- whose fingerprint changed (the year list is
-- fixed when the model compiles, so DuckDB reads only those years' Parquet folders) and
-- drops years no longer loaded. On Spark it is rebuilt whole (same rows and fingerprints).
{% set incremental = target.type != 'spark' %}
{{ config(
    materialized='incremental' if incremental else 'table',
    unique_key='year',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook=["delete from {{ this }} where year not in (select year from "
               "{{ ref('stg_customs__input_files') }})"] if incremental else []
) }}

{#- A year's fingerprint: the hash of its landing files' hashes and of the product
    families its rows are summed into (families change when the basket groups or the seeds
    change, or when an older year joins: every year is then summed again). One short hash
    per row: the hashes themselves, repeated on every row, made a year of 1,000 files
    store 64 KB per row (1.6 GB of warehouse for 5M rows). -#}
{% set fingerprints_sql %}
    select files.year, md5(files.file_hashes || '|' || families.family_hash) as input_fingerprint
    from (
        select year, {{ ordered_listagg('file_hash') }} as file_hashes
        from {{ ref('stg_customs__input_files') }}
        group by year
    ) as files
    cross join (
        select md5(coalesce({{ ordered_listagg("hs_revision || ':' || hs6 || ':' || family_id") }}, ''))
            as family_hash
        from {{ ref('int_hs_families') }}
    ) as families
{% endset %}

{% set years = none %}
{% if incremental and execute and is_incremental() %}
    {% set changed = run_query(
        "select f.year from (" ~ fingerprints_sql ~ ") as f left join (select distinct year, "
        ~ "input_fingerprint from " ~ this ~ ") as done on done.year = f.year and "
        ~ "done.input_fingerprint = f.input_fingerprint where done.year is null order by 1") %}
    {% set years = changed.columns[0].values() | list %}
    {% do log("int_customs__yearly_exports: years to rebuild " ~ (years | join(', ') or 'none'), info=true) %}
{% endif %}

with exports as (
    select * from {{ ref('stg_customs__exports') }}
    {% if years is not none %}
    where year in ({{ (years | join(', ')) if years else 'null' }})
    {% endif %}
),

families as (
    select * from {{ ref('int_hs_families') }}
),

fingerprints as (
    {{ fingerprints_sql }}
),

sums as (
    select
        exports.year,
        exports.province_code,
        families.family_id,
        exports.partner,
        sum(case when exports.currency = 'USD' then exports.value end) as value_usd_part,
        sum(case when exports.currency = 'CNY' then exports.value end) as value_cny_part,
        count(*) as n_rows
    from exports
    left join families
        on families.hs_revision = exports.hs_revision and families.hs6 = exports.hs6
    group by exports.year, exports.province_code, families.family_id, exports.partner
),

final as (
    select
        sums.year,
        sums.province_code,
        sums.family_id,
        sums.family_id is not null as in_basket,
        sums.partner,
        cast(coalesce(sums.value_usd_part, 0) as decimal(38, 2)) as value_usd_part,
        cast(coalesce(sums.value_cny_part, 0) as decimal(38, 2)) as value_cny_part,
        sums.n_rows,
        fingerprints.input_fingerprint
    from sums
    inner join fingerprints on fingerprints.year = sums.year
)

select * from final
