-- Counts of every area × date, summed over the area's obce (membership in the registered table `clenstvi`).
-- A sum is kept only when every obec of the area has the figure for that date: a partial sum
-- (an obec missing in one year's file) would show as a fake decline, so it becomes NULL instead.
WITH dates AS (
    SELECT DISTINCT obdobi FROM obec_pocty
),

grid AS (
    SELECT c.uzemi_poradi, c.uzemi_typ, c.uzemi_kod, c.uzemi_nazev, c.obec_kod, d.obdobi
    FROM clenstvi AS c
    CROSS JOIN dates AS d
),

joined AS (
    SELECT g.*, p.* EXCLUDE (obec_kod, obdobi)
    FROM grid AS g
    LEFT JOIN obec_pocty AS p USING (obec_kod, obdobi)
)

SELECT
    uzemi_poradi,
    uzemi_typ,
    uzemi_kod,
    uzemi_nazev,
    obdobi,
    CASE WHEN count(obyvatel_celkem) = count(*) THEN sum(obyvatel_celkem) END AS obyvatel_celkem,
    CASE WHEN count(obyvatel_muzi) = count(*) THEN sum(obyvatel_muzi) END AS obyvatel_muzi,
    CASE WHEN count(obyvatel_zeny) = count(*) THEN sum(obyvatel_zeny) END AS obyvatel_zeny,
    CASE WHEN count(soucet_veku) = count(*) THEN sum(soucet_veku) END AS soucet_veku,
    CASE WHEN count(obyvatel_s_vekem) = count(*) THEN sum(obyvatel_s_vekem) END AS obyvatel_s_vekem,
    CASE WHEN count(obyvatel_0_14) = count(*) THEN sum(obyvatel_0_14) END AS obyvatel_0_14,
    CASE WHEN count(obyvatel_15_64) = count(*) THEN sum(obyvatel_15_64) END AS obyvatel_15_64,
    CASE WHEN count(obyvatel_65_plus) = count(*) THEN sum(obyvatel_65_plus) END AS obyvatel_65_plus,
    CASE WHEN count(obyvatel_80_plus) = count(*) THEN sum(obyvatel_80_plus) END AS obyvatel_80_plus,
    CASE WHEN count(obyvatel_85_plus) = count(*) THEN sum(obyvatel_85_plus) END AS obyvatel_85_plus
FROM joined
GROUP BY ALL
