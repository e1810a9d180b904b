"""RÚIAN boundaries: ArcGIS GeoJSON pages (one browser download or the archive `sprss fetch` stores) into
table `hranice_ruian`, and the paging the fetch follows."""
from datetime import date
import io
import json
from urllib.parse import parse_qs, urlsplit
import zipfile

import pytest

from builders import FIXTURES, ORP_GEOJSON, real
from pipeline.core.errors import FormatError
from pipeline.sources import cuzk_ruian_hranice as ruian
from pipeline.sources import geo_hranice_obci, geo_hranice_uzemi
from ruian_support import FIXTURE_OBCE, collection, feature, pages, real_jihlava_features, square, squares

ON = date(2026, 12, 1)
FIRST = ruian.META.urls[0].url


def dumped(answer: dict) -> bytes:
    return json.dumps(answer).encode()


def offset(url: str | None) -> int | None:
    return None if url is None else int(parse_qs(urlsplit(url).query)["resultOffset"][0])


def test_the_browser_download_of_the_committed_fixture():
    content = (FIXTURES / FIXTURE_OBCE).read_bytes()
    assert ruian.sniff(content) and not geo_hranice_uzemi.sniff(content) and not geo_hranice_obci.sniff(content)
    parsed = ruian.parse(content, FIXTURE_OBCE, ON)
    assert parsed.reference_date == ON
    table = parsed.tables["hranice_ruian"]
    assert list(table["kod_ruian"]) == ["586846", "587290", "587478"] and set(table["uroven"]) == {"obec"}
    assert set(table["stav_k"]) == {ON}
    jihlava = json.loads(table["geometrie"][0])
    assert jihlava["type"] == "MultiPolygon" and len(jihlava["coordinates"]) == 2  # both parts kept
    assert json.loads(table["geometrie"][1])["coordinates"][0][2] == [15.55, 49.4]


def test_an_orp_geojson_of_csu_is_not_taken_for_ruian():
    assert not ruian.sniff(real(ORP_GEOJSON).read_bytes())


def test_the_documented_query_of_each_layer():
    layers = {u.edition: urlsplit(u.url) for u in ruian.META.urls}
    assert {e: u.path.rsplit("/", 2)[1] for e, u in layers.items()} == {"obce": "12", "orp": "14", "okresy": "15", "kraje": "17"}
    assert parse_qs(layers["obce"].query) == {
        "where": ["platido IS NULL"], "outFields": ["kod"], "returnGeometry": ["true"], "outSR": ["4326"],
        "f": ["geojson"], "maxAllowableOffset": ["0.001"], "resultOffset": ["0"], "resultRecordCount": ["2000"]}


@pytest.mark.parametrize(("answer", "after"), [
    (collection(squares(["1"] * 3), "top"), 3),            # transfer limit said beside the features
    (collection(squares(["1"] * 3), "properties"), 3),     # … or in properties
    (collection([feature(i, i, square(0)) for i in range(ruian.PAGE_SIZE)]), ruian.PAGE_SIZE),  # a full page
    (collection(squares(["1"] * 3)), None),                # a short page is the last
    (collection([], "top"), None),                         # an empty page ends the answer whatever it says
])
def test_paging_follows_full_and_transfer_limited_pages(answer, after):
    assert offset(ruian.next_page(FIRST, dumped(answer))) == after
    second = ruian.next_page(FIRST.replace("resultOffset=0", "resultOffset=4000"), dumped(answer))
    assert offset(second) == (None if after is None else 4000 + after)


def test_archive_of_pages_is_deterministic_and_parses_like_one_answer():
    features = squares([str(586846 + i) for i in range(7)])
    answer = pages(features, 3)
    name, content = ruian.archive("obce", answer)
    assert name == "obce.zip" and ruian.archive("obce", answer)[1] == content
    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == ["obce-0001.geojson", "obce-0002.geojson", "obce-0003.geojson"]
    assert ruian.sniff(content)
    from_pages = ruian.parse(content, name, ON).tables["hranice_ruian"]
    whole = ruian.parse(dumped(collection(features)), "obce.geojson", ON).tables["hranice_ruian"]
    assert len(from_pages) == 7 and from_pages.equals(whole)


def test_levels_from_file_names():
    kraj = dumped(collection([feature(1, 108, square(0))]))
    assert set(ruian.parse(kraj, "RUIAN_kraje_2026.geojson", ON).tables["hranice_ruian"]["uroven"]) == {"kraj"}
    assert set(ruian.parse(kraj, "ORP.json", ON).tables["hranice_ruian"]["uroven"]) == {"orp"}


def archive_of(members: dict[str, dict]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, answer in members.items():
            target.writestr(name, dumped(answer))
    return buffer.getvalue()


S_JTSK = {"type": "Polygon", "coordinates": [[[-670000, -1120000], [-669000, -1120000], [-669000, -1119000],
                                               [-670000, -1120000]]]}
OPEN_RING = {"type": "Polygon", "coordinates": [[[15.4, 49.3], [15.5, 49.3], [15.5, 49.4], [15.4, 49.4]]]}
ERROR = {"error": {"code": 400, "message": "Unable to complete operation.", "details": ["Invalid query parameters."]}}


@pytest.mark.parametrize(("content", "name", "message"), [
    (dumped(collection(squares(["586846"]))), "query.geojson",
     "z názvu souboru nelze poznat úroveň; pojmenujte soubor podle úrovně: obce, orp, okresy nebo kraje"),
    (dumped(collection(squares(["586846"]))), "obce_a_orp.geojson", "nelze poznat úroveň"),
    (dumped(collection(squares(["586846", "587290"]), "properties")), "obce.geojson",
     "soubor je jen jedna stránka odpovědi ArcGIS (exceededTransferLimit"),
    (dumped(ERROR), "obce.geojson",
     "server ArcGIS vrátil chybu místo dat: Unable to complete operation. (Invalid query parameters.), kód 400"),
    (dumped(collection(squares(["586846"]))).replace(b'{"kod": 586846}', b'{"KOD": 586846}'), "obce.geojson",
     "prvek č. 1: chybí vlastnost kod"),
    (dumped(collection([{**feature(1, 1, square(0)), "properties": {"kod": 586846.0}}])), "obce.geojson",
     "kod = 586846.0 není číselný kód RÚIAN"),
    (dumped(collection(squares(["586846"]))).replace(b'"kod": 586846', b'"kod": "Jihlava"'), "obce.geojson",
     "kod = 'Jihlava' není číselný kód RÚIAN"),
    (dumped(collection(squares(["586846", "586846"]))), "obce.geojson", "prvek č. 2 (obec 586846) je v odpovědi dvakrát"),
    (dumped(collection([feature(1, 586846, S_JTSK)])), "obce.geojson", "nejsou zeměpisná délka a šířka v Česku"),
    (dumped(collection([feature(1, 586846, OPEN_RING)])), "obce.geojson", "obrys není uzavřený"),
    (dumped(collection([feature(1, 586846, {"type": "Point", "coordinates": [15.5, 49.4]})])), "obce.geojson",
     "geometrie typu 'Point'; očekáván Polygon nebo MultiPolygon"),
    (dumped(collection([])), "obce.geojson", "odpověď neobsahuje žádnou jednotku"),
    (dumped(collection(squares(["586846"])))[:60], "obce.geojson", "není platný JSON"),
    (dumped({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:5514"}},
             "features": squares(["586846"])}), "obce.geojson", "souřadnicový systém EPSG:5514"),
    (archive_of({"obce-0001.geojson": collection(squares(["1"]), "top"), "obce-0003.geojson": collection(squares(["2"]))}),
     "obce.zip", "v archivu chybí stránka 2 úrovně obce (následuje obce-0003.geojson)"),
    (archive_of({"obce-0001.geojson": collection(squares(["1"]), "top")}), "obce.zip",
     "obce-0001.geojson: po poslední stránce úrovně obce měly následovat další"),
    (archive_of({"obce-0001.geojson": collection(squares(["1"])), "obce-0002.geojson": collection(squares(["2"]))}),
     "obce.zip", "obce-0001.geojson: stránka není plná ani neohlašuje další"),
    (archive_of({"obce-0001.geojson": ERROR}), "obce.zip", "obce-0001.geojson: server ArcGIS vrátil chybu"),
    (archive_of({"obce-0001.geojson": collection(squares(["1"])), "poznamky.txt": {}}), "obce.zip",
     "archiv obsahuje soubor poznamky.txt"),
])
def test_bad_answers_are_refused_with_the_reason(content, name, message):
    with pytest.raises(FormatError) as caught:
        ruian.parse(content, name, ON)
    assert message in str(caught.value)


def test_an_imported_file_needs_its_date():
    with pytest.raises(FormatError, match="zadejte ho volbou --date"):
        ruian.parse((FIXTURES / FIXTURE_OBCE).read_bytes(), FIXTURE_OBCE)


def test_an_error_page_stops_the_paging_with_the_servers_message():
    with pytest.raises(FormatError, match="server ArcGIS vrátil chybu místo dat: Unable to complete operation"):
        ruian.next_page(FIRST, dumped(ERROR))


def test_real_shapes_of_jihlava_area_come_back_unchanged():
    """The obce of ORP Jihlava decoded from the TopoJSON, sent as ArcGIS pages, read back to the same geometries."""
    features = real_jihlava_features()["obce"]
    name, content = ruian.archive("obce", pages(features, 25))
    table = ruian.parse(content, name, ON).tables["hranice_ruian"]
    assert len(table) == len(features) == 78
    sent = {str(f["properties"]["kod"]): geo_hranice_obci.geometry_json(
        [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
        for f in features}
    assert dict(zip(table["kod_ruian"], table["geometrie"], strict=True)) == sent
