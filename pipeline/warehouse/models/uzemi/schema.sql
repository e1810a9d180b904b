-- Territory tables loaded from data/raw: obce (Struktura území ČR, or derived from the ČSÚ code lists),
-- the code lists themselves and boundaries. Codes are always text.

-- One row per obec with every territorial level (ČSÚ codes are the keys, RÚIAN/NUTS codes kept).
CREATE TABLE obce (
    obec_kod        TEXT PRIMARY KEY,
    obec_nazev      TEXT NOT NULL,
    obec_typ        TEXT,
    pou_kod         TEXT,
    pou_nazev       TEXT,
    pou_ruian_kod   TEXT,
    orp_kod         TEXT NOT NULL,
    orp_nazev       TEXT NOT NULL,
    orp_ruian_kod   TEXT,
    okres_kod       TEXT NOT NULL,
    okres_nazev     TEXT NOT NULL,
    okres_lau_kod   TEXT,
    okres_ruian_kod TEXT,
    kraj_kod        TEXT NOT NULL,
    kraj_nazev      TEXT NOT NULL,
    kraj_nuts_kod   TEXT,
    kraj_ruian_kod  TEXT,
    stat_kod        TEXT NOT NULL,
    stat_nazev      TEXT NOT NULL,
    platnost_od     DATE,
    zdroj           TEXT NOT NULL
);

-- ČSÚ code lists (CIS…) and link tables (VAZ…), the alternative territory input.
CREATE TABLE ciselnik_polozky (
    kodcis      TEXT NOT NULL,
    chodnota    TEXT NOT NULL,
    zkrtext     TEXT,
    text        TEXT NOT NULL,
    platnost_od DATE,
    platnost_do DATE,
    cznuts      TEXT,
    kod_ruian   TEXT
);

CREATE TABLE ciselnik_vazby (
    kodcis1   TEXT NOT NULL,
    chodnota1 TEXT NOT NULL,
    text1     TEXT,
    kodcis2   TEXT NOT NULL,
    chodnota2 TEXT NOT NULL,
    text2     TEXT
);

-- Boundaries (WGS84) as GeoJSON geometry text, one row per unit; uroven: obec | orp | okres | kraj.
-- stav_k: the reference date of the edition (one edition per level: the newest, of whichever source).
CREATE TABLE hranice (
    uroven   TEXT NOT NULL,
    kod      TEXT NOT NULL,
    geometrie TEXT NOT NULL,
    stav_k   DATE,
    zdroj    TEXT NOT NULL
);
