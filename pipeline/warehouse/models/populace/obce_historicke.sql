-- Obce that a population publication lists but today's territory (table obce) does not have: merged or abolished
-- obce (e.g. vojenský újezd Brdy, 539996, abolished on 1. 1. 2016). They keep their own code; `platnost_do` is the
-- day before the first later publication without them (NULL while every later publication still lists them).
WITH dates AS (
    SELECT DISTINCT obdobi FROM obce_publikace
),

listed AS (
    SELECT
        obec_kod,
        arg_max(obec_nazev, obdobi) AS obec_nazev,
        arg_max(okres_lau_kod, obdobi) AS okres_lau_kod,
        min(obdobi) AS dolozena_od,
        max(obdobi) AS dolozena_do
    FROM obce_publikace
    WHERE obec_kod NOT IN (SELECT obec_kod FROM obce)
    GROUP BY obec_kod
)

SELECT
    l.obec_kod,
    l.obec_nazev,
    l.okres_lau_kod,
    l.dolozena_od AS platnost_od,
    CAST((SELECT min(d.obdobi) FROM dates AS d WHERE d.obdobi > l.dolozena_do) - INTERVAL 1 DAY AS DATE) AS platnost_do,
    l.dolozena_do
FROM listed AS l
ORDER BY l.obec_kod
