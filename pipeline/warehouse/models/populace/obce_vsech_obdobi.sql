-- Every obec code valid in some edition of the territory: today's obce and the historic obce of the publications.
-- Population and movement tables are tested against it.
SELECT obec_kod, obec_nazev, TRUE AS dnesni FROM obce
UNION ALL
SELECT obec_kod, obec_nazev, FALSE AS dnesni FROM obce_historicke
