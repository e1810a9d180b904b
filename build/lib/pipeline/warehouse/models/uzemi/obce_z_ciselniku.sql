-- Table `obce` rebuilt from ČSÚ code lists (ciselnik_polozky) and link tables (ciselnik_vazby).
-- Declared in models.yaml to fill `obce` only when no Struktura území was imported.
--
-- Code lists: 43 obec, 61 POÚ, 65 ORP, 101 okres, 100 kraj. Links: 43→61, 43→65, 43→101, 100→101.
-- Only currently valid items count (platnost_do NULL: the parser stores the "no end" date
-- 09.09.9999 as NULL); the link tables carry no dates and describe the same current state.
-- POÚ and ORP names come from the links (text2): their code lists are optional and, when loaded,
-- only add RÚIAN codes.
-- LEFT JOINs on purpose: an obec missing a link keeps NULLs, and the NOT NULL constraints of
-- `obce` stop the build instead of the obec silently disappearing.
WITH
current_items AS (
    SELECT * FROM ciselnik_polozky WHERE platnost_do IS NULL
),
obec AS (
    SELECT chodnota AS obec_kod, text AS obec_nazev, platnost_od
    FROM current_items WHERE kodcis = '43'
),
-- obec → POÚ / ORP / okres (one row per obec: the parser refuses ambiguous links)
obec_pou AS (
    SELECT chodnota1 AS obec_kod, chodnota2 AS pou_kod, text2 AS pou_nazev
    FROM ciselnik_vazby WHERE kodcis1 = '43' AND kodcis2 = '61'
),
obec_orp AS (
    SELECT chodnota1 AS obec_kod, chodnota2 AS orp_kod, text2 AS orp_nazev
    FROM ciselnik_vazby WHERE kodcis1 = '43' AND kodcis2 = '65'
),
obec_okres AS (
    SELECT chodnota1 AS obec_kod, chodnota2 AS okres_kod
    FROM ciselnik_vazby WHERE kodcis1 = '43' AND kodcis2 = '101'
),
-- okres → kraj: the link is stored from the kraj's side (kraj in chodnota1)
okres_kraj AS (
    SELECT chodnota2 AS okres_kod, chodnota1 AS kraj_kod
    FROM ciselnik_vazby WHERE kodcis1 = '100' AND kodcis2 = '101'
),
pou AS (
    SELECT chodnota AS pou_kod, kod_ruian AS pou_ruian_kod
    FROM current_items WHERE kodcis = '61'
),
orp AS (
    SELECT chodnota AS orp_kod, kod_ruian AS orp_ruian_kod
    FROM current_items WHERE kodcis = '65'
),
-- okres: CZNUTS holds the LAU 1 code (CZ0632), the parser falls back to OKRES_LAU
okres AS (
    SELECT chodnota AS okres_kod, text AS okres_nazev,
           cznuts AS okres_lau_kod, kod_ruian AS okres_ruian_kod
    FROM current_items WHERE kodcis = '101'
),
kraj AS (
    SELECT chodnota AS kraj_kod, text AS kraj_nazev,
           cznuts AS kraj_nuts_kod, kod_ruian AS kraj_ruian_kod
    FROM current_items WHERE kodcis = '100'
)
SELECT
    obec.obec_kod,
    obec.obec_nazev,
    CAST(NULL AS TEXT)          AS obec_typ,  -- not in code list 43
    obec_pou.pou_kod,
    obec_pou.pou_nazev,
    pou.pou_ruian_kod,
    obec_orp.orp_kod,
    obec_orp.orp_nazev,
    orp.orp_ruian_kod,
    obec_okres.okres_kod,
    okres.okres_nazev,
    okres.okres_lau_kod,
    okres.okres_ruian_kod,
    okres_kraj.kraj_kod,
    kraj.kraj_nazev,
    kraj.kraj_nuts_kod,
    kraj.kraj_ruian_kod,
    'CZ'                        AS stat_kod,
    'Česká republika'           AS stat_nazev,
    obec.platnost_od,
    'csu_ciselniky'             AS zdroj
FROM obec
LEFT JOIN obec_pou   USING (obec_kod)
LEFT JOIN pou        USING (pou_kod)
LEFT JOIN obec_orp   USING (obec_kod)
LEFT JOIN orp        USING (orp_kod)
LEFT JOIN obec_okres USING (obec_kod)
LEFT JOIN okres      USING (okres_kod)
LEFT JOIN okres_kraj USING (okres_kod)
LEFT JOIN kraj       USING (kraj_kod)
ORDER BY obec.obec_kod
