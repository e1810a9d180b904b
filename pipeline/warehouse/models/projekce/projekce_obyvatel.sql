-- ČSÚ population projection by single year of age from the DataStat selections OBY02PT03 (ČR) and OBY02PKT03
-- (kraje): one row per territory × variant × sex × age × year (k 1. 1.). DataStat publishes the middle variant
-- only. Age codes of VEK1C encode the band: 40|0098|61|0099|000 = [98, 99), 42|0100|79|9999|000 = 100+ (open,
-- vek_do NULL). `celkem` is the selection's own total over ages and `soucet_vek` the sum of its ages, so that a
-- data test can refuse a file whose ages do not add up to its total.
WITH projected AS (
    SELECT h.vyber, h.radek, h.hodnota, CAST(left(h.obdobi, 4) AS INTEGER) AS rok
    FROM datastat_hodnoty AS h
    WHERE h.vyber IN ('OBY02PT03', 'OBY02PKT03')
      AND h.ukazatel_kod = '9930WC'  -- Počet obyvatel - celkem
      AND h.hodnota IS NOT NULL
),

items AS (
    SELECT
        vyber,
        radek,
        any_value(kod) FILTER (dimenze ILIKE 'uz%') AS uzemi_kod,
        coalesce(any_value(kod) FILTER (dimenze ILIKE 'pohl%'), '0') AS pohlavi_kod,
        any_value(kod) FILTER (dimenze ILIKE 'vek%') AS vek_kod,
        count(*) FILTER (dimenze ILIKE 'vek%') AS vek_dimenzi
    FROM datastat_polozky
    WHERE vyber IN ('OBY02PT03', 'OBY02PKT03')
    GROUP BY vyber, radek
),

rows AS (
    SELECT
        p.vyber,
        i.uzemi_kod,
        'stredni' AS varianta,
        CASE i.pohlavi_kod WHEN '1' THEN 'muzi' WHEN '2' THEN 'zeny' ELSE 'celkem' END AS pohlavi,
        i.vek_kod,
        p.rok,
        p.hodnota
    FROM projected AS p
    JOIN items AS i USING (vyber, radek)
    WHERE i.vek_dimenzi = 1
),

ages AS (
    SELECT
        * EXCLUDE (vek_kod),
        CAST(substr(vek_kod, 3, 4) AS INTEGER) AS vek,
        CASE WHEN substr(vek_kod, 9, 4) = '9999' THEN NULL ELSE CAST(substr(vek_kod, 9, 4) AS INTEGER) - 1 END AS vek_do
    FROM rows
    WHERE vek_kod IS NOT NULL
),

totals AS (
    SELECT vyber, uzemi_kod, varianta, pohlavi, rok, hodnota AS celkem
    FROM rows
    WHERE vek_kod IS NULL
)

SELECT
    a.vyber,
    a.uzemi_kod,
    a.varianta,
    a.pohlavi,
    a.vek,
    a.vek_do,
    a.rok,
    make_date(a.rok, 1, 1) AS obdobi,
    a.hodnota AS pocet,
    sum(a.hodnota) OVER (PARTITION BY a.vyber, a.uzemi_kod, a.varianta, a.pohlavi, a.rok) AS soucet_vek,
    t.celkem
FROM ages AS a
LEFT JOIN totals AS t USING (vyber, uzemi_kod, varianta, pohlavi, rok)
ORDER BY a.uzemi_kod, a.varianta, a.pohlavi, a.rok, a.vek
