-- Age structure of an area (obce in the registered table `clenstvi`) in 5-year groups by sex.
-- Single years and 5-year groups of different obce both fold into the same 5-year groups.
SELECT
    c.uzemi_poradi,
    v.obdobi,
    v.pohlavi,
    least(v.vek_od // 5 * 5, 85) AS vek_od,
    CASE WHEN v.vek_od >= 85 THEN NULL ELSE v.vek_od // 5 * 5 + 4 END AS vek_do,
    sum(v.pocet)::BIGINT AS pocet
FROM populace_vek AS v
JOIN clenstvi AS c USING (obec_kod)
GROUP BY ALL
ORDER BY c.uzemi_poradi, v.obdobi, v.pohlavi, vek_od
