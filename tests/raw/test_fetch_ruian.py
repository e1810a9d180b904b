"""`sprss fetch cuzk_ruian_hranice`: the RÚIAN MapServer's paged ArcGIS answers from a local server on the
MapServer's paths, stored as one archive per level and built into `hranice` under ČSÚ codes."""
from datetime import date
import json
from pathlib import Path
import zipfile

import pytest
from werkzeug import Response

from builders import (
    FIXTURES,
    copy_data_dir,
    query,
    raw_listing,
    run_sprss,
    synthetic_territory_data_dir,
    territory_data_dir,
    write_obec_boundaries,
    write_orp_boundary,
)
from pipeline.core.config import DataDir
from pipeline.core.territory import resolve
from pipeline.indicators import uzemi
from pipeline.raw import fetch as downloads
from pipeline.raw import snapshots as raw
from pipeline.raw.http import resolve as mirrored
from pipeline.sources import cuzk_ruian_hranice as ruian
from pipeline.warehouse import build
from pipeline.warehouse.obce import load_obce
from ruian_support import (
    FIXTURE_OBCE,
    KRAJ_VYSOCINA,
    OKRES_JIHLAVA,
    ORP_JIHLAVA,
    MapServer,
    collection,
    feature,
    pages,
    real_jihlava_features,
    square,
    squares,
)

ON = "2026-12-01"
# the obce of the committed fixture: Jihlava, Jihlávka, Luka nad Jihlavou (real codes, made-up squares)
FIXTURE_FEATURES = json.loads((FIXTURES / FIXTURE_OBCE).read_text())["features"]


def mirror(httpserver) -> str:
    return httpserver.url_for("/").rstrip("/")


@pytest.fixture
def data(tmp_path_factory, tmp_path) -> DataDir:
    """Only the synthetic territory (15 real obce with their RÚIAN codes)."""
    return copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path / "data")


def fetch(httpserver, data: DataDir, *specs: str, extra: tuple[str, ...] = ("--date", ON)):
    return run_sprss("fetch", *specs, "--mirror", mirror(httpserver), *extra, data=data)


def czech_error(result) -> str:
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Chyba")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def test_three_pages_with_a_server_error_on_the_way_become_one_snapshot(httpserver, data):
    server = MapServer({"obce": pages(FIXTURE_FEATURES, 1)},
                       failures={("obce", 1): [Response("Service Unavailable", status=503)]})
    server.register(httpserver)
    result = fetch(httpserver, data, "cuzk_ruian_hranice:obce")
    assert result.returncode == 0, result.stderr
    assert "cuzk_ruian_hranice:obce: staženo" in result.stderr and "(3 stránky)" in result.stderr
    assert [q["resultOffset"] for q in server.asked] == ["0", "1", "1", "2"]  # the 503 was asked again
    stored = f"cuzk_ruian_hranice/{ON}/obce.zip"
    assert [p for p in raw_listing(data) if p.startswith("cuzk")] == [stored, f"{stored}.provenance.json"]
    members = zipfile.ZipFile(data.raw / stored).namelist()
    assert members == ["obce-0001.geojson", "obce-0002.geojson", "obce-0003.geojson"]
    provenance = json.loads((data.raw / f"{stored}.provenance.json").read_text())
    assert provenance["url"] == ruian.META.urls[0].url
    assert provenance["stranky"] == [ruian.query_url(12, offset) for offset in (0, 1, 2)]
    assert query(data, "SELECT uroven, kod, zdroj, stav_k FROM hranice ORDER BY kod") == [
        ("obec", kod, "cuzk_ruian_hranice", date(2026, 12, 1)) for kod in ("586846", "587290", "587478")]
    assert query(data, "SELECT stranky FROM provenience WHERE zdroj = 'cuzk_ruian_hranice'") == [
        (json.dumps(provenance["stranky"]),)]


def test_every_level_at_once_under_csu_codes(httpserver, data):
    MapServer({"obce": pages(FIXTURE_FEATURES, 2),
               "orp": pages([feature(1, ORP_JIHLAVA["ruian"], square(0)), feature(2, 1317, square(1))], 2),
               "okresy": pages([feature(1, OKRES_JIHLAVA["ruian"], square(0))], 2),
               "kraje": pages([feature(1, KRAJ_VYSOCINA["ruian"], square(0))], 2)}).register(httpserver)
    result = fetch(httpserver, data, "cuzk_ruian_hranice")
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT uroven, kod FROM hranice WHERE uroven <> 'obec' ORDER BY 1, 2") == [
        ("kraj", KRAJ_VYSOCINA["csu"]), ("okres", OKRES_JIHLAVA["csu"]), ("orp", "6105"), ("orp", "6203")]  # 1317: Brno
    assert query(data, "SELECT count(*) FROM hranice_ruian") == [(7,)]


@pytest.mark.parametrize(("answer", "message"), [
    (json.dumps({"error": {"code": 498, "message": "Invalid token.", "details": []}}),
     "(stránka 2): server ArcGIS vrátil chybu místo dat: Invalid token., kód 498"),
    (json.dumps(collection(FIXTURE_FEATURES[1:]))[:150],  # the server closed a page it said was complete
     "(stránka 2): soubor není platný JSON (chyba u znaku"),
])
def test_a_bad_page_is_one_czech_line_and_nothing_is_stored(httpserver, data, answer, message):
    MapServer({"obce": pages(FIXTURE_FEATURES, 1)},
              failures={("obce", 1): [Response(answer, content_type="application/json")]}).register(httpserver)
    before = raw_listing(data)
    line = czech_error(fetch(httpserver, data, "cuzk_ruian_hranice:obce"))
    assert f"Chyba: Stažení {mirror(httpserver)}/arcgis/rest/services/RUIAN/MapServer/12/query?" in line
    assert message in line
    assert raw_listing(data) == before


def test_a_server_that_ignores_the_offset_is_not_asked_forever(httpserver, data):
    full = json.dumps(collection(squares(["586846"]), "top"))
    httpserver.expect_request("/arcgis/rest/services/RUIAN/MapServer/12/query").respond_with_data(full)
    line = czech_error(fetch(httpserver, data, "cuzk_ruian_hranice:obce"))
    assert "stránka 2 je stejná jako předchozí; server nestránkuje (resultOffset)" in line


def test_a_server_error_that_persists_names_the_status(httpserver, data):
    httpserver.expect_request("/arcgis/rest/services/RUIAN/MapServer/17/query").respond_with_data("", status=500)
    line = czech_error(fetch(httpserver, data, "cuzk_ruian_hranice:kraje"))
    assert "selhalo po 3 pokusech: HTTP 500" in line
    assert not [p for p in raw_listing(data) if p.startswith("cuzk")]


def test_a_unit_the_territory_does_not_know_stops_the_build(httpserver, data):
    MapServer({"obce": pages([*FIXTURE_FEATURES, feature(4, 599999, square(5))], 10)}).register(httpserver)
    before = raw_listing(data)
    line = czech_error(fetch(httpserver, data, "cuzk_ruian_hranice:obce"))
    assert "tabulka hranice_ruian, sloupce uroven, kod_ruian: 1 řádek s jednotkou RÚIAN, kterou územní struktura " \
           "(tabulka obce) nezná (např. obec, 599999)" in line
    assert raw_listing(data) == before


def test_fetch_from_a_local_mirror_folder(tmp_path, data):
    folder = tmp_path / "mirror"
    for number, page in enumerate(pages(FIXTURE_FEATURES, 2)):
        path = Path(mirrored(ruian.query_url(12, 2 * number), str(folder)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page)
    result = run_sprss("fetch", "cuzk_ruian_hranice:obce", "--mirror", str(folder), "--date", ON, data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT count(*) FROM hranice WHERE zdroj = 'cuzk_ruian_hranice'") == [(3,)]


def test_without_date_the_snapshot_is_the_fetch_day(httpserver, data):
    MapServer({"obce": pages(FIXTURE_FEATURES, 5)}).register(httpserver)
    result = fetch(httpserver, data, "cuzk_ruian_hranice:obce", extra=())
    assert result.returncode == 0, result.stderr
    assert f"cuzk_ruian_hranice/{date.today().isoformat()}/obce.zip" in raw_listing(data)


def test_a_level_unchanged_since_the_last_fetch_is_not_stored_again(httpserver, data):
    """The same pages give the same archive: fetched again a month later it would count the boundaries twice."""
    MapServer({"kraje": pages([feature(1, KRAJ_VYSOCINA["ruian"], square(0))], 5)}).register(httpserver)
    assert fetch(httpserver, data, "cuzk_ruian_hranice:kraje").returncode == 0
    again = fetch(httpserver, data, "cuzk_ruian_hranice:kraje", extra=("--date", "2027-01-04"))
    assert again.returncode == 0, again.stderr
    assert "cuzk_ruian_hranice:kraje: beze změny od posledního stažení" in again.stderr
    assert [p for p in raw_listing(data) if p.startswith("cuzk") and p.endswith(".zip")] == [
        f"cuzk_ruian_hranice/{ON}/kraje.zip"]


def test_unknown_level_lists_the_editions(data):
    line = czech_error(run_sprss("fetch", "cuzk_ruian_hranice:obec", data=data))
    assert "nemá vydání 'obec'; známá vydání: obce, orp, okresy, kraje" in line


def test_import_of_a_browser_download(data, tmp_path):
    path = tmp_path / "ruian_obce.geojson"
    path.write_bytes((FIXTURES / FIXTURE_OBCE).read_bytes())
    result = run_sprss("import", str(path), "--date", "2026-11-30", data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT count(*), min(stav_k) FROM hranice WHERE zdroj = 'cuzk_ruian_hranice'") == [
        (3, date(2026, 11, 30))]


# --- one edition per level when RÚIAN and a boundary file both have it ------------------------------------------


@pytest.mark.parametrize(("topojson_on", "ruian_on", "winner"), [
    ("2025-01-01", "2024-06-30", "geo_hranice_obci"),     # the file is newer
    ("2025-01-01", "2026-12-01", "cuzk_ruian_hranice"),   # RÚIAN is newer
    ("2025-01-01", "2025-01-01", "cuzk_ruian_hranice"),   # the same day: the official register
])
def test_the_newest_edition_of_a_level_wins_whatever_the_order(data, tmp_path, topojson_on, ruian_on, winner):
    codes = ["586846", "587290", "587478"]
    topojson = write_obec_boundaries(tmp_path / "hranice_obci.json", codes)
    name, content = ruian.archive("obce", pages(FIXTURE_FEATURES, 2))
    zipped = tmp_path / name
    zipped.write_bytes(content)
    staged = [raw.stage(topojson, reference_date=date.fromisoformat(topojson_on)),
              raw.stage(zipped, reference_date=date.fromisoformat(ruian_on))]
    for order in (staged, staged[::-1]):
        build.build(data, order)
        assert query(data, "SELECT DISTINCT zdroj, stav_k FROM hranice") == [
            (winner, date.fromisoformat(topojson_on if winner == "geo_hranice_obci" else ruian_on))]
        assert query(data, "SELECT count(*) FROM hranice") == [(3,)]


def test_a_level_only_in_the_files_stays(data, tmp_path):
    """RÚIAN obce newer than the TopoJSON replace only the obce; an ORP boundary file keeps its level."""
    topojson = write_obec_boundaries(tmp_path / "hranice_obci.json", ["586846", "587290", "587478"])
    orp = write_orp_boundary(tmp_path / "SO_ORP.geojson", "6105", 3)
    for path, on in ((topojson, "2025-01-01"), (orp, "2025-01-01")):
        assert run_sprss("import", str(path), "--date", on, data=data).returncode == 0
    path = tmp_path / "obce.geojson"
    path.write_bytes((FIXTURES / FIXTURE_OBCE).read_bytes())
    assert run_sprss("import", str(path), "--date", ON, data=data).returncode == 0
    assert query(data, "SELECT uroven, zdroj, count(*) FROM hranice GROUP BY ALL ORDER BY 1") == [
        ("obec", "cuzk_ruian_hranice", 3), ("orp", "geo_hranice_uzemi", 1)]


# --- end to end: real shapes, real territory ----------------------------------------------------------------------


def test_orp_jihlava_is_mapped_from_ruian_shapes(httpserver, tmp_path_factory, tmp_path):
    """Fetched from the local server (78 obce in 4 transfer-limited pages, the ORP outline under RÚIAN code 1503),
    built with the real Struktura území ČR: the map data of ORP Jihlava are the RÚIAN shapes under ČSÚ codes."""
    features = real_jihlava_features()
    data = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path / "data")
    MapServer({"obce": pages(features["obce"], 20), "orp": pages(features["orp"], 20)}).register(httpserver)
    result = fetch(httpserver, data, "cuzk_ruian_hranice:obce", "cuzk_ruian_hranice:orp")
    assert result.returncode == 0, result.stderr
    assert "(4 stránky)" in result.stderr
    with build.connect(data) as con:
        chosen = resolve("orp:Jihlava", load_obce(con))
        shapes, outline = uzemi.territory_boundaries(con, chosen)
    assert len(chosen.area.obce) == 78 and sorted(shapes) == sorted(chosen.area.obce)
    assert list(outline) == [ORP_JIHLAVA["csu"]]
    sent = {str(f["properties"]["kod"]): f["geometry"] for f in features["obce"]}
    jihlava = sent["586846"]["coordinates"] if sent["586846"]["type"] == "MultiPolygon" else [sent["586846"]["coordinates"]]
    assert [[ring.tolist() for ring in polygon] for polygon in shapes["586846"]] == jihlava
    orp = features["orp"][0]["geometry"]
    assert [[r.tolist() for r in polygon] for polygon in outline[ORP_JIHLAVA["csu"]]] == (
        orp["coordinates"] if orp["type"] == "MultiPolygon" else [orp["coordinates"]])
    (xmin, ymin), (xmax, ymax) = outline[ORP_JIHLAVA["csu"]][0][0].min(axis=0), outline[ORP_JIHLAVA["csu"]][0][0].max(axis=0)
    x, y = shapes["586846"][0][0].mean(axis=0)
    assert xmin < x < xmax and ymin < y < ymax  # the city of Jihlava lies within its ORP's outline


def test_catalogue_lists_the_four_levels():
    assert list(downloads.catalogue()["cuzk_ruian_hranice"]) == ["obce", "orp", "okresy", "kraje"]

