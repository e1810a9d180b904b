-- Socio-economic figures per obec. Every count sits beside its base from the same file and date, so that an
-- area's share is always Σ pocet / Σ zaklad of its obce (never an average of obec shares).

-- One row per obec × figure × date. obdobi is the reference date (an average of a year or a month: its last day);
-- obdobi_typ says which: stav (state on the day), prumer_roku (average month of the year), mesic (the month).
-- zaklad NULL: the file publishes only the share (podil_zverejneny), not its base.
CREATE TABLE socialni_obce (
    obec_kod         TEXT NOT NULL,
    obdobi           DATE NOT NULL,
    obdobi_typ       TEXT NOT NULL,
    ukazatel         TEXT NOT NULL,
    pocet            DOUBLE NOT NULL,
    zaklad           DOUBLE,
    zaklad_typ       TEXT NOT NULL,
    podil_zverejneny DOUBLE,
    zdroj            TEXT NOT NULL
);

-- The published index of social exclusion (0–30 points) and its category, as published (never averaged).
CREATE TABLE socialni_index (
    obec_kod  TEXT NOT NULL,
    obdobi    DATE NOT NULL,
    body      INTEGER NOT NULL,
    kategorie TEXT NOT NULL,
    zdroj     TEXT NOT NULL
);

-- Housing exclusion per ORP as the files name it (no codes): the name, the kraj in brackets (NULL when the file
-- gives none), a figure and its count; radek is the row of the file. Model bytova_nouze_shoda matches the names.
CREATE TABLE bytova_nouze_orp (
    orp_nazev  TEXT NOT NULL,
    kraj_nazev TEXT,
    obdobi     DATE NOT NULL,
    ukazatel   TEXT NOT NULL,
    pocet      BIGINT NOT NULL,
    radek      INTEGER NOT NULL
);
