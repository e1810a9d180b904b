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
