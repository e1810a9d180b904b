-- Warehouse tables loaded from data/raw by `sprss build`. Codes are always text.

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

-- Population totals per obec and sex (pohlavi: celkem | muzi | zeny).
CREATE TABLE populace_celkem (
    obec_kod     TEXT NOT NULL,
    obdobi       DATE NOT NULL,
    pohlavi      TEXT NOT NULL,
    pocet        BIGINT NOT NULL,
    prumerny_vek DOUBLE,
    zdroj        TEXT NOT NULL
);

-- Population per obec, sex (muzi | zeny) and age band [vek_od, vek_do]; vek_do NULL = open band (85+).
-- Bands of one obec and date partition the ages: single years or 5-year groups, never both.
CREATE TABLE populace_vek (
    obec_kod TEXT NOT NULL,
    obdobi   DATE NOT NULL,
    pohlavi  TEXT NOT NULL,
    vek_od   INTEGER NOT NULL,
    vek_do   INTEGER,
    pocet    BIGINT NOT NULL,
    zdroj    TEXT NOT NULL
);

-- Praha below the obec level (správní obvody, městské části), same band layout as populace_vek.
CREATE TABLE populace_vek_praha (
    jednotka_typ   TEXT NOT NULL,
    jednotka_kod   TEXT NOT NULL,
    jednotka_nazev TEXT NOT NULL,
    obdobi         DATE NOT NULL,
    pohlavi        TEXT NOT NULL,
    vek_od         INTEGER NOT NULL,
    vek_do         INTEGER,
    pocet          BIGINT NOT NULL
);

-- ČSÚ open-data long CSV: one value per row; dimensions in a separate long table.
-- A dimension with kod NULL is the total over that dimension: never add it to its parts.
CREATE TABLE opendata_hodnoty (
    dataset    TEXT NOT NULL,
    idhod      TEXT NOT NULL,
    hodnota    DOUBLE,
    stapro_kod TEXT,
    vuk        TEXT,
    vuk_text   TEXT,
    obdobi     TEXT,
    obdobi_od  DATE,
    obdobi_do  DATE
);

CREATE TABLE opendata_dimenze (
    dataset  TEXT NOT NULL,
    idhod    TEXT NOT NULL,
    dimenze  TEXT NOT NULL,
    ciselnik TEXT,
    kod      TEXT,
    text     TEXT
);

-- Where every raw file came from.
CREATE TABLE provenience (
    soubor          TEXT NOT NULL,
    puvodni_nazev   TEXT NOT NULL,
    zdroj           TEXT NOT NULL,
    referencni_datum DATE NOT NULL,
    sha256          TEXT NOT NULL,
    velikost        BIGINT NOT NULL,
    importovano     TIMESTAMP NOT NULL,
    url             TEXT
);

-- Boundaries (WGS84) as GeoJSON geometry text, one row per unit; uroven: obec | orp | okres | kraj.
CREATE TABLE hranice (
    uroven   TEXT NOT NULL,
    kod      TEXT NOT NULL,
    geometrie TEXT NOT NULL,
    zdroj    TEXT NOT NULL
);
