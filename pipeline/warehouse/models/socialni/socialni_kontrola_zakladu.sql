-- Bases of the social figures next to the warehouse population of the same moment. A state k 31. 12. is the
-- population k 1. 1. of the next year (ČSÚ publishes both for the same moment), so both dates are compared.
WITH bases AS (
    SELECT DISTINCT obec_kod, obdobi, zaklad_typ, zaklad, zdroj
    FROM socialni_obce
    WHERE zaklad IS NOT NULL
)

SELECT
    b.obec_kod,
    b.obdobi,
    b.zaklad_typ,
    b.zaklad,
    b.zdroj,
    CASE b.zaklad_typ
        WHEN 'obyvatel_15_64' THEN same_day.obyvatel_15_64
        WHEN 'obyvatel_15_plus' THEN same_day.obyvatel_15_64 + same_day.obyvatel_65_plus
    END AS populace_vek,
    coalesce(same_day.obyvatel_celkem, next_day.obyvatel_celkem) AS populace_celkem
FROM bases AS b
LEFT JOIN obec_pocty AS same_day ON same_day.obec_kod = b.obec_kod AND same_day.obdobi = b.obdobi
LEFT JOIN obec_pocty AS next_day ON next_day.obec_kod = b.obec_kod AND next_day.obdobi = b.obdobi + INTERVAL 1 DAY
