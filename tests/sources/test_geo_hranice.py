"""Boundary sources: TopoJSON obce and ČSÚ GeoJSON ORP/okresy/kraje into table `hranice`."""
from datetime import date
import json
from pathlib import Path

import pandas as pd
import pytest

from builders import SHARED_REAL, TOPOJSON, real
from pipeline.core.errors import FormatError
from pipeline.sources import geo_hranice_obci, geo_hranice_uzemi

OLBRASOFT = SHARED_REAL / "geo" / "Olbrasoft-cr"
STRUKTURA = OLBRASOFT / "struktura_uzemi_cr_2025.csv"
XLSX_HEADER = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"

# file -> (uroven, units, column of the Struktura území file with the same codes)
UZEMI_FILES = {
    "kraje_simple.geojson": ("kraj", 14, "kraj_csu_cis100_kod"),
    "okresy_simple.geojson": ("okres", 77, "okres_csu_cis101_lau_kod"),
    "orp_simple.geojson": ("orp", 206, "orp_csu_cis65_kod"),
}


def real_bytes(path: Path) -> bytes:
    return real(path).read_bytes()


def geometries(frame: pd.DataFrame) -> dict[str, dict]:
    return {kod: json.loads(text) for kod, text in zip(frame["kod"], frame["geometrie"])}


def polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def topology(geometries: list[dict], arcs: list, transform: dict | None = None) -> bytes:
    topo = {"type": "Topology", "arcs": arcs, "objects": {"obce": {"type": "GeometryCollection", "geometries": geometries}}}
    if transform:
        topo["transform"] = transform
    return json.dumps(topo).encode()


def feature_collection(features: list[dict], name: str = "ORP_20251001", crs: str = "urn:ogc:def:crs:OGC:1.3:CRS84") -> bytes:
    return json.dumps({"type": "FeatureCollection", "name": name,
                       "crs": {"type": "name", "properties": {"name": crs}}, "features": features}).encode()


def square(x: float, y: float, size: float = 0.1) -> list:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def orp_feature(kod: str, rings: list) -> dict:
    return {"type": "Feature", "properties": {"kod_orp_p": kod, "kod_kraj": "3107"},
            "geometry": {"type": "Polygon", "coordinates": rings}}


@pytest.fixture(scope="module")
def obce_hranice() -> pd.DataFrame:
    parsed = geo_hranice_obci.parse(real_bytes(TOPOJSON), TOPOJSON.name, date(2022, 1, 1))
    assert parsed.reference_date == date(2022, 1, 1)
    return parsed.tables["hranice"]


@pytest.fixture(scope="module")
def struktura() -> pd.DataFrame:
    return pd.read_csv(real(STRUKTURA), dtype=str, keep_default_na=False)


# --- obce (TopoJSON) ---

def test_topojson_decodes_every_obec(obce_hranice, struktura):
    assert len(obce_hranice) == 6258
    assert set(obce_hranice["uroven"]) == {"obec"} and set(obce_hranice["zdroj"]) == {"geo_hranice_obci"}
    assert obce_hranice["kod"].is_unique and obce_hranice["kod"].str.fullmatch(r"\d{6}").all()
    assert set(obce_hranice["kod"]) == set(struktura["obec_kod"])


def test_topojson_jihlava_lies_where_jihlava_is(obce_hranice):
    jihlava = geometries(obce_hranice[obce_hranice["kod"] == "586846"])["586846"]
    points = [p for polygon in polygons(jihlava) for ring in polygon for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    assert 15.45 < min(lons) < max(lons) < 15.75
    assert 49.25 < min(lats) < max(lats) < 49.55


def test_topojson_rings_are_closed_and_in_czechia(obce_hranice):
    for kod, geometry in geometries(obce_hranice).items():
        assert geometry["type"] in ("Polygon", "MultiPolygon"), kod
        for polygon in polygons(geometry):
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], kod
                assert all(12.0 < lon < 19.0 and 48.5 < lat < 51.1 for lon, lat in ring), kod


def test_topojson_multipolygons_are_kept(obce_hranice):
    kinds = obce_hranice["geometrie"].str.extract(r'"type":"(\w+)"')[0].value_counts()
    assert kinds.to_dict() == {"Polygon": 6170, "MultiPolygon": 88}


def test_topojson_decoding_quantised_reversed_arcs_and_holes():
    # two squares sharing arc 1; obec B uses it reversed (~1 = -2); obec C is a square with a square hole
    arcs = [
        [[0, 0], [0, 10], [10, 0]],      # (0,0) -> (0,10) -> (10,10)
        [[10, 10], [0, -10]],            # (10,10) -> (10,0)
        [[10, 0], [-10, 0]],             # (10,0) -> (0,0)
        [[10, 10], [10, 0], [0, -10]],   # (10,10) -> (20,10) -> (20,0)
        [[20, 0], [-10, 0]],             # (20,0) -> (10,0)
        [[0, 20], [30, 0], [0, 20], [-30, 0], [0, -20]],  # outer ring of C
        [[10, 25], [0, 10], [10, 0], [0, -10], [-10, 0]],  # hole of C
    ]
    content = topology([
        {"type": "Polygon", "arcs": [[0, 1, 2]], "id": 500001},
        {"type": "Polygon", "arcs": [[3, 4, -2]], "id": "500002"},
        {"type": "MultiPolygon", "arcs": [[[5], [6]]], "id": 500003},
    ], arcs, {"scale": [0.01, 0.02], "translate": [15.0, 49.0]})
    assert geo_hranice_obci.sniff(content)
    found = geometries(geo_hranice_obci.parse(content, "t.json", date(2024, 1, 1)).tables["hranice"])
    assert found["500001"] == {"type": "Polygon", "coordinates": [
        [[15.0, 49.0], [15.0, 49.2], [15.1, 49.2], [15.1, 49.0], [15.0, 49.0]]]}
    assert found["500002"] == {"type": "Polygon", "coordinates": [
        [[15.1, 49.2], [15.2, 49.2], [15.2, 49.0], [15.1, 49.0], [15.1, 49.2]]]}
    assert found["500003"]["type"] == "Polygon"  # one part: written as a Polygon
    outer, hole = found["500003"]["coordinates"]
    assert outer[2] == [15.3, 49.8] and hole[:2] == [[15.1, 49.5], [15.1, 49.7]] and hole[0] == hole[-1]


def test_topojson_needs_a_date():
    content = topology([{"type": "Polygon", "arcs": [[0]], "id": 500001}],
                       [[[15.0, 49.0], [15.1, 49.0], [15.1, 49.1], [15.0, 49.0]]])
    with pytest.raises(FormatError, match="--date"):
        geo_hranice_obci.parse(content, "municipalitiesTopo.json")


def test_topojson_truncated_is_a_czech_format_error():
    content = real_bytes(TOPOJSON)[:50_000]
    with pytest.raises(FormatError, match="není platný JSON.*neúplný nebo poškozený"):
        geo_hranice_obci.parse(content, "municipalitiesTopo.json", date(2022, 1, 1))


@pytest.mark.parametrize("arcs, geometry, message", [
    ([[[15.0, 49.0], [15.1, 49.0]]], {"type": "Polygon", "arcs": [[5]], "id": 500001}, "neexistující oblouk"),
    ([[[15.0, 49.0], [15.1, 49.0], [15.1, 49.1]]], {"type": "Polygon", "arcs": [[0]], "id": 500001}, "není uzavřený"),
    ([[[15.0, 49.0]]], {"type": "Point", "arcs": [[0]], "id": 500001}, "typu 'Point'"),
    ([[[-700000.0, -1100000.0], [-690000.0, -1100000.0], [-690000.0, -1090000.0], [-700000.0, -1100000.0]]],
     {"type": "Polygon", "arcs": [[0]], "id": 500001}, "WGS84"),
])
def test_topojson_bad_geometry(arcs, geometry, message):
    with pytest.raises(FormatError, match=message):
        geo_hranice_obci.parse(topology([geometry], arcs), "t.json", date(2024, 1, 1))


def test_topojson_duplicate_obec():
    arcs = [[[15.0, 49.0], [15.1, 49.0], [15.1, 49.1], [15.0, 49.0]]]
    geometry = {"type": "Polygon", "arcs": [[0]], "id": 500001}
    with pytest.raises(FormatError, match="500001 je v objektu 'obce' dvakrát"):
        geo_hranice_obci.parse(topology([geometry, geometry], arcs), "t.json", date(2024, 1, 1))


# --- ORP, okresy, kraje (GeoJSON) ---

@pytest.mark.parametrize("name", UZEMI_FILES)
def test_geojson_levels_counts_and_csu_codes(name, struktura):
    uroven, units, column = UZEMI_FILES[name]
    content = real_bytes(OLBRASOFT / name)
    assert geo_hranice_uzemi.sniff(content) and not geo_hranice_obci.sniff(content)
    parsed = geo_hranice_uzemi.parse(content, name)
    assert parsed.reference_date == date(2025, 10, 1)  # from the collection name '…_20251001'
    hranice = parsed.tables["hranice"]
    assert len(hranice) == units and hranice["kod"].is_unique
    assert set(hranice["uroven"]) == {uroven} and set(hranice["zdroj"]) == {"geo_hranice_uzemi"}
    assert set(hranice["kod"]) == set(struktura[column])
    for kod, geometry in geometries(hranice).items():
        for polygon in polygons(geometry):
            assert all(len(ring) >= 4 and ring[0] == ring[-1] for ring in polygon), kod


def test_geojson_multi_part_units_are_dissolved():
    orp = geometries(geo_hranice_uzemi.parse(real_bytes(OLBRASOFT / "orp_simple.geojson"), "orp").tables["hranice"])
    parts = {kod: len(polygons(g)) for kod, g in orp.items() if g["type"] == "MultiPolygon"}
    assert parts == {"4207": 2, "4211": 2, "6206": 2, "6216": 4}  # Louny, Roudnice n. L., Hodonín, Šlapanice
    okresy = geometries(geo_hranice_uzemi.parse(real_bytes(OLBRASOFT / "okresy_simple.geojson"), "okresy").tables["hranice"])
    assert okresy["40479"]["type"] == "MultiPolygon" and len(okresy["40479"]["coordinates"]) == 2  # Litoměřice


def test_geojson_jihlava_orp_code_is_csu():
    orp = geometries(geo_hranice_uzemi.parse(real_bytes(OLBRASOFT / "orp_simple.geojson"), "orp").tables["hranice"])
    assert "6105" in orp and "1503" not in orp  # ČSÚ code list 65, not RÚIAN
    lons = [p[0] for polygon in polygons(orp["6105"]) for ring in polygon for p in ring]
    assert 15.2 < min(lons) < 15.6 < max(lons) < 15.9


def test_geojson_dissolves_synthetic_parts_and_given_date_wins():
    content = feature_collection([orp_feature("6105", square(15.5, 49.4)), orp_feature("6105", square(15.8, 49.4)),
                                  orp_feature("6110", square(15.2, 49.4))])
    parsed = geo_hranice_uzemi.parse(content, "orp.geojson", date(2025, 1, 1))
    assert parsed.reference_date == date(2025, 1, 1)
    found = geometries(parsed.tables["hranice"])
    assert found["6105"] == {"type": "MultiPolygon", "coordinates": [square(15.5, 49.4), square(15.8, 49.4)]}
    assert found["6110"]["type"] == "Polygon"


def test_geojson_without_date_needs_one():
    with pytest.raises(FormatError, match="--date"):
        geo_hranice_uzemi.parse(feature_collection([orp_feature("6105", square(15.5, 49.4))], name="orp"), "orp.geojson")


@pytest.mark.parametrize("content, message", [
    (feature_collection([orp_feature("6105", square(15.5, 49.4))], crs="urn:ogc:def:crs:EPSG::5514"), "EPSG::5514"),
    (feature_collection([orp_feature("6105", square(-700000, -1100000, 1000))]), "WGS84"),
    (feature_collection([orp_feature("ORP Jihlava", square(15.5, 49.4))]), "není kód ORP podle ČSÚ"),
    (feature_collection([{"type": "Feature", "properties": {"nazev": "Jihlava"},
                          "geometry": {"type": "Polygon", "coordinates": square(15.5, 49.4)}}]), "kod_orp_p"),
    (feature_collection([orp_feature("6105", [[[15.5, 49.4], [15.6, 49.4], [15.6, 49.5]]])]), "není uzavřený"),
    (feature_collection([orp_feature("6105", [["x"]])]), "neplatné souřadnice"),
])
def test_geojson_bad_input(content, message):
    with pytest.raises(FormatError, match=message):
        geo_hranice_uzemi.parse(content, "orp.geojson")


def test_geojson_truncated_is_a_czech_format_error():
    with pytest.raises(FormatError, match="není platný JSON"):
        geo_hranice_uzemi.parse(real_bytes(OLBRASOFT / "kraje_simple.geojson")[:20_000], "kraje.geojson")


# --- recognising the files ---

def test_sniff_rejects_other_files():
    others = [real_bytes(STRUKTURA)[:5000], XLSX_HEADER, b"", b"{}", b'{"type":"Topology","arcs":[],"objects":{}}',
              feature_collection([orp_feature("6105", square(15.5, 49.4))])[:100]]
    for content in others:
        assert not geo_hranice_obci.sniff(content)
    for content in others[:5]:
        assert not geo_hranice_uzemi.sniff(content)
    assert not geo_hranice_uzemi.sniff(real_bytes(TOPOJSON))
    assert geo_hranice_obci.sniff(real_bytes(TOPOJSON))
