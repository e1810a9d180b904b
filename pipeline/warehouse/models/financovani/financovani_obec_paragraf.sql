-- Social spending of each placed obec and year by paragraph 43xx, under the rule of financovani_obec_rok.
SELECT
    p.obec_kod,
    r.rok,
    r.paragraf,
    min(r.paragraf_nazev) AS paragraf_nazev,
    round(sum(r.schvaleny_rozpocet), 2) AS schvaleny_rozpocet,
    round(sum(r.upraveny_rozpocet), 2) AS upraveny_rozpocet,
    round(sum(r.skutecnost), 2) AS skutecnost
FROM financovani_rozpocet AS r
INNER JOIN financovani_prirazeni AS p USING (ico)
WHERE r.typ = 'vydaje' AND r.paragraf BETWEEN '4300' AND '4399' AND r.polozka NOT BETWEEN '5341' AND '5349'
GROUP BY p.obec_kod, r.rok, r.paragraf
