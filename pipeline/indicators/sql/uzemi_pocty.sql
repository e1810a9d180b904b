-- Counts of every area × date, summed over the area's obce (membership in the registered table `clenstvi`).
-- A sum is kept only when every obec of the area has the figure for that date: a partial sum
-- (an obec missing in one year's file) would show as a fake decline, so it becomes NULL instead.
-- Areas are in today's territory: an obec that did not exist on a date is not expected then (a historic obec
-- after its `platnost_do`, a new obec before its `vznik`: its inhabitants are still in its parent). A historic obec
-- without a successor today counts in ČR only, so that ČR equals each publication's total. Where a new obec and
-- its parent lie on different sides of an area's boundary, the area's figure of the dates before the split cannot be
-- placed in today's territory and becomes NULL as well (indicators/historie.py says why).
WITH dates AS (
    SELECT DISTINCT obdobi FROM obec_pocty
),

members AS (
    SELECT uzemi_poradi, uzemi_typ, uzemi_kod, uzemi_nazev, obec_kod FROM clenstvi
    UNION ALL
    SELECT DISTINCT c.uzemi_poradi, c.uzemi_typ, c.uzemi_kod, c.uzemi_nazev, h.obec_kod
    FROM clenstvi AS c
    CROSS JOIN obce_historicke AS h
    WHERE c.uzemi_typ = 'stat'
),

grid AS (
    SELECT m.uzemi_poradi, m.uzemi_typ, m.uzemi_kod, m.uzemi_nazev, m.obec_kod, d.obdobi
    FROM members AS m
    CROSS JOIN dates AS d
    WHERE NOT EXISTS (SELECT 1 FROM obce_historicke AS h WHERE h.obec_kod = m.obec_kod AND d.obdobi > h.platnost_do)
      AND NOT EXISTS (SELECT 1 FROM obce_vznik AS v WHERE v.obec_kod = m.obec_kod AND d.obdobi < v.vznik)
),

unplaced AS (
    -- area × date where a new obec and its parent (unknown parent: outside) are not both inside or both outside;
    -- an obec itself keeps its published figure (the split is a series break of that obec, obce_zlomy)
    SELECT DISTINCT a.uzemi_poradi, d.obdobi
    FROM (SELECT DISTINCT uzemi_poradi FROM clenstvi WHERE uzemi_typ <> 'obec') AS a
    CROSS JOIN obce_vznik AS v
    JOIN dates AS d ON d.obdobi < v.vznik
    WHERE EXISTS (SELECT 1 FROM clenstvi AS c WHERE c.uzemi_poradi = a.uzemi_poradi AND c.obec_kod = v.obec_kod)
       <> EXISTS (SELECT 1 FROM clenstvi AS c WHERE c.uzemi_poradi = a.uzemi_poradi AND c.obec_kod = v.rodic_kod)
),

joined AS (
    SELECT g.*, p.* EXCLUDE (obec_kod, obdobi)
    FROM grid AS g
    LEFT JOIN obec_pocty AS p USING (obec_kod, obdobi)
    WHERE NOT EXISTS (SELECT 1 FROM unplaced AS u WHERE u.uzemi_poradi = g.uzemi_poradi AND u.obdobi = g.obdobi)
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
