-- Counts per obec and reference date: the only inputs of the demographic indicators.
-- Every indicator is computed from sums of these columns, so areas are aggregated by summing counts first.
WITH totals AS (
    -- one source per obec, date and sex: the population publication wins over totals derived from age tables, and
    -- both over ČSÚ open data (populace_opendata; a disagreement between them stops the build there)
    SELECT obec_kod, obdobi, pohlavi, pocet, prumerny_vek, zdroj
    FROM (
        SELECT obec_kod, obdobi, pohlavi, pocet, prumerny_vek, zdroj, 0 AS poradi FROM populace_celkem
        UNION ALL
        SELECT obec_kod, obdobi, pohlavi, pocet, NULL, zdroj, 1 FROM populace_opendata
    )
    QUALIFY row_number() OVER (
        PARTITION BY obec_kod, obdobi, pohlavi
        ORDER BY poradi, (zdroj = 'csu_pocet_obyvatel') DESC, zdroj
    ) = 1
),

totals_wide AS (
    SELECT
        obec_kod,
        obdobi,
        sum(pocet) FILTER (pohlavi = 'celkem') AS obyvatel_celkem,
        sum(pocet) FILTER (pohlavi = 'muzi') AS obyvatel_muzi,
        sum(pocet) FILTER (pohlavi = 'zeny') AS obyvatel_zeny,
        -- person-years, so that the mean age of an area is weighted by population
        sum(pocet * prumerny_vek) FILTER (pohlavi = 'celkem') AS soucet_veku
    FROM totals
    GROUP BY obec_kod, obdobi
),

age_groups AS (
    SELECT
        obec_kod,
        obdobi,
        sum(pocet) AS obyvatel_s_vekem,
        sum(pocet) FILTER (vek_do <= 14) AS obyvatel_0_14,
        sum(pocet) FILTER (vek_od >= 15 AND vek_do <= 64) AS obyvatel_15_64,
        sum(pocet) FILTER (vek_od >= 65) AS obyvatel_65_plus,
        sum(pocet) FILTER (vek_od >= 80) AS obyvatel_80_plus,
        sum(pocet) FILTER (vek_od >= 85) AS obyvatel_85_plus
    FROM populace_vek
    GROUP BY obec_kod, obdobi
)

SELECT
    obec_kod,
    obdobi,
    t.obyvatel_celkem,
    t.obyvatel_muzi,
    t.obyvatel_zeny,
    t.soucet_veku,
    a.obyvatel_s_vekem,
    a.obyvatel_0_14,
    a.obyvatel_15_64,
    a.obyvatel_65_plus,
    a.obyvatel_80_plus,
    a.obyvatel_85_plus
FROM totals_wide AS t
FULL OUTER JOIN age_groups AS a USING (obec_kod, obdobi)
ORDER BY obec_kod, obdobi
