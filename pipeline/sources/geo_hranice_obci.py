"""Obec boundaries from a TopoJSON Topology (one geometry per obec, `id` = obec code), into table `hranice`.

The file carries no date, so the boundaries' reference date must be given with `--date`.
Geometries are kept exactly as decoded, including the few self-intersecting rings of simplified
boundaries: maps draw rings as they are, and a self-intersection only changes the fill right at
the crossing. Areas are not computed from these shapes.
"""
from datetime import date
import json
import re
from typing import Any

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta, require_reference_date

# No URL: ČSÚ/ČÚZK publish boundaries as shapefiles or services; sprss reads the TopoJSON exports public projects
# derive from them, loaded with `sprss import --date …`.
META = SourceMeta(
    id="geo_hranice_obci",
    title="Hranice obcí (TopoJSON)",
    publisher="ČSÚ a ČÚZK (export odvozený veřejným projektem)",
    citation="hranice obcí (TopoJSON)",
    licence=NOT_STATED,
    reference_date="Soubor datum neuvádí: zadává se volbou --date.",
)

OBEC_CODE = re.compile(r"\d{6}")
DECIMALS = 6  # ~0.1 m; more digits only carry the float noise of dequantisation
# Czechia with a margin; anything outside is not WGS84 longitude/latitude (e.g. S-JTSK metres)
WGS84_CZ = (11.0, 47.5, 20.0, 52.0)

Polygon = list[list[list[float]]]  # rings of [lon, lat]; the first ring is the exterior


def sniff(content: bytes) -> bool:
    if b'"Topology"' not in content[:200]:
        return False
    try:
        return _obec_object(json.loads(content)) is not None
    except (ValueError, FormatError):
        return False


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    topology = load_json(content, "TopoJSON s hranicemi obcí")
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise FormatError("soubor není TopoJSON (chybí \"type\": \"Topology\"); očekáván TopoJSON s hranicemi obcí")
    name = _obec_object(topology)
    if name is None:
        raise FormatError("TopoJSON neobsahuje objekt s geometriemi obcí (id = šestimístný kód obce)")
    arcs = _decode_arcs(topology)
    rows = {}
    for number, geometry in enumerate(topology["objects"][name]["geometries"], start=1):
        kod = str(geometry["id"])
        if kod in rows:
            raise FormatError(f"obec {kod} je v objektu {name!r} dvakrát")
        polygons = _polygons(geometry, arcs, f"obec {kod} (geometrie č. {number})")
        check_wgs84(polygons, f"obec {kod}")
        rows[kod] = geometry_json(polygons)
    found = reference_date or require_reference_date(None, filename)
    hranice = pd.DataFrame({"uroven": "obec", "kod": list(rows), "geometrie": list(rows.values()), "stav_k": found,
                            "zdroj": META.id})
    hranice = hranice.sort_values("kod", ignore_index=True)
    return Parsed(META.id, found, {"hranice": hranice})


def load_json(content: bytes, expected: str) -> Any:  # parsed JSON: whatever the file holds
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"soubor není v kódování UTF-8; očekáván {expected}") from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"soubor není platný JSON (chyba u znaku {exc.pos + 1}), je zřejmě neúplný nebo poškozený; "
                          f"očekáván {expected}", row=exc.lineno) from exc


def check_wgs84(polygons: list[Polygon], what: str) -> None:
    """Czech boundaries are often exported in S-JTSK (metres); those would be drawn as nonsense."""
    xmin, ymin, xmax, ymax = WGS84_CZ
    for polygon in polygons:
        for ring in polygon:
            for lon, lat in ring:
                if not (xmin <= lon <= xmax and ymin <= lat <= ymax):
                    raise FormatError(f"{what}: souřadnice {lon}, {lat} nejsou zeměpisná délka a šířka v Česku; "
                                      "očekáván souřadnicový systém WGS84 (EPSG:4326)")


def check_rings(polygons: list[Polygon], what: str) -> None:
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise FormatError(f"{what}: obrys není uzavřený (první a poslední bod se liší nebo má méně než 4 body)")


def geometry_json(polygons: list[Polygon]) -> str:
    """GeoJSON geometry text: a Polygon for one part, a MultiPolygon for several."""
    if len(polygons) == 1:
        geometry = {"type": "Polygon", "coordinates": polygons[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return json.dumps(geometry, separators=(",", ":"))


def _obec_object(topology: object) -> str | None:
    """Name of the only object whose geometries are all identified by obec codes."""
    objects = topology.get("objects") if isinstance(topology, dict) else None
    if not isinstance(objects, dict):
        return None
    found = [name for name, obj in objects.items()
             if isinstance(obj, dict) and isinstance(obj.get("geometries"), list) and obj["geometries"]
             and all(isinstance(g, dict) and OBEC_CODE.fullmatch(str(g.get("id"))) for g in obj["geometries"])]
    if len(found) > 1:
        raise FormatError(f"TopoJSON obsahuje více objektů s kódy obcí ({', '.join(found)}); ponechte v souboru jeden")
    return found[0] if found else None


def _decode_arcs(topology: dict) -> list[list[list[float]]]:
    """Absolute [lon, lat] of every arc; quantised arcs are delta-encoded integers to scale and translate."""
    transform = topology.get("transform")
    try:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        decoded = []
        for arc in topology["arcs"]:
            if transform:
                x = y = 0
                points = []
                for dx, dy in arc:
                    x += dx
                    y += dy
                    points.append([round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)])
            else:
                points = [[float(p[0]), float(p[1])] for p in arc]
            decoded.append(points)
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError("TopoJSON má neplatné oblouky (\"arcs\") nebo transformaci (\"transform\")") from exc
    return decoded


def _polygons(geometry: dict, arcs: list, what: str) -> list[Polygon]:
    kind = geometry.get("type")
    arc_indexes: Any = geometry.get("arcs")  # unchecked JSON: a wrong shape fails below as TypeError
    if kind == "Polygon":
        parts = [arc_indexes]
    elif kind == "MultiPolygon":
        parts = arc_indexes
    else:
        raise FormatError(f"{what}: geometrie typu {kind!r}; očekáván Polygon nebo MultiPolygon")
    try:
        polygons = [[_ring(indexes, arcs) for indexes in part] for part in parts]
    except (IndexError, TypeError) as exc:
        raise FormatError(f"{what}: odkaz na neexistující oblouk TopoJSON") from exc
    check_rings(polygons, what)
    return polygons


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    """Join arcs end to start; ~i is arc i reversed, and each arc repeats the previous arc's last point."""
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring
