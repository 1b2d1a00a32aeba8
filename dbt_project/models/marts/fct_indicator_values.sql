-- Every catalogue indicator per panel province-year, canonical unit, imputation flagged.
select
    indicator_values.province_code,
    indicator_values.year,
    indicator_values.indicator_code as indicator,
    indicator_values.value,
    indicator_values.is_imputed
from {{ ref('int_indicator_values') }} as indicator_values
{{ panel_years_join('indicator_values') }}
