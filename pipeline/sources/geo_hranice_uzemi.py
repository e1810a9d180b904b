"""ORP, okres and kraj boundaries from ČSÚ GeoJSON exports (WGS84), into table `hranice`.

The level is read from the feature properties: `kod_orp_p` (ORP, ČSÚ code list 65, e.g. 6105),
`kod_okres` (okres, ČSÚ code list 101, e.g. 40665), `kod_kraj` (kraj, ČSÚ code list 100, e.g. 3107).
These are the ČSÚ codes of table `obce`; the RÚIAN and NUTS codes in the same files are not used.
A unit in several parts (exclaves) comes as several features and is merged into one MultiPolygon.
The reference date is taken from the collection name (`…_20251001`), else from `--date`.
"""
from datetime import date
import re
from typing import Any

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta, require_reference_date
from pipeline.sources.geo_hranice_obci import check_rings, check_wgs84, geometry_json, load_json

# No URL: as for geo_hranice_obci, the GeoJSON exports public projects derive from ČSÚ/ČÚZK boundaries.
META = SourceMeta(
    id="geo_hranice_uzemi",
    title="Hranice ORP, okresů a krajů (GeoJSON)",
    publisher="ČSÚ a ČÚZK (export odvozený veřejným projektem)",
    citation="hranice ORP, okresů a krajů (GeoJSON)",
    licence=NOT_STATED,
    reference_date="Datum RRRRMMDD v názvu kolekce (name), jinak se zadává volbou --date.",
)

# code property -> (uroven, ČSÚ code pattern); checked in this order (ORP files also carry kod_kraj)
LEVELS = {
    "kod_orp_p": ("orp", re.compile(r"\d{4}")),
    "kod_okres": ("okres", re.compile(r"40\d{3}")),
    "kod_kraj": ("kraj", re.compile(r"3\d{3}")),
}
LEVEL_NAMES = {"orp": "ORP", "okres": "okres", "kraj": "kraj"}
NAME_DATE = re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)")
WGS84_CRS = ("CRS84", "EPSG::4326", "EPSG:4326")


def sniff(content: bytes) -> bool:
    if b'"FeatureCollection"' not in content[:2000]:
        return False
    try:
        return _code_property(load_json(content, "GeoJSON")) is not None
    except FormatError:
        return False


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    collection = load_json(content, "GeoJSON s hranicemi ORP, okresů nebo krajů")
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FormatError("soubor není GeoJSON FeatureCollection; očekávány hranice ORP, okresů nebo krajů")
    check_crs(collection)
    code_property = _code_property(collection)
    if code_property is None:
        raise FormatError(f"prvky GeoJSON nemají vlastnost s kódem ČSÚ ({', '.join(LEVELS)}); "
                          "očekávány hranice ORP, okresů nebo krajů z ČSÚ")
    uroven, pattern = LEVELS[code_property]
    parts: dict[str, list] = {}
    for number, feature in enumerate(collection["features"], start=1):
        kod = str((feature.get("properties") or {}).get(code_property, "")).strip()
        if not pattern.fullmatch(kod):
            raise FormatError(f"prvek č. {number}: {code_property} = {kod!r} není kód {LEVEL_NAMES[uroven]} podle ČSÚ "
                              f"(očekáván tvar {pattern.pattern})")
        what = f"{LEVEL_NAMES[uroven]} {kod} (prvek č. {number})"
        polygons = geojson_polygons(feature.get("geometry") or {}, what)
        check_rings(polygons, what)
        check_wgs84(polygons, what)
        parts.setdefault(kod, []).extend(polygons)
    found = reference_date or require_reference_date(_date_in_name(str(collection.get("name", ""))), filename)
    hranice = pd.DataFrame({"uroven": uroven, "kod": list(parts),
                            "geometrie": [geometry_json(p) for p in parts.values()], "stav_k": found, "zdroj": META.id})
    hranice = hranice.sort_values("kod", ignore_index=True)
    return Parsed(META.id, found, {"hranice": hranice})


def _code_property(collection: object) -> str | None:
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        return None
    properties = features[0].get("properties") or {}
    return next((name for name in LEVELS if name in properties), None)


def check_crs(collection: dict) -> None:
    """GeoJSON is WGS84 by definition, but older exports declare another CRS (S-JTSK) in `crs`."""
    name = str(((collection.get("crs") or {}).get("properties") or {}).get("name", "CRS84"))
    if not name.endswith(WGS84_CRS):
        raise FormatError(f"souřadnicový systém {name}; očekáván WGS84 (EPSG:4326), soubor převeďte")


def geojson_polygons(geometry: dict, what: str) -> list:
    """Polygons as rings of [lon, lat] floats (a third, height coordinate is dropped)."""
    kind = geometry.get("type")
    coordinates: Any = geometry.get("coordinates")  # unchecked JSON: a wrong shape fails below as TypeError
    if kind not in ("Polygon", "MultiPolygon"):
        raise FormatError(f"{what}: geometrie typu {kind!r}; očekáván Polygon nebo MultiPolygon")
    try:
        polygons = [coordinates] if kind == "Polygon" else coordinates
        return [[[[float(p[0]), float(p[1])] for p in ring] for ring in polygon] for polygon in polygons]
    except (TypeError, ValueError, IndexError) as exc:
        raise FormatError(f"{what}: neplatné souřadnice; očekávány dvojice [délka, šířka]") from exc


def _date_in_name(name: str) -> date | None:
    """ČSÚ names the collection after its validity date, e.g. 'Kraje_NUTS_3_20251001'."""
    match = NAME_DATE.search(name)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
