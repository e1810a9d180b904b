"""`sprss fetch csu_datastat:…`: DataStat selections and datasets by code, from a local server on the API's paths."""
import json
from urllib.parse import urlsplit

import pytest

from builders import SHARED_REAL, query, raw_listing, real, run_sprss
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.raw import fetch as downloads

POPULATION = SHARED_REAL / "csu" / "waiff-sreality" / "csu_population.json"
API = "/api/dotaz/v1"


def selection(code: str, values: list) -> bytes:
    """A JSON-stat 2.0 response of the API: ČR and two kraje × one year."""
    return json.dumps({
        "version": "2.0", "class": "dataset", "label": "Uchazeči o zaměstnání (stav k 31. 12.)",
        "href": f"https://data.csu.gov.cz/api/dotaz/v1/data/vybery/{code}", "updated": "2025-05-24T08:06:31Z",
        "id": ["CasR", "UZ", "IndicatorType"], "size": [1, 3, 1],
        "role": {"geo": ["UZ"], "metric": ["IndicatorType"], "time": ["CasR"]},
        "dimension": {
            "CasR": {"label": "Roky", "category": {"index": {"2023": 0}, "label": {"2023": "2023"}}},
            "UZ": {"label": "ČR, kraje", "category": {"index": {"CZ": 0, "CZ010": 1, "CZ063": 2},
                                                      "label": {"CZ": "Česko", "CZ010": "Hlavní město Praha",
                                                                "CZ063": "Kraj Vysočina"}}},
            "IndicatorType": {"label": "Ukazatel", "category": {"index": {"5973": 0},
                                                                "label": {"5973": "Uchazeči o zaměstnání - celkem"}}},
        },
        "value": values,
    }, ensure_ascii=False).encode("utf-8")


def mirror(httpserver) -> str:
    return httpserver.url_for("/").rstrip("/")


def test_editions_by_code_fill_the_documented_address_patterns():
    known = downloads.catalogue()
    assert downloads._editions("csu_datastat:NEZ01T1", known) == [
        ("csu_datastat", "NEZ01T1", "https://data.csu.gov.cz/api/dotaz/v1/data/vybery/NEZ01T1?format=JSON_STAT&rozsah=CELY_VYBER")]
    assert downloads._editions("csu_datastat:sada:OBY02A", known)[0][2] == \
        "https://data.csu.gov.cz/api/dotaz/v1/data/sady/OBY02A?format=JSON_STAT&rozsah=CELY_VYBER"
    assert [e for _, e, _ in downloads._editions("csu_datastat", known)] == ["OBY02AT02"]  # patterns need a code
    with pytest.raises(SprssError, match="Zdroj csu_datastat nemá vydání 'NEZ 01'"):
        downloads._editions("csu_datastat:NEZ 01", known)


def test_fetch_a_selection_by_code_stores_and_loads_it(httpserver, tmp_path):
    httpserver.expect_request(f"{API}/data/vybery/NEZ01T1",
                              query_string="format=JSON_STAT&rozsah=CELY_VYBER").respond_with_data(
        selection("NEZ01T1", [279227, 27425, 10773]), content_type="application/json")
    data = DataDir(tmp_path)
    result = run_sprss("fetch", "csu_datastat:NEZ01T1", "--mirror", mirror(httpserver), data=data)
    assert result.returncode == 0, result.stderr
    stored = "csu_datastat/2023-12-31/NEZ01T1@format=JSON_STAT&rozsah=CELY_VYBER"
    assert [p for p in raw_listing(data) if p != ".fetch-cache.json"] == [stored, f"{stored}.provenance.json"]
    assert query(data, "SELECT p.kod, h.hodnota FROM datastat_hodnoty h JOIN datastat_polozky p USING (vyber, radek) "
                       "WHERE vyber = 'NEZ01T1' ORDER BY radek") == [("CZ", 279227.0), ("CZ010", 27425.0), ("CZ063", 10773.0)]


def test_fetch_a_whole_dataset_by_code(httpserver, tmp_path):
    httpserver.expect_request(f"{API}/data/sady/NEZ01").respond_with_data(selection("NEZ01", [1, 2, 3]))
    result = run_sprss("fetch", "csu_datastat:sada:NEZ01", "--mirror", mirror(httpserver), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query(DataDir(tmp_path), "SELECT DISTINCT vyber FROM datastat_hodnoty") == [("NEZ01",)]


@pytest.mark.parametrize(("status", "body", "message"), [
    (404, {"chyba": {"kod": 404, "popis": "Nenalezeno"}}, "HTTP 404 NOT FOUND (404; Nenalezeno)"),
    (400, {"chyba": "Chybný požadavek: neznámý formát"}, "HTTP 400 BAD REQUEST (Chybný požadavek: neznámý formát)"),
    (200, {"chyba": "Chybný požadavek"}, "DataStat vrátil chybu místo dat: Chybný požadavek"),
])
def test_an_api_error_is_one_czech_line_and_nothing_is_stored(httpserver, tmp_path, status, body, message):
    httpserver.expect_request(f"{API}/data/vybery/XYZ01").respond_with_json(body, status=status)
    result = run_sprss("fetch", "csu_datastat:XYZ01", "--mirror", mirror(httpserver), data=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Chyba")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert raw_listing(DataDir(tmp_path)) == {} and not DataDir(tmp_path).warehouse.exists()


def test_a_response_with_a_wrong_number_of_values_is_refused(httpserver, tmp_path):
    httpserver.expect_request(f"{API}/data/vybery/NEZ01T1").respond_with_data(selection("NEZ01T1", [1, 2]))
    result = run_sprss("fetch", "csu_datastat:NEZ01T1", "--mirror", mirror(httpserver), data=tmp_path)
    assert result.returncode == 1
    assert "počet hodnot 2 neodpovídá součinu velikostí dimenzí (3)" in result.stderr
    assert raw_listing(DataDir(tmp_path)) == {}


def test_fetch_of_the_population_selection_feeds_the_revised_series(httpserver, tmp_path):
    body = real(POPULATION).read_bytes()
    path = urlsplit(downloads.catalogue()["csu_datastat"]["OBY02AT02"].url).path
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json")
    result = run_sprss("fetch", "csu_datastat", "--mirror", mirror(httpserver), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query(DataDir(tmp_path), "SELECT DISTINCT vyber FROM datastat_hodnoty") == [("OBY02AT02",)]
    assert query(DataDir(tmp_path), "SELECT sum(pocet) FROM populace_rady WHERE rada = 'revidovana' "
                                    "AND obdobi = '2026-01-01'") == [(10_915_839,)]
