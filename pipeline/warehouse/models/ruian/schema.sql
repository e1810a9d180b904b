-- Boundaries from RÚIAN (ČÚZK) as downloaded: keyed by RÚIAN codes, which for ORP, okresy and kraje are not the
-- ČSÚ codes of every other table; model hranice_z_ruian puts them into `hranice` under ČSÚ codes.
CREATE TABLE hranice_ruian (
    uroven    TEXT NOT NULL,  -- obec | orp | okres | kraj
    kod_ruian TEXT NOT NULL,
    geometrie TEXT NOT NULL,  -- GeoJSON geometry, WGS84
    stav_k    DATE NOT NULL   -- the day of the download: RÚIAN as it was then
);
