-- Where every raw file came from.
CREATE TABLE provenience (
    soubor          TEXT NOT NULL,
    puvodni_nazev   TEXT NOT NULL,
    zdroj           TEXT NOT NULL,
    referencni_datum DATE NOT NULL,
    sha256          TEXT NOT NULL,
    velikost        BIGINT NOT NULL,
    importovano     TIMESTAMP NOT NULL,
    url             TEXT,
    -- a file stored without its personal fields (sources with `redact`): the original download and what was removed
    puvodni_sha256  TEXT,
    puvodni_velikost BIGINT,
    odstranene_klice TEXT,  -- JSON: removed key -> number of occurrences
    stranky         TEXT    -- JSON: the URL of every page of an answer served in pages (ArcGIS), in order
);
