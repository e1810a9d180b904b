-- One row when the warehouse can project a territory: a ČSÚ projection and an age structure of every obec at one
-- date (the shares of the method must add up over all of ČR). The input of the chapter vyhled (kapitoly.yaml).
SELECT count(*) AS radku_projekce
FROM projekce_obyvatel
WHERE EXISTS (
    SELECT 1 FROM populace_vek GROUP BY obdobi HAVING count(DISTINCT obec_kod) = (SELECT count(*) FROM obce)
)
HAVING count(*) > 0
