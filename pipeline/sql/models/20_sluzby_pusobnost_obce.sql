-- Declared territorial scope of services (rozsirenePusobnostiVKraji) resolved to obce, per registry edition.
-- The registry names an ORP or okres by its RÚIAN code (ČSÚ codes are accepted too) or an obec by its code;
-- whether a terénní service really travels to every obec of that scope, the registry does not say.
CREATE TABLE sluzby_pusobnost_obce AS
SELECT DISTINCT
    p.stav_k,
    p.sluzba_id,
    o.obec_kod
FROM sluzby_pusobnost AS p
JOIN obce AS o
  ON (p.uroven = 'orp' AND p.kod IN (o.orp_ruian_kod, o.orp_kod))
  OR (p.uroven = 'okres' AND p.kod IN (o.okres_ruian_kod, o.okres_kod))
  OR (p.uroven = 'obec' AND p.kod = o.obec_kod)
ORDER BY p.stav_k, p.sluzba_id, o.obec_kod;
