-- Socio-economic counts of every area × figure × date, summed over the area's obce (registered table `clenstvi`),
-- with the share of ČR (all obce of the warehouse) beside them. One source per figure and date: the one that gives
-- bases for most obce. A sum is kept only when every obec of the area has the figure (a partial sum would pass
-- for the area's); a share only when every obec also has its base.
WITH chosen AS (
    SELECT obdobi, ukazatel, zdroj
    FROM socialni_obce
    GROUP BY obdobi, ukazatel, zdroj
    QUALIFY row_number() OVER (PARTITION BY obdobi, ukazatel ORDER BY count(zaklad) DESC, zdroj) = 1
),

rows AS (
    SELECT s.*
    FROM socialni_obce AS s
    SEMI JOIN chosen USING (obdobi, ukazatel, zdroj)
),

national AS (
    SELECT obdobi, ukazatel, sum(pocet) / sum(zaklad) * 100 AS podil_cr
    FROM rows
    GROUP BY obdobi, ukazatel
    HAVING count(DISTINCT obec_kod) = (SELECT count(*) FROM obce) AND count(zaklad) = count(*) AND sum(zaklad) > 0
),

grid AS (
    SELECT c.uzemi_poradi, c.uzemi_typ, c.uzemi_kod, c.uzemi_nazev, c.obec_kod, d.obdobi, d.ukazatel, d.zdroj
    FROM clenstvi AS c
    CROSS JOIN chosen AS d
),

summed AS (
    SELECT
        g.uzemi_poradi, g.uzemi_typ, g.uzemi_kod, g.uzemi_nazev, g.obdobi, g.ukazatel, g.zdroj,
        count(*) AS obci,
        count(r.pocet) AS obci_s_poctem,
        count(r.zaklad) AS obci_se_zakladem,
        sum(r.pocet) AS pocet,
        sum(r.zaklad) AS zaklad,
        any_value(r.zaklad_typ) AS zaklad_typ,
        any_value(r.obdobi_typ) AS obdobi_typ,
        any_value(r.podil_zverejneny) AS podil_zverejneny
    FROM grid AS g
    LEFT JOIN rows AS r USING (obec_kod, obdobi, ukazatel, zdroj)
    GROUP BY g.uzemi_poradi, g.uzemi_typ, g.uzemi_kod, g.uzemi_nazev, g.obdobi, g.ukazatel, g.zdroj
),

shares AS (
    SELECT
        *,
        CASE
            WHEN obci_se_zakladem = obci AND zaklad > 0 THEN pocet / zaklad * 100
            WHEN obci = 1 AND obci_se_zakladem = 0 THEN podil_zverejneny
        END AS podil
    FROM summed
    WHERE obci_s_poctem = obci
)

SELECT s.* EXCLUDE (obci_s_poctem, obci_se_zakladem, podil_zverejneny), s.podil / n.podil_cr AS kvocient, n.podil_cr
FROM shares AS s
LEFT JOIN national AS n USING (obdobi, ukazatel)
ORDER BY uzemi_poradi, ukazatel, obdobi
