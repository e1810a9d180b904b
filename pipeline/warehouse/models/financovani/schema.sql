-- Budgets of accounting units from the MF Monitor státní pokladny (FIN 2-12 M) and the obec each IČO is.

-- One row per IČO × year × příjmy/výdaje × paragraf × položka; amounts in CZK for the whole year.
CREATE TABLE financovani_rozpocet (
    ico                TEXT NOT NULL,
    rok                INTEGER NOT NULL,
    typ                TEXT NOT NULL,
    paragraf           TEXT NOT NULL,
    paragraf_nazev     TEXT,
    polozka            TEXT NOT NULL,
    schvaleny_rozpocet DOUBLE NOT NULL,
    upraveny_rozpocet  DOUBLE NOT NULL,
    skutecnost         DOUBLE NOT NULL
);

-- IČO -> obec, as the analyst placed them (sprss import --obec, or a file ico;obec_kod).
CREATE TABLE financovani_ico_obec (
    ico      TEXT NOT NULL,
    obec_kod TEXT NOT NULL
);
