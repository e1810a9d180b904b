-- Coverage of every area by the services in provision on $datum (edition $stav_k): one row per area × druh ×
-- forma × typ_kapacity, for every combination found in any of the areas (zeros where an area has none).
-- Needs the CTEs aktivni_zarizeni (sluzby_aktivni.sql) and uzemi_pocty (uzemi_pocty.sql), and the registered
-- tables clenstvi (area × obec) and cilove_populace (druh_kod -> population column; others get $vychozi).
-- A service counts once in every area holding at least one of its active facilities, with its whole
-- registered capacity: capacity is registered per service, so it is not split between areas. Capacities are
-- added only within one unit (typ_kapacity).
WITH services_in_area AS (
    SELECT DISTINCT c.uzemi_poradi, a.sluzba_id, a.druh_kod
    FROM aktivni_zarizeni AS a
    JOIN clenstvi AS c USING (obec_kod)
),

capacities AS (
    -- per service, form and unit; a form without a registered capacity keeps its row (unit and capacity NULL)
    SELECT sluzba_id, forma, typ_kapacity, sum(kapacita) AS kapacita
    FROM sluzby_formy
    WHERE stav_k = $stav_k
    GROUP BY ALL
),

supply AS (
    SELECT
        s.uzemi_poradi,
        s.druh_kod,
        k.forma,
        k.typ_kapacity,
        count(DISTINCT s.sluzba_id) AS pocet_sluzeb,
        sum(k.kapacita) AS kapacita
    FROM services_in_area AS s
    LEFT JOIN capacities AS k USING (sluzba_id)
    GROUP BY ALL
),

areas AS (
    SELECT DISTINCT uzemi_poradi, uzemi_typ, uzemi_kod, uzemi_nazev FROM clenstvi
),

grid AS (
    SELECT a.*, c.*
    FROM areas AS a
    CROSS JOIN (SELECT DISTINCT druh_kod, forma, typ_kapacity FROM supply) AS c
),

service_types AS (
    SELECT kod AS druh_kod, nazev AS druh_nazev
    FROM mpsv_ciselnik
    WHERE ciselnik = 'DruhSocialniSluzby'
    QUALIFY row_number() OVER (PARTITION BY kod ORDER BY stav_k DESC) = 1
),

population AS (
    -- per area and population column: the date nearest to $datum (the earlier one on a tie) at which every
    -- obec of the area has the figure, so that a rate divides the capacity by the population of its time
    SELECT uzemi_poradi, sloupec, arg_min(pocet, nearness) AS pocet, arg_min(obdobi, nearness) AS obdobi
    FROM (
        SELECT *, abs(date_diff('day', obdobi::DATE, $datum::DATE)) * 2 + (obdobi::DATE > $datum::DATE)::INTEGER AS nearness
        FROM (
        UNPIVOT uzemi_pocty
        ON obyvatel_celkem, obyvatel_0_14, obyvatel_15_64, obyvatel_65_plus, obyvatel_80_plus, obyvatel_85_plus
        INTO NAME sloupec VALUE pocet
        )
    )
    GROUP BY uzemi_poradi, sloupec
),

coverage AS (
    SELECT
        g.uzemi_poradi,
        g.uzemi_typ,
        g.uzemi_kod,
        g.uzemi_nazev,
        g.druh_kod,
        t.druh_nazev,
        g.forma,
        g.typ_kapacity,
        coalesce(s.pocet_sluzeb, 0) AS pocet_sluzeb,
        CASE WHEN s.pocet_sluzeb IS NULL AND g.typ_kapacity IS NOT NULL THEN 0 ELSE s.kapacita END AS kapacita,
        p.pocet AS cilova_populace,
        coalesce(cp.sloupec, $vychozi) AS cilova_populace_sloupec,
        p.obdobi AS cilova_populace_k
    FROM grid AS g
    LEFT JOIN supply AS s
      ON s.uzemi_poradi = g.uzemi_poradi
     AND s.druh_kod = g.druh_kod
     AND s.forma IS NOT DISTINCT FROM g.forma
     AND s.typ_kapacity IS NOT DISTINCT FROM g.typ_kapacity
    LEFT JOIN service_types AS t ON t.druh_kod = g.druh_kod
    LEFT JOIN cilove_populace AS cp ON cp.druh_kod = g.druh_kod
    LEFT JOIN population AS p
      ON p.uzemi_poradi = g.uzemi_poradi
     AND p.sloupec = coalesce(cp.sloupec, $vychozi)
)

SELECT
    *,
    CASE WHEN cilova_populace > 0 THEN kapacita / cilova_populace * 1000 END AS kapacita_na_1000
FROM coverage
