-- Population of obce k 1. 1. in two series that are never mixed in one sum or chart (rada):
--   publikace  = the publication "Počet obyvatel v obcích k 1. 1." as issued (populace_celkem, csu_pocet_obyvatel);
--   revidovana = the DataStat series (indicator 2406P, e.g. selection OBY02AT02), revised by the 2021 census from
--                1. 1. 2021 on (ČR 10,494,836 instead of 10,701,777); 2020 and earlier as published.
-- DataStat mixes kraje (CZ0xx) and obce in one territory dimension: only 6-digit obec codes are kept, otherwise
-- Praha (kraj CZ010 and obec 554782) would count twice. Values broken down further (by sex …) are left out: only
-- rows whose every other dimension is its total.
WITH datastat AS (
    SELECT
        p.kod AS obec_kod,
        h.obdobi_od AS obdobi,
        h.hodnota,
        h.vyber,
        v.aktualizace
    FROM datastat_hodnoty AS h
    JOIN datastat_polozky AS p USING (vyber, radek)
    JOIN datastat_dimenze AS d ON d.vyber = p.vyber AND d.dimenze = p.dimenze AND d.role = 'geo'
    LEFT JOIN (SELECT vyber, max(aktualizace) AS aktualizace FROM datastat_vybery GROUP BY vyber) AS v
        ON v.vyber = h.vyber
    WHERE h.ukazatel_kod = '2406P'
      AND h.obdobi_od = h.obdobi_do
      AND h.hodnota IS NOT NULL
      AND regexp_full_match(p.kod, '[0-9]{6}')
      AND NOT EXISTS (
          SELECT 1 FROM datastat_polozky AS o
          WHERE o.vyber = h.vyber AND o.radek = h.radek AND o.dimenze <> p.dimenze AND o.kod IS NOT NULL
      )
    -- two selections with the same figures: the most recently updated one
    QUALIFY row_number() OVER (PARTITION BY p.kod, h.obdobi_od ORDER BY v.aktualizace DESC NULLS LAST, h.vyber) = 1
)

SELECT obec_kod, obdobi, 'publikace' AS rada, pocet, zdroj
FROM populace_celkem
WHERE pohlavi = 'celkem' AND zdroj = 'csu_pocet_obyvatel'
UNION ALL
SELECT obec_kod, obdobi, 'revidovana' AS rada, CAST(hodnota AS BIGINT) AS pocet, 'csu_datastat' AS zdroj
FROM datastat
ORDER BY rada, obec_kod, obdobi
