-- Population stocks of obce from ČSÚ open data (130149 population by sex, the stocks of 130141), beside the
-- publication and the age tables. obec_pocty takes them only for a date no other source has (the publication wins,
-- then the age tables), and where two sources have the same obec, date and sex, `rozdil` (open data − the other)
-- must be 0: a data test names both sources and the difference.
WITH territory AS (
    SELECT dataset, idhod, kod AS obec_kod FROM opendata_dimenze
    WHERE dimenze = 'vuzemi' AND ciselnik = '43' AND kod IS NOT NULL
),

sex AS (
    SELECT dataset, idhod, CASE kod WHEN '1' THEN 'muzi' WHEN '2' THEN 'zeny' END AS pohlavi
    FROM opendata_dimenze
    WHERE dimenze = 'pohlavi'
),

other_split AS (
    SELECT dataset, idhod FROM opendata_dimenze WHERE dimenze NOT IN ('vuzemi', 'pohlavi') AND kod IS NOT NULL
),

stocks AS (
    -- a stock is a moment: the end of its interval (a year alone means 31. 12.)
    SELECT
        t.obec_kod,
        CAST(h.obdobi_do AS DATE) AS obdobi,
        coalesce(s.pohlavi, 'celkem') AS pohlavi,
        CAST(h.hodnota AS BIGINT) AS pocet,
        'csu_opendata:' || h.dataset AS zdroj
    FROM opendata_hodnoty AS h
    JOIN territory AS t USING (dataset, idhod)
    LEFT JOIN sex AS s USING (dataset, idhod)
    ANTI JOIN other_split AS o USING (dataset, idhod)
    WHERE h.stapro_kod = '2406' AND h.hodnota IS NOT NULL AND h.dataset IN ('130149', '130141')
      -- of 130141 only the end stocks: its start of 2021 is census-revised, another series than the publication
      AND (h.dataset = '130149' OR (h.obdobi_od = h.obdobi_do AND month(h.obdobi_do) = 12 AND day(h.obdobi_do) = 31))
),

distinct_stocks AS (
    SELECT obec_kod, obdobi, pohlavi, any_value(pocet) AS pocet, string_agg(DISTINCT zdroj, ', ') AS zdroj
    FROM stocks
    GROUP BY ALL
    HAVING min(pocet) = max(pocet)
    UNION ALL
    -- the two open datasets disagree: kept with both, so that the data test below names them
    SELECT obec_kod, obdobi, pohlavi, min(pocet), string_agg(DISTINCT zdroj, ', ')
    FROM stocks
    GROUP BY ALL
    HAVING min(pocet) <> max(pocet)
)

SELECT
    d.obec_kod,
    d.obdobi,
    d.pohlavi,
    d.pocet,
    d.zdroj,
    p.zdroj AS jiny_zdroj,
    CASE WHEN p.pocet IS NOT NULL THEN d.pocet - p.pocet
         WHEN d.zdroj LIKE '%,%' THEN (SELECT max(s.pocet) - min(s.pocet) FROM stocks AS s
                                       WHERE s.obec_kod = d.obec_kod AND s.obdobi = d.obdobi AND s.pohlavi = d.pohlavi)
    END AS rozdil
FROM distinct_stocks AS d
LEFT JOIN populace_celkem AS p USING (obec_kod, obdobi, pohlavi)
ORDER BY d.obec_kod, d.obdobi, d.pohlavi
