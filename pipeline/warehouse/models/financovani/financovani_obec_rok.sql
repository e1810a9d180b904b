-- Spending of each placed obec and year. An obec has data for a year when its IČO has expenditure rows in it;
-- then its social spending is the sum below, 0 when it spent nothing under § 43xx.
-- The rule of "výdaje na sociální oblast" (stated in indicators.yaml, pravidlo_socialni_oblast): expenditure
-- (0CI_TYPE 3, položky of classes 5 and 6), paragraphs 4300–4399, without položky 5341–5349 (transfers to the
-- obec's own funds and budget accounts, which are spent again from there and would count twice). The obec's total
-- expenditure, the base of the share, follows the same rule over all paragraphs. Sums are rounded to hellers, the
-- precision of the amounts (CURR, 2 decimals), so that adding doubles leaves no 0.000001 tails.
SELECT
    p.obec_kod,
    r.rok,
    round(coalesce(sum(r.schvaleny_rozpocet) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0), 2) AS socialni_schvaleny,
    round(coalesce(sum(r.upraveny_rozpocet) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0), 2) AS socialni_upraveny,
    round(coalesce(sum(r.skutecnost) FILTER (r.paragraf BETWEEN '4300' AND '4399'), 0), 2) AS socialni_skutecnost,
    round(sum(r.schvaleny_rozpocet), 2) AS celkem_schvaleny,
    round(sum(r.upraveny_rozpocet), 2) AS celkem_upraveny,
    round(sum(r.skutecnost), 2) AS celkem_skutecnost
FROM financovani_rozpocet AS r
INNER JOIN financovani_prirazeni AS p USING (ico)
WHERE r.typ = 'vydaje' AND r.polozka NOT BETWEEN '5341' AND '5349'
GROUP BY p.obec_kod, r.rok
