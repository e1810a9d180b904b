-- ČSÚ DataStat: any selection (výběr) or dataset, whatever layout it came in (JSON-stat, coded CSV, label CSV).
-- Codes are always text (kraje CZ0xx, okresy CZ0xxx, ORP 4 digits, obce 6 digits). `radek` numbers the values of a
-- selection; a newer file of the same selection replaces the older one (warehouse/datastat.py LATEST_EDITION_ONLY).

-- One value per row: the indicator (metric dimension) and the period (time dimension) of the value.
CREATE TABLE datastat_hodnoty (
    vyber        TEXT NOT NULL,
    radek        BIGINT NOT NULL,
    hodnota      DOUBLE,
    ukazatel_kod TEXT,
    ukazatel     TEXT,
    obdobi       TEXT,
    obdobi_od    DATE,
    obdobi_do    DATE,
    jednotka     TEXT,
    zverejneno   DATE  -- when DataStat published the value (JSON-stat extension.published), where it says
);

-- The item of every other dimension (territory, sex, age, variant …) of each value; kod NULL = the total over it.
CREATE TABLE datastat_polozky (
    vyber    TEXT NOT NULL,
    radek    BIGINT NOT NULL,
    dimenze  TEXT NOT NULL,
    ciselnik TEXT,
    kod      TEXT,
    popisek  TEXT
);

-- Code -> label maps of the dimensions of a selection (schemas.zip, a single schema or a JSON-stat response);
-- rodic = the item above in the hierarchy (JSON-stat `child`), poradi = the order of the schema.
CREATE TABLE datastat_schemata (
    vyber   TEXT NOT NULL,
    dimenze TEXT NOT NULL,
    kod     TEXT NOT NULL,
    popisek TEXT,
    rodic   TEXT,
    poradi  INTEGER NOT NULL
);

-- The dimensions of a selection: label and role (geo | metric | time | NULL for a breakdown).
CREATE TABLE datastat_dimenze (
    vyber   TEXT NOT NULL,
    dimenze TEXT NOT NULL,
    popisek TEXT,
    role    TEXT,
    poradi  INTEGER NOT NULL
);

-- One row per selection and file: title, update stamp, API address and the layout it came in.
CREATE TABLE datastat_vybery (
    vyber       TEXT NOT NULL,
    nazev       TEXT,
    aktualizace TEXT,
    odkaz       TEXT,
    format      TEXT NOT NULL,
    soubor      TEXT NOT NULL
);

-- Label-only CSV rows as read, one row per value and column; turned into codes by warehouse/datastat.py.
CREATE TABLE datastat_popisky (
    vyber   TEXT NOT NULL,
    soubor  TEXT NOT NULL,
    radek   BIGINT NOT NULL,
    sloupec TEXT NOT NULL,
    poradi  INTEGER NOT NULL,
    popisek TEXT NOT NULL,
    hodnota DOUBLE
);
