"""What the warehouse knows about areas beyond their counts: their boundaries (table `hranice`).

Boundaries are decoded into the shapes that pipeline.render.maps draws: a list of polygons, each a list of rings
(n×2 arrays of lon, lat; the exterior first).
"""
from collections.abc import Iterable
import json
from typing import Any

import duckdb
import numpy as np

from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Shape, Territory

OUTLINED_LEVELS = ("orp", "okres", "kraj")  # levels whose own boundary the warehouse may hold


def boundaries(con: duckdb.DuckDBPyConnection, uroven: str, kody: Iterable[str]) -> dict[str, Shape]:
    """Boundaries of the given units; units without a boundary are simply absent from the result."""
    rows = con.execute("SELECT kod, geometrie FROM hranice WHERE uroven = ? AND list_contains(?, kod) ORDER BY kod",
                       [uroven, sorted(set(kody))]).fetchall()
    codes = [kod for kod, _ in rows]
    twice = sorted({kod for kod in codes if codes.count(kod) > 1})
    if twice:
        raise SprssError(f"Hranice ({uroven}) {', '.join(twice[:5])} jsou ve skladu dat vícekrát (z více souborů); "
                         "ponechte v data/raw jen jeden soubor hranic této úrovně.")
    return {kod: _shape(json.loads(text)) for kod, text in rows}


def territory_boundaries(con: duckdb.DuckDBPyConnection, chosen: Territory, units: Iterable[Area] = ()
                         ) -> tuple[dict[str, Shape], dict[str, Shape]]:
    """Boundaries of the territory's units (its obce unless `units` of one level are given: the ORP of a kraj, the
    kraje of ČR) and the territory's outline; both empty when an older warehouse has no table `hranice`."""
    found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'hranice'").fetchone()
    if not found or not found[0]:
        return {}, {}
    given = list(units)
    levels = {a.typ for a in given}
    if len(levels) > 1:
        raise ValueError(f"units of one level expected, got {sorted(levels)}")
    shapes = boundaries(con, given[0].typ, [a.kod for a in given]) if given else boundaries(con, "obec", chosen.area.obce)
    outline = boundaries(con, chosen.area.typ, [chosen.area.kod]) if chosen.area.typ in OUTLINED_LEVELS else {}
    return shapes, outline


def _shape(geometry: dict[str, Any]) -> Shape:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[np.asarray(ring, dtype=float)[:, :2] for ring in polygon] for polygon in polygons]
