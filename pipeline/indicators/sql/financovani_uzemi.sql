-- Spending of every area × year, summed over the obce of the area (membership in the registered table `clenstvi`)
-- that have budget data for that year. Population is of the same obce: when one of them lacks it, the sum is NULL
-- (a per-capita value over part of the spending would be too high), never partial.
WITH years AS (
    SELECT DISTINCT rok FROM financovani_obec_rok
),

total AS (
    -- population k 1. 1. of the year
    SELECT obec_kod, year(obdobi) AS rok, obyvatel_celkem
    FROM obec_pocty
    WHERE month(obdobi) = 1 AND day(obdobi) = 1 AND obyvatel_celkem IS NOT NULL
),

seniors AS (
    -- 65+ k 1. 1. of the year, or k 31. 12. of the year before (the age tables' date, the same moment)
    SELECT obec_kod, year(obdobi + INTERVAL 1 DAY) AS rok, obyvatel_65_plus
    FROM obec_pocty
    WHERE ((month(obdobi) = 1 AND day(obdobi) = 1) OR (month(obdobi) = 12 AND day(obdobi) = 31))
        AND obyvatel_65_plus IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY obec_kod, year(obdobi + INTERVAL 1 DAY) ORDER BY month(obdobi)) = 1
),

joined AS (
    SELECT c.uzemi_poradi, c.uzemi_typ, c.uzemi_kod, c.uzemi_nazev, c.obec_kod, y.rok,
        f.obec_kod IS NOT NULL AS ma_udaje, f.* EXCLUDE (obec_kod, rok), t.obyvatel_celkem, s.obyvatel_65_plus
    FROM clenstvi AS c
    CROSS JOIN years AS y
    LEFT JOIN financovani_obec_rok AS f ON f.obec_kod = c.obec_kod AND f.rok = y.rok
    LEFT JOIN total AS t ON t.obec_kod = c.obec_kod AND t.rok = y.rok
    LEFT JOIN seniors AS s ON s.obec_kod = c.obec_kod AND s.rok = y.rok
)

SELECT
    uzemi_poradi,
    uzemi_typ,
    uzemi_kod,
    uzemi_nazev,
    rok,
    count(*) AS obci_celkem,
    count(*) FILTER (ma_udaje) AS obci_s_udaji,
    sum(socialni_skutecnost) AS socialni_skutecnost,
    sum(socialni_schvaleny) AS socialni_schvaleny,
    sum(socialni_upraveny) AS socialni_upraveny,
    sum(celkem_skutecnost) AS celkem_skutecnost,
    sum(celkem_schvaleny) AS celkem_schvaleny,
    sum(celkem_upraveny) AS celkem_upraveny,
    CASE WHEN count(obyvatel_celkem) FILTER (ma_udaje) = count(*) FILTER (ma_udaje)
        THEN sum(obyvatel_celkem) FILTER (ma_udaje) END AS obyvatel_celkem,
    CASE WHEN count(obyvatel_65_plus) FILTER (ma_udaje) = count(*) FILTER (ma_udaje)
        THEN sum(obyvatel_65_plus) FILTER (ma_udaje) END AS obyvatel_65_plus
FROM joined
GROUP BY ALL
HAVING count(*) FILTER (ma_udaje) > 0
