-- Names of ORP in the housing-exclusion files matched to ORP codes of the territory: the same name (folded:
-- case and diacritics ignored) in the same kraj ("Vysočina" is Kraj Vysočina); a name equal to its kraj's
-- name is that kraj's only ORP (Praha). Candidates: ORP of that name anywhere, or of a similar name.
WITH orp AS (
    SELECT DISTINCT orp_kod, orp_nazev, kraj_nazev FROM obce
),

kraje AS (
    SELECT kraj_nazev, count(DISTINCT orp_kod) AS orp_v_kraji FROM obce GROUP BY kraj_nazev
),

names AS (
    SELECT DISTINCT orp_nazev AS nazev, kraj_nazev AS kraj FROM bytova_nouze_orp
),

compared AS (
    SELECT
        n.nazev,
        n.kraj,
        o.orp_kod,
        o.orp_nazev,
        o.kraj_nazev,
        lower(strip_accents(o.orp_nazev)) = lower(strip_accents(n.nazev))
            OR (lower(strip_accents(o.kraj_nazev)) = lower(strip_accents(n.nazev)) AND k.orp_v_kraji = 1) AS same_name,
        n.kraj IS NULL OR lower(strip_accents(o.kraj_nazev)) IN (lower(strip_accents(n.kraj)),
                                                                'kraj ' || lower(strip_accents(n.kraj))) AS same_kraj,
        jaro_winkler_similarity(lower(strip_accents(o.orp_nazev)), lower(strip_accents(n.nazev))) AS similarity
    FROM names AS n
    CROSS JOIN orp AS o
    JOIN kraje AS k ON k.kraj_nazev = o.kraj_nazev
)

SELECT
    nazev AS orp_nazev,
    kraj AS kraj_nazev,
    count(*) FILTER (same_name AND same_kraj) AS shod,
    min(orp_kod) FILTER (same_name AND same_kraj) AS orp_kod,
    coalesce(string_agg(orp_nazev || ' (' || orp_kod || ', ' || kraj_nazev || ')', '; ' ORDER BY similarity DESC, orp_kod)
                 FILTER (same_name OR similarity >= 0.85), 'žádný podobný název') AS kandidati
FROM compared
GROUP BY nazev, kraj
