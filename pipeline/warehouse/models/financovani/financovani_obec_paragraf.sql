-- Social spending of each placed obec and year by paragraph 43xx, under the rule of financovani_obec_rok.
SELECT
    p.obec_kod,
    r.rok,
    r.paragraf,
    min(r.paragraf_nazev) AS paragraf_nazev,
    sum(r.schvaleny_rozpocet) AS schvaleny_rozpocet,
    sum(r.upraveny_rozpocet) AS upraveny_rozpocet,
    sum(r.skutecnost) AS skutecnost
FROM financovani_rozpocet AS r
INNER JOIN financovani_prirazeni AS p USING (ico)
WHERE r.typ = 'vydaje' AND r.paragraf BETWEEN '4300' AND '4399' AND r.polozka NOT BETWEEN '5341' AND '5349'
GROUP BY p.obec_kod, r.rok, r.paragraf
