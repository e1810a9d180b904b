-- Population tables loaded from data/raw (ČSÚ publications and open data). Codes are always text.

-- Population totals per obec and sex (pohlavi: celkem | muzi | zeny).
CREATE TABLE populace_celkem (
    obec_kod     TEXT NOT NULL,
    obdobi       DATE NOT NULL,
    pohlavi      TEXT NOT NULL,
    pocet        BIGINT NOT NULL,
    prumerny_vek DOUBLE,
    zdroj        TEXT NOT NULL
);

-- The obce as a population publication lists them on its date (name, okres LAU 1 code of that date): the record
-- of obce that no longer exist (model obce_historicke) and of obce created later (model obce_vznik).
CREATE TABLE obce_publikace (
    obec_kod      TEXT NOT NULL,
    obdobi        DATE NOT NULL,
    obec_nazev    TEXT NOT NULL,
    okres_lau_kod TEXT,
    zdroj         TEXT NOT NULL
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
