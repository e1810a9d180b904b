-- Supply of social services: the MPSV provider registry (rpss.json) and MPSV code lists.
-- Every registry table carries `stav_k`, the reference date of its edition: editions stay side by side
-- (for change reports); queries pick one. Personal names (statutory bodies, contact notes) are never loaded.

-- One row per registered service. Dates are inclusive; NULL datum_do = open-ended.
CREATE TABLE sluzby (
    stav_k           DATE NOT NULL,
    sluzba_id        TEXT NOT NULL,
    portal_id        TEXT,
    identifikator    TEXT,             -- identifikátor sociální služby (7 digits)
    druh_kod         TEXT NOT NULL,    -- DruhSocialniSluzby code: 13 = domovy pro seniory
    poskytovatel_ico TEXT,
    datum_od         DATE,
    datum_do         DATE,
    PRIMARY KEY (stav_k, sluzba_id)
);

-- Providers by IČO: registered name and the obec of their seat; nothing about persons.
CREATE TABLE sluzby_poskytovatele (
    stav_k         DATE NOT NULL,
    ico            TEXT NOT NULL,
    nazev          TEXT,
    sidlo_obec_kod TEXT,
    PRIMARY KEY (stav_k, ico)
);

-- Service × form (amb | pob | ter) × capacity type (luzka | klient | kontakt | interv | hovor).
-- kapacita is the registered maximum in the unit of typ_kapacity: never add two types together.
-- A form without a registered capacity has one row with typ_kapacity and kapacita NULL.
CREATE TABLE sluzby_formy (
    stav_k       DATE NOT NULL,
    sluzba_id    TEXT NOT NULL,
    forma        TEXT,
    nepretrzite  BOOLEAN,
    typ_kapacity TEXT,
    kapacita     BIGINT
);

-- Target groups (CilovaSkupinaOsoby) and age groups (VekovaSkupinaOsoby) of a service.
CREATE TABLE sluzby_cilove_skupiny (
    stav_k    DATE NOT NULL,
    sluzba_id TEXT NOT NULL,
    kod       TEXT NOT NULL
);

CREATE TABLE sluzby_vekove_skupiny (
    stav_k    DATE NOT NULL,
    sluzba_id TEXT NOT NULL,
    kod       TEXT NOT NULL
);

-- Facilities (places of provision) in registry order. obec_kod is the ČSÚ obec code (NULL = facility without
-- obec); okres and kraj are RÚIAN codes. duplicitni = repeats an earlier record of the same service.
CREATE TABLE sluzby_zarizeni (
    stav_k              DATE NOT NULL,
    sluzba_id           TEXT NOT NULL,
    poradi              INTEGER NOT NULL,
    nazev               TEXT,
    poskytuje_od        DATE,
    poskytuje_do        DATE,
    kod_adresniho_mista TEXT,
    obec_kod            TEXT,
    okres_ruian_kod     TEXT,
    kraj_ruian_kod      TEXT,
    cast_obce_kod       TEXT,
    ulice               TEXT,
    cislo_domovni       TEXT,
    typ_cisla_domovniho TEXT,
    cislo_orientacni    TEXT,
    psc                 TEXT,
    duplicitni          BOOLEAN NOT NULL
);

-- Declared territorial scope (rozsirenePusobnostiVKraji): uroven orp | obec | okres | kraj (NULL = not
-- recognised), ciselnik = the id's prefix in the file, kod = its code (ORP, okres, kraj: RÚIAN codes).
CREATE TABLE sluzby_pusobnost (
    stav_k    DATE NOT NULL,
    sluzba_id TEXT NOT NULL,
    uroven    TEXT,
    ciselnik  TEXT,
    kod       TEXT NOT NULL
);

-- Published contacts of a service and of its provider (uroven sluzba | poskytovatel; typ web | email | telefon).
CREATE TABLE sluzby_kontakty (
    stav_k    DATE NOT NULL,
    sluzba_id TEXT NOT NULL,
    uroven    TEXT NOT NULL,
    typ       TEXT NOT NULL,
    hodnota   TEXT NOT NULL
);

-- MPSV code lists, both published shapes, under the code-list names the registry ids use
-- (DruhSocialniSluzby, FormaSocialniSluzby, …). Several editions may coexist: the latest stav_k wins.
CREATE TABLE mpsv_ciselnik (
    stav_k      DATE NOT NULL,
    ciselnik    TEXT NOT NULL,
    kod         TEXT NOT NULL,
    nazev       TEXT,
    platnost_od DATE,
    platnost_do DATE
);

-- What the analyst should know about an edition: codes missing from the loaded code lists (checked only for
-- lists that are loaded), facilities without obec or with an obec code unknown to `obce`, missing address-place
-- codes, repeated facilities, services without facility, and scope entries that name no known territory.
CREATE VIEW sluzby_kontrola AS
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
  AND NOT EXISTS (SELECT 1 FROM scope_matches AS m WHERE m.stav_k = p.stav_k AND m.sluzba_id = p.sluzba_id AND m.kod = p.kod);
