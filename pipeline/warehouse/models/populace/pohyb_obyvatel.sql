-- Population movement per territory and year from ČSÚ open data (130141 "Pohyb obyvatel"): the stocks at the start
-- (1. 1.) and end (31. 12.), the mid-year population and the year's flows, at every level the file has (vuzemi_cis
-- 97 stát, 100 kraj, 101 okres, 65 SO ORP, 43 obec, mixed in one file). Only totals over every other dimension (both
-- sexes) are read. The gross flows of a level are the published ones: a move between two obce of one ORP is no
-- migration of that ORP, so they are never summed from obce here. `obdobi` is the year's last day.
WITH territory AS (
    SELECT dataset, idhod, ciselnik, kod
    FROM opendata_dimenze
    WHERE dimenze = 'vuzemi' AND kod IS NOT NULL AND ciselnik IN ('97', '100', '101', '65', '43')
),

split AS (
    -- values with a total (kod NULL) over any other dimension are kept only when that is every other dimension
    SELECT dataset, idhod
    FROM opendata_dimenze
    WHERE dimenze <> 'vuzemi' AND kod IS NOT NULL
),

valued AS (
    SELECT
        t.ciselnik,
        t.kod,
        h.dataset,
        h.stapro_kod,
        h.hodnota,
        h.obdobi_od,
        h.obdobi_do,
        year(h.obdobi_od) AS rok
    FROM opendata_hodnoty AS h
    JOIN territory AS t USING (dataset, idhod)
    ANTI JOIN split AS s USING (dataset, idhod)
    WHERE h.stapro_kod IN ('2406', '9379', '5389', '5393', '5403', '5404')
      AND h.dataset = '130141'
)

SELECT
    CASE ciselnik WHEN '97' THEN 'stat' WHEN '100' THEN 'kraj' WHEN '101' THEN 'okres' WHEN '65' THEN 'orp'
        ELSE 'obec' END AS uroven,
    kod AS uzemi_kod,
    rok,
    make_date(rok, 12, 31) AS obdobi,
    max(hodnota) FILTER (stapro_kod = '2406' AND obdobi_od = obdobi_do AND month(obdobi_od) = 1
                         AND day(obdobi_od) = 1) AS stav_zacatek,
    max(hodnota) FILTER (stapro_kod = '2406' AND obdobi_od = obdobi_do AND month(obdobi_do) = 12
                         AND day(obdobi_do) = 31) AS stav_konec,
    max(hodnota) FILTER (stapro_kod = '9379') AS stredni_stav,
    max(hodnota) FILTER (stapro_kod = '5389') AS zive_narozeni,
    max(hodnota) FILTER (stapro_kod = '5393') AS zemreli,
    max(hodnota) FILTER (stapro_kod = '5403') AS pristehovali,
    max(hodnota) FILTER (stapro_kod = '5404') AS vystehovali,
    count(*) AS pocet_hodnot
FROM valued
GROUP BY ALL
ORDER BY uroven, uzemi_kod, rok
