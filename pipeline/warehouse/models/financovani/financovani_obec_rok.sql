-- Spending of each placed obec and year. An obec has data for a year when its IČO has expenditure rows in it;
-- then its social spending is the sum below, 0 when it spent nothing under § 43xx.
-- The rule of "výdaje na sociální oblast" (stated in indicators.yaml, pravidlo_socialni_oblast): expenditure
-- (0CI_TYPE 3, položky of classes 5 and 6), paragraphs 4300–4399, without položky 5341–5349 (transfers to the
-- obec's own funds and budget accounts, which are spent again from there and would count twice). The obec's total
-- expenditure, the base of the share, follows the same rule over all paragraphs.
SELECT
    p.obec_kod,
    r.rok,
    coalesce(sum(r.schvaleny_rozpocet) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0) AS socialni_schvaleny,
    coalesce(sum(r.upraveny_rozpocet) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0) AS socialni_upraveny,
    coalesce(sum(r.skutecnost) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0) AS socialni_skutecnost,
    sum(r.schvaleny_rozpocet) AS celkem_schvaleny,
    sum(r.upraveny_rozpocet) AS celkem_upraveny,
    sum(r.skutecnost) AS celkem_skutecnost
FROM financovani_rozpocet AS r
INNER JOIN financovani_prirazeni AS p USING (ico)
WHERE r.typ = 'vydaje' AND r.polozka NOT BETWEEN '5341' AND '5349'
GROUP BY p.obec_kod, r.rok
