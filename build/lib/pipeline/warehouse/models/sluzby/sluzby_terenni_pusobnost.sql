-- Obce covered by the declared territorial scope (rozsirenePusobnostiVKraji) of services provided in the
-- terénní form, per registry edition. The registry names an ORP or okres by its RÚIAN code (ČSÚ codes are
-- accepted too) or an obec by its code; whether the service really travels to every obec of that scope,
-- the registry does not say. Whether the service is in provision on a date is decided by the queries.
SELECT DISTINCT
    p.stav_k,
    p.sluzba_id,
    o.obec_kod
FROM sluzby_pusobnost AS p
SEMI JOIN sluzby_formy AS f
  ON f.stav_k = p.stav_k
 AND f.sluzba_id = p.sluzba_id
 AND f.forma = 'ter'
JOIN obce AS o
  ON (p.uroven = 'orp' AND p.kod IN (o.orp_ruian_kod, o.orp_kod))
  OR (p.uroven = 'okres' AND p.kod IN (o.okres_ruian_kod, o.okres_kod))
  OR (p.uroven = 'obec' AND p.kod = o.obec_kod)
ORDER BY p.stav_k, p.sluzba_id, o.obec_kod
