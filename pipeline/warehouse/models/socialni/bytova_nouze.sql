-- Housing exclusion by ORP code: every row of the files with the code its name matched (bytova_nouze_shoda).
SELECT s.orp_kod, b.obdobi, b.ukazatel, b.pocet
FROM bytova_nouze_orp AS b
JOIN bytova_nouze_shoda AS s
    ON s.orp_nazev = b.orp_nazev AND s.kraj_nazev IS NOT DISTINCT FROM b.kraj_nazev
WHERE s.shod = 1
