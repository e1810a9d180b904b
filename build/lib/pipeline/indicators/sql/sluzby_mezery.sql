-- Obce of the territory (rows of the registered clenstvi with uzemi_typ 'obec') where no service of a druh is
-- located on $datum (edition $stav_k), for every druh located in at least one obec of the country; with the
-- terénní services of that druh whose declared scope (rozsirenePusobnostiVKraji: ORP, okres or obec) covers the obec.
-- Needs the CTE aktivni_zarizeni (sluzby_aktivni.sql).
WITH located AS (
    SELECT DISTINCT a.obec_kod, a.druh_kod
    FROM aktivni_zarizeni AS a
    SEMI JOIN obce AS o USING (obec_kod)
),

territory_obce AS (
    SELECT c.uzemi_poradi, c.obec_kod, c.uzemi_nazev AS obec_nazev, o.orp_kod, o.orp_nazev
    FROM clenstvi AS c
    JOIN obce AS o USING (obec_kod)
    WHERE c.uzemi_typ = 'obec'
),

gaps AS (
    SELECT o.*, d.druh_kod
    FROM territory_obce AS o
    CROSS JOIN (SELECT DISTINCT druh_kod FROM located) AS d
    ANTI JOIN located AS l USING (obec_kod, druh_kod)
),

declared AS (
    -- terénní services in provision on $datum (the service and one of its facilities) declared for the obec
    SELECT DISTINCT a.sluzba_id, a.druh_kod, a.identifikator, p.obec_kod
    FROM aktivni_zarizeni AS a
    JOIN sluzby_terenni_pusobnost AS p
      ON p.stav_k = $stav_k
     AND p.sluzba_id = a.sluzba_id
),

providers AS (
    SELECT s.sluzba_id, p.nazev AS poskytovatel_nazev
    FROM sluzby AS s
    JOIN sluzby_poskytovatele AS p
      ON p.stav_k = s.stav_k
     AND p.ico = s.poskytovatel_ico
    WHERE s.stav_k = $stav_k
),

service_types AS (
    SELECT kod AS druh_kod, nazev AS druh_nazev
    FROM mpsv_ciselnik
    WHERE ciselnik = 'DruhSocialniSluzby'
    QUALIFY row_number() OVER (PARTITION BY kod ORDER BY stav_k DESC) = 1
)

SELECT
    g.uzemi_poradi,
    'obec' AS uzemi_typ,
    g.obec_kod AS uzemi_kod,
    g.obec_nazev AS uzemi_nazev,
    g.orp_kod,
    g.orp_nazev,
    g.druh_kod,
    t.druh_nazev,
    count(d.sluzba_id) AS terenni_sluzby_s_pusobnosti,
    string_agg(d.identifikator || ' (' || coalesce(p.poskytovatel_nazev, 'poskytovatel neuveden') || ')', '; '
               ORDER BY d.identifikator) AS terenni_sluzby
FROM gaps AS g
LEFT JOIN declared AS d USING (obec_kod, druh_kod)
LEFT JOIN providers AS p USING (sluzba_id)
LEFT JOIN service_types AS t USING (druh_kod)
GROUP BY ALL
