-- RÚIAN boundaries (hranice_ruian) into `hranice` under ČSÚ codes: obec codes are the same in both registers,
-- ORP, okres and kraj codes are translated through the RÚIAN codes table `obce` keeps beside the ČSÚ ones
-- (ORP Jihlava: RÚIAN 1503 -> ČSÚ 6105). A unit `obce` does not know is left out here and fails the data test
-- of hranice_ruian, so it never silently vanishes.
--
-- One edition per level: the rows already in `hranice` come from the boundary files (geo_hranice_*, loaded before
-- any model). A level is taken from RÚIAN when its edition is at least as new as theirs (the official register
-- wins a tie) and then replaces them (models.yaml: replace: [uroven]); else the files' edition stays.
WITH
kody AS (
    SELECT DISTINCT 'obec' AS uroven, obec_kod AS kod_ruian, obec_kod AS kod FROM obce
    UNION ALL
    SELECT DISTINCT 'orp', orp_ruian_kod, orp_kod FROM obce
    UNION ALL
    SELECT DISTINCT 'okres', okres_ruian_kod, okres_kod FROM obce
    UNION ALL
    SELECT DISTINCT 'kraj', kraj_ruian_kod, kraj_kod FROM obce
),
soubory AS (
    SELECT uroven, max(stav_k) AS stav_k FROM hranice GROUP BY uroven
)
SELECT
    r.uroven,
    k.kod,
    r.geometrie,
    r.stav_k,
    'cuzk_ruian_hranice' AS zdroj
FROM hranice_ruian AS r
JOIN kody AS k USING (uroven, kod_ruian)
LEFT JOIN soubory AS s USING (uroven)
WHERE s.stav_k IS NULL OR r.stav_k >= s.stav_k
ORDER BY r.uroven, k.kod
