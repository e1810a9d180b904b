-- Obce of today's territory created after the first imported publication (splits, the new obce of the military
-- districts reduced on 1. 1. 2016): the date from which a publication lists them and, detected from the data, the
-- obec they were split from. Before `vznik` their inhabitants are counted in that parent, so an area holding both
-- is complete; an area holding only one of them cannot be placed in today's territory for those dates.
-- The parent is the obec of the same kraj (today's) whose population fell by at least half of the new obec's
-- between the two publications and fell the most relative to its size (real cases 2011–2016: Nový Jičín →
-- Libhošť, Valašské Meziříčí → Krhová and Poličná, vojenské újezdy Boletice, Hradiště, Libavá → six new obce).
WITH pub AS (
    SELECT obec_kod, obdobi, pocet
    FROM populace_celkem
    WHERE zdroj = 'csu_pocet_obyvatel' AND pohlavi = 'celkem'
),

dates AS (
    SELECT obdobi, lag(obdobi) OVER (ORDER BY obdobi) AS predchozi
    FROM (SELECT DISTINCT obdobi FROM pub)
),

born AS (
    SELECT p.obec_kod, p.obdobi AS vznik, d.predchozi, p.pocet
    FROM pub AS p
    JOIN dates AS d USING (obdobi)
    WHERE d.predchozi IS NOT NULL
      AND p.obdobi = (SELECT min(q.obdobi) FROM pub AS q WHERE q.obec_kod = p.obec_kod)
),

change AS (
    SELECT a.obec_kod, b.obdobi, b.pocet - a.pocet AS zmena, a.pocet AS predtim
    FROM pub AS a
    JOIN dates AS d ON a.obdobi = d.predchozi
    JOIN pub AS b ON b.obec_kod = a.obec_kod AND b.obdobi = d.obdobi
),

candidates AS (
    SELECT
        born.obec_kod,
        born.vznik,
        born.pocet,
        c.obec_kod AS rodic_kod,
        -c.zmena AS rodic_ubytek,
        -c.zmena / c.predtim AS rodic_podil_ubytku
    FROM born
    JOIN obce AS o ON o.obec_kod = born.obec_kod
    LEFT JOIN change AS c ON c.obdobi = born.vznik AND c.predtim > 0 AND -c.zmena >= born.pocet / 2
        AND c.obec_kod IN (SELECT r.obec_kod FROM obce AS r WHERE r.kraj_kod = o.kraj_kod)
)

SELECT obec_kod, vznik, pocet, rodic_kod, rodic_ubytek
FROM candidates
QUALIFY row_number() OVER (PARTITION BY obec_kod ORDER BY rodic_podil_ubytku DESC NULLS LAST, rodic_kod) = 1
ORDER BY obec_kod
