-- Which services reach which obce of a territory on $datum (edition $stav_k): one row per service × obec × way.
-- zpusob 'zarizeni': one of the service's active facilities lies in the obec.
-- zpusob 'pusobnost' (only when $pusobnost): the service is provided in the terénní form and its declared scope
-- (model sluzby_terenni_pusobnost) covers the obec.
-- Needs the CTE aktivni_zarizeni (sluzby_aktivni.sql) and the registered table uzemi_obce (obec_kod).
WITH located AS (
    SELECT DISTINCT a.sluzba_id, a.obec_kod
    FROM aktivni_zarizeni AS a
    SEMI JOIN uzemi_obce AS u USING (obec_kod)
),

declared AS (
    SELECT DISTINCT a.sluzba_id, p.obec_kod
    FROM aktivni_zarizeni AS a
    JOIN sluzby_terenni_pusobnost AS p
      ON p.stav_k = $stav_k
     AND p.sluzba_id = a.sluzba_id
    SEMI JOIN uzemi_obce AS u ON u.obec_kod = p.obec_kod
    WHERE $pusobnost
)

SELECT sluzba_id, obec_kod, 'zarizeni' AS zpusob FROM located
UNION ALL
SELECT sluzba_id, obec_kod, 'pusobnost' AS zpusob FROM declared
