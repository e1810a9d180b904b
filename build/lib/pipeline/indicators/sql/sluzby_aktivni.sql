-- Facilities of the services in provision on $datum, in the registry edition $stav_k: one row per service × facility.
-- A service counts when the service itself (datum_od/datum_do) and at least one of its facilities
-- (poskytuje_od/poskytuje_do) are in provision on $datum: the registry ends one level without the other, so both
-- are checked. Both ends are inclusive (a service ending on D is still provided on D); NULL = open end.
-- A repeated facility record is skipped, so a facility counts once. obec_kod NULL = facility without obec.
WITH services_in_provision AS (
    SELECT sluzba_id, druh_kod, identifikator
    FROM sluzby
    WHERE stav_k = $stav_k
      AND (datum_od IS NULL OR datum_od <= $datum)
      AND (datum_do IS NULL OR datum_do >= $datum)
)

SELECT
    s.sluzba_id,
    s.druh_kod,
    s.identifikator,
    z.poradi,
    z.nazev AS zarizeni_nazev,
    z.obec_kod
FROM services_in_provision AS s
JOIN sluzby_zarizeni AS z
  ON z.stav_k = $stav_k
 AND z.sluzba_id = s.sluzba_id
WHERE NOT z.duplicitni
  AND (z.poskytuje_od IS NULL OR z.poskytuje_od <= $datum)
  AND (z.poskytuje_do IS NULL OR z.poskytuje_do >= $datum)
