-- Needs surveys (sprss survey import), rebuilt from the snapshots in data/raw/pruzkum/<pruzkum>/.
-- A respondent is identified by the row number of the export (radek), as the analyst sees it in the file.

CREATE TABLE pruzkum (
    pruzkum          TEXT PRIMARY KEY,  -- the name given on import
    uzemi            TEXT NOT NULL,     -- territory selector as given (orp:Jihlava, or the YAML file name)
    uzemi_nazev      TEXT NOT NULL,
    puvodni_nazev    TEXT NOT NULL,     -- the export file
    sha256           TEXT NOT NULL,
    velikost         BIGINT NOT NULL,
    kodovnik         TEXT NOT NULL,     -- the codebook file name on import
    importovano      TIMESTAMP NOT NULL,
    radku            INTEGER NOT NULL,  -- data rows of the export
    platnych         INTEGER NOT NULL,
    odmitnutych      INTEGER NOT NULL,
    prazdnych        INTEGER NOT NULL   -- fully empty rows, skipped
);

-- The survey's territory: every obec (also those without respondents), with its sub-area if any.
CREATE TABLE pruzkum_obce (
    pruzkum    TEXT NOT NULL,
    obec_kod   TEXT NOT NULL,
    obec_nazev TEXT NOT NULL,
    oblast     TEXT
);

-- The codebook: questions and their options in order.
CREATE TABLE pruzkum_otazky (
    pruzkum TEXT NOT NULL,
    otazka  TEXT NOT NULL,     -- id from the codebook
    poradi  INTEGER NOT NULL,
    text    TEXT NOT NULL,
    typ     TEXT NOT NULL,     -- obec | single | multi | likert | number | text
    povinna BOOLEAN NOT NULL,
    jine    BOOLEAN NOT NULL,  -- free text allowed, stored as moznost 'Jiné'
    vek     BOOLEAN NOT NULL   -- options are age bands
);

CREATE TABLE pruzkum_moznosti (
    pruzkum TEXT NOT NULL,
    otazka  TEXT NOT NULL,
    poradi  INTEGER NOT NULL,
    moznost TEXT NOT NULL,
    hodnota DOUBLE,            -- Likert value
    nevim   BOOLEAN NOT NULL,  -- Likert "don't know": outside shares and mean
    vek_od  INTEGER,
    vek_do  INTEGER            -- NULL = open band (80 let a více)
);

CREATE TABLE pruzkum_respondenti (
    pruzkum  TEXT NOT NULL,
    radek    INTEGER NOT NULL,
    obec_kod TEXT,             -- NULL when the questionnaire has no obec question
    cas      TIMESTAMP
);

-- Answers in long form: one row per respondent and question, per chosen option for multi-choice.
-- moznost: the option (the obec name for obec questions, 'Jiné' for free text outside the options);
-- hodnota: Likert value or the number; text: free text of 'Jiné', of a text question, or the number as written.
CREATE TABLE pruzkum_odpovedi (
    pruzkum TEXT NOT NULL,
    radek   INTEGER NOT NULL,
    otazka  TEXT NOT NULL,
    moznost TEXT,
    poradi  INTEGER,
    hodnota DOUBLE,
    text    TEXT
);

CREATE TABLE pruzkum_odmitnute (
    pruzkum TEXT NOT NULL,
    radek   INTEGER NOT NULL,
    duvod   TEXT NOT NULL
);
