"""pipeline.raw.http against a local HTTP server serving real ČSÚ files at official-looking paths."""
import gzip
import hashlib
import json
from pathlib import Path
import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from builders import SHARED_REAL, real
from pipeline.core.errors import SprssError
from pipeline.raw.http import download, file_name, resolve

POPULATION = "csu/svarnyjunak-obyvateleceska/population_2023.xlsx"
STRUCTURE = "geo/Olbrasoft-cr/struktura_uzemi_cr_2025.csv"
# official-looking paths in the form of ČSÚ links, csu.gov.cz/docs/<folder>/<uuid>/<file>
POPULATION_PATH = "/docs/107508/ed031eb8-6b7c-d78a-51cc-92510b906e94/1300722303.xlsx"
STRUCTURE_PATH = "/docs/107516/f1a13e13-9af2-462b-4b9e-2f0aee9997c6/struktura_uzemi_cr.csv"
FAST = {"backoff": 0.01, "timeout": (2, 2)}


def real_bytes(relative: str) -> bytes:
    return real(SHARED_REAL / relative).read_bytes()


@pytest.fixture
def stalling_server():
    """A server of its own whose handlers can stall (`server.stall()`) without delaying other tests."""
    released = threading.Event()
    server = HTTPServer(threaded=True)
    server.stall = lambda: released.wait(5)
    server.start()
    yield server
    released.set()
    server.stop()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_streams_real_file_atomically(httpserver, tmp_path):
    body = real_bytes(POPULATION)
    httpserver.expect_request(POPULATION_PATH).respond_with_data(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    seen = []

    result = download(httpserver.url_for(POPULATION_PATH) + "?version=1.0", tmp_path / "raw",
                      progress=lambda done, total: seen.append((done, total)), **FAST)

    assert result.path == tmp_path / "raw" / "1300722303.xlsx"
    assert result.path.read_bytes() == body
    assert (result.sha256, result.size, result.not_modified) == (sha256(body), len(body), False)
    assert seen[-1] == (len(body), len(body))
    assert left_in(tmp_path / "raw") == ["1300722303.xlsx"]


def test_conditional_request_reuses_validators(httpserver, tmp_path):
    body = real_bytes(STRUCTURE)
    etag, modified = '"struktura-2025"', "Wed, 01 Jan 2025 00:00:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Last-Modified": modified}, content_type="text/csv")

    httpserver.expect_request(STRUCTURE_PATH).respond_with_handler(handler)
    url, cache = httpserver.url_for(STRUCTURE_PATH) + "?version=1.2", tmp_path / "cache.json"

    first = download(url, tmp_path / "a", cache=cache, **FAST)
    second = download(url, tmp_path / "b", cache=cache, **FAST)

    assert json.loads(cache.read_text())[url] == {
        "etag": etag, "last_modified": modified, "sha256": sha256(body), "size": len(body)}
    assert first.path.read_bytes() == body and first.etag == etag
    assert second.not_modified and second.path is None
    assert (second.sha256, second.size) == (sha256(body), len(body))
    request, _ = httpserver.log[-1]
    assert request.headers["If-None-Match"] == etag
    assert request.headers["If-Modified-Since"] == modified
    assert left_in(tmp_path / "b") == []


def test_server_errors_are_retried(httpserver, tmp_path):
    body = real_bytes(POPULATION)
    httpserver.expect_oneshot_request(POPULATION_PATH).respond_with_data("chyba", status=500)
    httpserver.expect_oneshot_request(POPULATION_PATH).respond_with_data("chyba", status=503)
    httpserver.expect_request(POPULATION_PATH).respond_with_data(body)

    result = download(httpserver.url_for(POPULATION_PATH), tmp_path, retries=3, **FAST)

    assert len(httpserver.log) == 3
    assert result.sha256 == sha256(body)
    assert left_in(tmp_path) == ["1300722303.xlsx"]


def test_persistent_server_error_fails_cleanly(httpserver, tmp_path):
    httpserver.expect_request(POPULATION_PATH).respond_with_data("chyba", status=500)
    url = httpserver.url_for(POPULATION_PATH)

    with pytest.raises(SprssError) as error:
        download(url, tmp_path, retries=3, **FAST)

    assert str(error.value) == f"Stažení {url} selhalo po 3 pokusech: HTTP 500 INTERNAL SERVER ERROR"
    assert len(httpserver.log) == 3
    assert left_in(tmp_path) == []


def test_not_found_is_not_retried(httpserver, tmp_path):
    httpserver.expect_request(POPULATION_PATH).respond_with_data("nic", status=404)

    with pytest.raises(SprssError, match="HTTP 404"):
        download(httpserver.url_for(POPULATION_PATH), tmp_path, retries=3, **FAST)

    assert len(httpserver.log) == 1
    assert left_in(tmp_path) == []


def test_slow_response_times_out(stalling_server, tmp_path):
    body = real_bytes(POPULATION)

    def slow(request: Request) -> Response:
        stalling_server.stall()
        return Response(body)

    stalling_server.expect_request(POPULATION_PATH).respond_with_handler(slow)

    with pytest.raises(SprssError, match=r"selhalo po 2 pokusech: spojení vypršelo \(timeout\)$"):
        download(stalling_server.url_for(POPULATION_PATH), tmp_path, retries=2, backoff=0.01, timeout=(1, 0.3))

    assert len(stalling_server.log) == 0  # neither request was ever answered
    assert left_in(tmp_path) == []


def test_stalled_body_times_out_and_leaves_nothing(stalling_server, tmp_path):
    body = real_bytes(POPULATION)

    def stalls_midway(request: Request) -> Response:
        def chunks():
            yield body[:100_000]
            stalling_server.stall()
            yield body[100_000:]
        return Response(chunks(), headers={"Content-Length": str(len(body))})

    stalling_server.expect_request(POPULATION_PATH).respond_with_handler(stalls_midway)
    received = []

    with pytest.raises(SprssError, match=r"selhalo po 1 pokusu: spojení vypršelo \(timeout\)$"):
        download(stalling_server.url_for(POPULATION_PATH), tmp_path, retries=1, timeout=(1, 0.3),
                 progress=lambda done, total: received.append(done))

    assert 0 < received[-1] < len(body)  # a partial body had been written to the .part file
    assert left_in(tmp_path) == []


def truncated(body: bytes, keep: int) -> Response:
    response = Response(body[:keep])
    response.headers["Content-Length"] = str(len(body))  # announce more than is sent
    return response


def test_truncated_body_fails_cleanly(httpserver, tmp_path):
    body = real_bytes(POPULATION)
    httpserver.expect_request(POPULATION_PATH).respond_with_handler(lambda request: truncated(body, 1000))

    with pytest.raises(SprssError) as error:
        download(httpserver.url_for(POPULATION_PATH), tmp_path, retries=2, **FAST)

    total = f"{len(body):,}".replace(",", " ")
    assert str(error.value).endswith(f"selhalo po 2 pokusech: přenos přerušen, přijato 1 000 z {total} bajtů")
    assert len(httpserver.log) == 2
    assert left_in(tmp_path) == []


def test_truncated_body_is_retried(httpserver, tmp_path):
    body = real_bytes(POPULATION)
    httpserver.expect_oneshot_request(POPULATION_PATH).respond_with_handler(lambda request: truncated(body, 5000))
    httpserver.expect_request(POPULATION_PATH).respond_with_data(body)

    result = download(httpserver.url_for(POPULATION_PATH), tmp_path, retries=3, **FAST)

    assert len(httpserver.log) == 2
    assert result.path.read_bytes() == body
    assert left_in(tmp_path) == ["1300722303.xlsx"]


def test_local_mirror_is_copied_atomically(tmp_path):
    body = real_bytes(STRUCTURE)
    url = "https://csu.gov.cz" + STRUCTURE_PATH + "?version=1.2"
    mirror = tmp_path / "zrcadlo"
    copy = mirror / STRUCTURE_PATH.lstrip("/")
    copy = copy.with_name(copy.name + "@version=1.2")
    copy.parent.mkdir(parents=True)
    copy.write_bytes(body)

    result = download(url, tmp_path / "raw", mirror=str(mirror))

    assert result.source == str(copy)
    assert result.path == tmp_path / "raw" / "struktura_uzemi_cr.csv"
    assert result.path.read_bytes() == body and result.sha256 == sha256(body)
    assert left_in(tmp_path / "raw") == ["struktura_uzemi_cr.csv"]


def test_local_mirror_missing_file(tmp_path):
    (tmp_path / "zrcadlo").mkdir()
    with pytest.raises(SprssError, match="V zrcadle chybí soubor"):
        download("https://csu.gov.cz" + STRUCTURE_PATH, tmp_path / "raw", mirror=str(tmp_path / "zrcadlo"))
    assert left_in(tmp_path / "raw") == []


def test_http_mirror_serves_official_paths(httpserver, tmp_path):
    body = real_bytes(STRUCTURE)
    httpserver.expect_request(STRUCTURE_PATH, query_string="version=1.2").respond_with_data(body)

    result = download("https://csu.gov.cz" + STRUCTURE_PATH + "?version=1.2", tmp_path,
                      mirror=httpserver.url_for("/"), **FAST)

    assert result.source == httpserver.url_for(STRUCTURE_PATH) + "?version=1.2"
    assert result.url.startswith("https://csu.gov.cz/")
    assert result.path.read_bytes() == body


CISEXP = "https://apl.czso.cz/iSMS/cisexp.jsp?kodcis=43&typdat=0&cisjaz=203&format=2&separator=%2C"


def test_resolve():
    assert resolve(CISEXP, None) == CISEXP
    assert resolve(CISEXP, "http://zrcadlo.example/csu/") == (
        "http://zrcadlo.example/csu/iSMS/cisexp.jsp?kodcis=43&typdat=0&cisjaz=203&format=2&separator=%2C")
    assert resolve(CISEXP, "/data/zrcadlo") == (
        "/data/zrcadlo/iSMS/cisexp.jsp@kodcis=43&typdat=0&cisjaz=203&format=2&separator=%2C")
    assert resolve("https://data.csu.gov.cz/api/dotaz/v1/data/vybery/X?q=a/b:c", "/m") == (
        "/m/api/dotaz/v1/data/vybery/X@q=a%2Fb%3Ac")
    with pytest.raises(SprssError):
        resolve("https://csu.gov.cz/docs/../../etc/passwd", "/m")


def test_file_name():
    liferay = ("https://www.czso.cz/documents/62353418/155512389/130185-21data101921.csv/"
               "06c23c55-9c1a-4925-8386-8cd9625787ef?version=1.1")
    assert file_name(liferay) == "130185-21data101921.csv"
    assert file_name("https://csu.gov.cz" + POPULATION_PATH + "?version=1.0") == "1300722303.xlsx"
    assert file_name(CISEXP) == "cisexp.jsp@kodcis=43&typdat=0&cisjaz=203&format=2&separator=%2C"
    assert file_name("https://data.csu.gov.cz/api/dotaz/v1/data/vybery/OBY01?format=CSV") == "OBY01@format=CSV"


def test_compressed_transfer_is_stored_decoded(httpserver, tmp_path):
    body = real_bytes(STRUCTURE)
    packed = gzip.compress(body)
    httpserver.expect_request(STRUCTURE_PATH).respond_with_data(
        packed, headers={"Content-Encoding": "gzip"}, content_type="text/csv")

    result = download(httpserver.url_for(STRUCTURE_PATH), tmp_path, **FAST)

    assert result.path.read_bytes() == body  # Content-Length counts the gzip bytes, not the file
    assert (result.sha256, result.size) == (sha256(body), len(body))
