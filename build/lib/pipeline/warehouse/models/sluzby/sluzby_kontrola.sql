-- What the analyst should know about an edition: codes missing from the loaded code lists (checked only for
-- lists that are loaded), facilities without obec or with an obec code unknown to `obce`, missing address-place
-- codes, repeated facilities, services without facility, and scope entries that name no known territory.
WITH codes AS (
    SELECT stav_k, sluzba_id, 'DruhSocialniSluzby' AS ciselnik, druh_kod AS kod FROM sluzby
    UNION ALL
    SELECT stav_k, sluzba_id, 'FormaSocialniSluzby', forma FROM sluzby_formy
    UNION ALL
    SELECT stav_k, sluzba_id, 'TypKapacitySocialniSluzby', typ_kapacity FROM sluzby_formy WHERE typ_kapacity IS NOT NULL
    UNION ALL
    SELECT stav_k, sluzba_id, 'CilovaSkupinaOsoby', kod FROM sluzby_cilove_skupiny
    UNION ALL
    SELECT stav_k, sluzba_id, 'VekovaSkupinaOsoby', kod FROM sluzby_vekove_skupiny
),

unknown_codes AS (
    SELECT DISTINCT c.stav_k, c.sluzba_id, c.ciselnik || '/' || coalesce(c.kod, '(chybí)') AS hodnota
    FROM codes AS c
    WHERE c.ciselnik IN (SELECT ciselnik FROM mpsv_ciselnik)
      AND NOT EXISTS (SELECT 1 FROM mpsv_ciselnik AS m WHERE m.ciselnik = c.ciselnik AND m.kod = c.kod)
),

scope_matches AS (
    SELECT DISTINCT p.stav_k, p.sluzba_id, p.kod
    FROM sluzby_pusobnost AS p
    JOIN obce AS o
      ON (p.uroven = 'orp' AND p.kod IN (o.orp_ruian_kod, o.orp_kod))
      OR (p.uroven = 'okres' AND p.kod IN (o.okres_ruian_kod, o.okres_kod))
      OR (p.uroven = 'kraj' AND p.kod IN (o.kraj_ruian_kod, o.kraj_kod))
      OR (p.uroven = 'obec' AND p.kod = o.obec_kod)
)

SELECT stav_k, sluzba_id, 'neznámý kód' AS kontrola, hodnota FROM unknown_codes
UNION ALL
SELECT stav_k, sluzba_id, 'zařízení bez obce', nazev FROM sluzby_zarizeni WHERE obec_kod IS NULL
UNION ALL
SELECT stav_k, sluzba_id, 'neznámý kód obce', obec_kod
FROM sluzby_zarizeni
WHERE obec_kod IS NOT NULL AND EXISTS (SELECT 1 FROM obce) AND obec_kod NOT IN (SELECT obec_kod FROM obce)
UNION ALL
SELECT stav_k, sluzba_id, 'zařízení bez kódu adresního místa', nazev FROM sluzby_zarizeni WHERE kod_adresniho_mista IS NULL
UNION ALL
SELECT stav_k, sluzba_id, 'opakovaný záznam zařízení', nazev FROM sluzby_zarizeni WHERE duplicitni
UNION ALL
SELECT stav_k, sluzba_id, 'služba bez zařízení', identifikator
FROM sluzby AS s
WHERE NOT EXISTS (SELECT 1 FROM sluzby_zarizeni AS z WHERE z.stav_k = s.stav_k AND z.sluzba_id = s.sluzba_id)
UNION ALL
SELECT p.stav_k, p.sluzba_id, 'působnost mimo známá území', coalesce(p.ciselnik || '/', '') || p.kod
FROM sluzby_pusobnost AS p
WHERE EXISTS (SELECT 1 FROM obce)
  AND NOT EXISTS (SELECT 1 FROM scope_matches AS m WHERE m.stav_k = p.stav_k AND m.sluzba_id = p.sluzba_id AND m.kod = p.kod)
