-- Series breaks of single obce: changes of territory between two obce, which no text may read as growth or decline.
--   prevod   – people transferred between obce on 1. 1. (a part of a cadastre changed obec): the stock of 31. 12.
--              (age tables, open data 130141/130149) and the publication of the next day differ, and another obec differs by the
--              opposite number on the same day (e.g. Rožmitál pod Třemšínem −43, Nepomuk +43 on 1. 1. 2021);
--   oddeleni – an obec split off (obce_vznik): the parent loses its inhabitants;
--   vznik    – the new obec's first figure.
-- `protistrana_kod` is the other obec (NULL when no single obec offsets the change). `obdobi` is the first date
-- after the break.
WITH stock AS (
    SELECT obec_kod, obdobi, zdroj, pocet FROM populace_celkem WHERE pohlavi = 'celkem'
    UNION ALL
    SELECT obec_kod, obdobi, zdroj, pocet FROM populace_opendata WHERE pohlavi = 'celkem' AND jiny_zdroj IS NULL
),

jumps AS (
    SELECT b.obec_kod, b.obdobi, b.pocet - a.pocet AS zmena
    FROM stock AS a
    JOIN stock AS b ON b.obec_kod = a.obec_kod AND b.obdobi = CAST(a.obdobi + INTERVAL 1 DAY AS DATE)
    WHERE a.zdroj <> 'csu_pocet_obyvatel' AND b.zdroj = 'csu_pocet_obyvatel' AND b.pocet <> a.pocet
),

transfers AS (
    SELECT
        j.obec_kod,
        j.obdobi,
        'prevod' AS druh,
        j.zmena AS pocet,
        CASE WHEN count(o.obec_kod) = 1 THEN any_value(o.obec_kod) END AS protistrana_kod
    FROM jumps AS j
    LEFT JOIN jumps AS o ON o.obdobi = j.obdobi AND o.zmena = -j.zmena AND o.obec_kod <> j.obec_kod
    GROUP BY j.obec_kod, j.obdobi, j.zmena
)

SELECT obec_kod, obdobi, druh, pocet, protistrana_kod FROM transfers
UNION ALL
SELECT rodic_kod, vznik, 'oddeleni', -pocet, obec_kod FROM obce_vznik WHERE rodic_kod IS NOT NULL
UNION ALL
SELECT obec_kod, vznik, 'vznik', pocet, rodic_kod FROM obce_vznik
ORDER BY obdobi, obec_kod
