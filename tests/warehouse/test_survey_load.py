"""Surveys in the warehouse are loaded from their snapshot folders: pruzkum.json has the provenance of file
snapshots, and a folder imported before that (older pruzkum.json) still builds to the same answers."""
import hashlib
import json

from builders import query
from pipeline.warehouse import build as warehouse
from survey_support import GOOGLE_CODEBOOK, GOOGLE_CSV, fresh_data_dir, import_google

PROVENANCE_KEYS = ["soubor", "puvodni_nazev", "zdroj", "referencni_datum", "sha256", "velikost", "importovano", "url"]
OLDER_KEYS = ["nazev", "uzemi", "puvodni_nazev", "sha256", "velikost", "kodovnik", "importovano"]


def test_survey_metadata_is_snapshot_provenance_and_older_files_still_build(tmp_path_factory, tmp_path):
    data = fresh_data_dir(tmp_path_factory, tmp_path)
    assert import_google(data).returncode == 0
    meta_path = data.raw / "pruzkum" / "obcane" / "pruzkum.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert list(meta)[:len(PROVENANCE_KEYS)] == PROVENANCE_KEYS
    assert {k: meta[k] for k in ("soubor", "puvodni_nazev", "zdroj", "sha256", "velikost", "url")} == {
        "soubor": f"pruzkum/obcane/{GOOGLE_CSV.name}", "puvodni_nazev": GOOGLE_CSV.name, "zdroj": "pruzkum",
        "sha256": hashlib.sha256(GOOGLE_CSV.read_bytes()).hexdigest(), "velikost": GOOGLE_CSV.stat().st_size,
        "url": None}
    assert meta["referencni_datum"] == meta["importovano"][:10]
    assert (meta["nazev"], meta["uzemi"], meta["kodovnik"]) == ("obcane", "orp:Jihlava", GOOGLE_CODEBOOK.name)

    answers = query(data, "SELECT * FROM pruzkum_odpovedi ORDER BY ALL")
    survey = query(data, "SELECT * FROM pruzkum")
    meta_path.write_text(json.dumps({k: meta[k] for k in OLDER_KEYS}, ensure_ascii=False), encoding="utf-8")
    warehouse.build(data)
    assert query(data, "SELECT * FROM pruzkum_odpovedi ORDER BY ALL") == answers
    assert query(data, "SELECT * FROM pruzkum") == survey
