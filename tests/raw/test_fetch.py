"""`sprss fetch` end to end: official URL paths served by a local HTTP server holding the real files."""
import json
from pathlib import Path
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from builders import NEEDS_REAL, STRUKTURA
from pipeline.raw import fetch as downloads

pytestmark = pytest.mark.skipif(not STRUKTURA.exists(), reason=f"{NEEDS_REAL}: {STRUKTURA}")


def sprss(*args, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True)


def official_path(source: str, edition: str) -> str:
    return urlsplit(downloads.catalogue()[source][edition].url).path


def test_fetch_from_mirror_server_stores_snapshot_and_reuses_etag(httpserver, tmp_path):
    body = STRUKTURA.read_bytes()
    path = official_path("csu_struktura_uzemi", "aktualni")
    httpserver.expect_request(path).respond_with_data(body, headers={"ETag": '"v1"'}, content_type="text/csv")

    first = sprss("fetch", "csu_struktura_uzemi", "--mirror", httpserver.url_for("/").rstrip("/"), data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    stored = tmp_path / "raw" / "csu_struktura_uzemi" / "2025-01-01" / "struktura_uzemi_cr.csv"
    assert stored.read_bytes() == body
    provenance = json.loads(stored.with_name(stored.name + ".provenance.json").read_text())
    assert provenance["url"] == downloads.catalogue()["csu_struktura_uzemi"]["aktualni"].url
    assert (tmp_path / "processed" / "sprss.duckdb").exists()

    httpserver.clear()
    httpserver.expect_request(path, headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    second = sprss("fetch", "csu_struktura_uzemi", "--mirror", httpserver.url_for("/").rstrip("/"), data_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "beze změny" in second.stderr
    assert not [p for p in (tmp_path / "raw").glob(".fetch-*") if p.is_dir()], "temporary download folders must be removed"


def test_failed_fetch_leaves_nothing(httpserver, tmp_path):
    path = official_path("csu_struktura_uzemi", "aktualni")
    httpserver.expect_request(path).respond_with_data("chyba", status=500)
    result = sprss("fetch", "csu_struktura_uzemi", "--mirror", httpserver.url_for("/").rstrip("/"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "HTTP 500" in result.stderr and "Traceback" not in result.stderr
    assert [p for p in (tmp_path / "raw").rglob("*") if p.is_file()] == []
    assert not (tmp_path / "processed" / "sprss.duckdb").exists()


def test_fetch_of_a_file_that_fails_validation_keeps_no_validators(httpserver, tmp_path):
    """A download that is not the promised file is refused, and its ETag is not remembered."""
    path = official_path("csu_struktura_uzemi", "aktualni")
    httpserver.expect_request(path).respond_with_data("a,b\n1,2\n", headers={"ETag": '"bad"'})
    result = sprss("fetch", "csu_struktura_uzemi", "--mirror", httpserver.url_for("/").rstrip("/"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "chybí sloupce" in result.stderr
    assert not (tmp_path / "raw" / ".fetch-cache.json").exists()


def test_source_without_official_url_says_to_import(tmp_path):
    result = sprss("fetch", "csu_pocet_obyvatel", data_dir=tmp_path)
    assert result.returncode == 1
    assert "sprss import" in result.stderr


def test_fetch_from_local_mirror_folder(tmp_path):
    url_path = official_path("csu_struktura_uzemi", "aktualni").lstrip("/")
    mirror = tmp_path / "mirror"
    (mirror / url_path).parent.mkdir(parents=True)
    (mirror / (url_path + "@version=1.2")).write_bytes(STRUKTURA.read_bytes())
    result = sprss("fetch", "csu_struktura_uzemi:aktualni", "--mirror", str(mirror), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "raw" / "csu_struktura_uzemi" / "2025-01-01" / "struktura_uzemi_cr.csv").exists()
