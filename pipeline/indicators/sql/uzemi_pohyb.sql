-- Movement counts of every area × year (membership in the registered table `clenstvi`, model pohyb_obyvatel).
-- An ORP, okres, kraj, ČR or obec takes its published row: its gross migration counts only moves across its own
-- boundary. Any other area (POÚ, custom territory, sub-area) sums its obce, and only where every obec has the year
-- (never a partial sum); its gross flows stay NULL, since moves between its own obce would be counted as migration.
WITH areas AS (
    SELECT DISTINCT uzemi_poradi, uzemi_typ, uzemi_kod, uzemi_nazev FROM clenstvi
),

published AS (
    SELECT
        a.uzemi_poradi, p.obdobi, p.zive_narozeni, p.zemreli, p.pristehovali, p.vystehovali,
        p.pristehovali - p.vystehovali AS prirustek_stehovanim, p.stredni_stav
    FROM areas AS a
    JOIN pohyb_obyvatel AS p ON p.uroven = a.uzemi_typ AND (p.uzemi_kod = a.uzemi_kod OR a.uzemi_typ = 'stat')
),

years AS (
    SELECT DISTINCT obdobi FROM pohyb_obyvatel WHERE uroven = 'obec'
),

summed AS (
    SELECT
        c.uzemi_poradi,
        y.obdobi,
        CASE WHEN count(p.zive_narozeni) = count(*) THEN sum(p.zive_narozeni) END AS zive_narozeni,
        CASE WHEN count(p.zemreli) = count(*) THEN sum(p.zemreli) END AS zemreli,
        CAST(NULL AS DOUBLE) AS pristehovali,
        CAST(NULL AS DOUBLE) AS vystehovali,
        CASE WHEN count(p.pristehovali - p.vystehovali) = count(*) THEN sum(p.pristehovali - p.vystehovali) END
            AS prirustek_stehovanim,
        CASE WHEN count(p.stredni_stav) = count(*) THEN sum(p.stredni_stav) END AS stredni_stav
    FROM clenstvi AS c
    CROSS JOIN years AS y
    LEFT JOIN pohyb_obyvatel AS p ON p.uroven = 'obec' AND p.uzemi_kod = c.obec_kod AND p.obdobi = y.obdobi
    WHERE c.uzemi_typ NOT IN ('obec', 'orp', 'okres', 'kraj', 'stat')
    GROUP BY ALL
),

counts AS (
    SELECT *, 'zverejneno' AS zpusob FROM published
    UNION ALL
    SELECT *, 'soucet_obci' AS zpusob FROM summed
)

SELECT
    a.uzemi_poradi,
    a.uzemi_typ,
    a.uzemi_kod,
    a.uzemi_nazev,
    c.obdobi,
    c.zpusob,
    c.zive_narozeni,
    c.zemreli,
    c.zive_narozeni - c.zemreli AS prirozeny_prirustek,
    c.pristehovali,
    c.vystehovali,
    c.prirustek_stehovanim,
    c.zive_narozeni - c.zemreli + c.prirustek_stehovanim AS celkovy_prirustek,
    c.stredni_stav
FROM counts AS c
JOIN areas AS a USING (uzemi_poradi)
