"""Declared data tests: each kind fails with its one Czech line on a tiny synthetic warehouse, passes on good
data, and a failing test in a real build leaves the previous warehouse and data/raw untouched."""
from pathlib import Path
import shutil

import duckdb
import pytest

from builders import copy_data_dir, query, raw_listing, sha256, small_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.text import plural
from pipeline.warehouse import build as warehouse
from pipeline.warehouse import data_tests, declarations

TINY = """
CREATE TABLE obce (obec_kod TEXT, obec_nazev TEXT);
INSERT INTO obce VALUES ('586846', 'Jihlava'), ('587290', 'Jihlávka');
CREATE TABLE sluzby_zarizeni (stav_k DATE, sluzba_id TEXT, poradi INTEGER, obec_kod TEXT, forma TEXT);
INSERT INTO sluzby_zarizeni VALUES
    ('2025-06-30', 's1', 1, '586846', 'amb'),
    ('2025-06-30', 's1', 2, '999999', 'pob'),
    ('2025-06-30', 's2', 1, '999999', 'ter'),
    ('2025-06-30', 's2', 1, NULL, 'xyz'),
    ('2025-06-30', 's3', 1, '587290', NULL);
"""


@pytest.fixture
def tiny():
    con = duckdb.connect()
    con.execute(TINY)
    return con


def failure(con, declared: list[dict]) -> str:
    with pytest.raises(SprssError) as error:
        data_tests.run(con, data_tests.parse("sluzby_zarizeni", declared, "sluzby/models.yaml"))
    message = str(error.value)
    assert "\n" not in message
    return message


def test_relationships(tiny):
    assert failure(tiny, [{"relationships": {"column": "obec_kod", "to": "obce",
                                             "expected": "očekáván kód obce z územní struktury"}}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupec obec_kod: 2 řádky s hodnotou, která není v tabulce obce "
        "(např. 999999); očekáván kód obce z územní struktury.")


def test_relationships_over_two_columns(tiny):
    tiny.execute("CREATE TABLE sluzby (stav_k DATE, sluzba_id TEXT); INSERT INTO sluzby VALUES ('2025-06-30', 's1'), "
                 "('2025-06-30', 's2'), ('2024-12-31', 's3')")
    assert failure(tiny, [{"relationships": {"columns": ["stav_k", "sluzba_id"], "to": "sluzby"}}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupce stav_k, sluzba_id: 1 řádek s hodnotou, která není v tabulce "
        "sluzby (např. 2025-06-30, s3); očekávána hodnota ze sloupce sluzby.stav_k, sluzba_id.")


def test_unique(tiny):
    assert failure(tiny, [{"unique": ["stav_k", "sluzba_id", "poradi"]}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupce stav_k, sluzba_id, poradi: 2 řádky se stejnou hodnotou "
        "jako jiný řádek (např. 2025-06-30, s2, 1); očekáván nejvýš jeden řádek s každou hodnotou.")


def test_not_null(tiny):
    assert failure(tiny, [{"not_null": ["sluzba_id", "obec_kod"]}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupec obec_kod: 1 řádek bez hodnoty (např. prázdná hodnota); "
        "očekávána vyplněná hodnota.")


def test_accepted_values_allow_null(tiny):
    assert failure(tiny, [{"accepted_values": {"column": "forma", "values": ["amb", "pob", "ter"]}}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupec forma: 1 řádek s nepovolenou hodnotou (např. xyz); "
        "očekávána jedna z hodnot amb, pob, ter.")


def test_expression(tiny):
    assert failure(tiny, [{"expression": {"columns": ["sluzba_id", "poradi"], "condition": "t.poradi < 2",
                                          "problem": "s pořadím zařízení 2 a vyšším",
                                          "expected": "očekáváno jediné zařízení služby"}}]) == (
        "Kontrola dat: tabulka sluzby_zarizeni, sloupce sluzba_id, poradi: 1 řádek s pořadím zařízení 2 a vyšším "
        "(např. s1, 2); očekáváno jediné zařízení služby.")


def test_good_data_passes_every_kind(tiny):
    tiny.execute("DELETE FROM sluzby_zarizeni WHERE obec_kod IS DISTINCT FROM '586846' AND obec_kod IS DISTINCT FROM '587290'")
    data_tests.run(tiny, data_tests.parse("sluzby_zarizeni", [
        {"unique": ["stav_k", "sluzba_id", "poradi"]},
        {"not_null": ["obec_kod"]},
        {"accepted_values": {"column": "forma", "values": ["amb", "pob", "ter"]}},
        {"relationships": {"column": "obec_kod", "to": "obce"}},
        {"expression": {"columns": ["poradi"], "condition": "t.poradi >= 1", "problem": "p", "expected": "e"}},
    ], "sluzby/models.yaml"))


@pytest.mark.parametrize("declaration, words", [
    ({"unikatni": ["obec_kod"]}, "neznámý test"),
    ({"accepted_values": {"column": "forma"}}, "nemá values"),
    ({"expression": {"columns": ["poradi"], "condition": "t.poradi > 0"}}, "nemá problem, expected"),
    ({"relationships": {"columns": ["stav_k", "sluzba_id"], "to": "sluzby", "to_columns": ["sluzba_id"]}},
     "jiný počet sloupců"),
])
def test_a_malformed_declaration_is_refused(declaration, words):
    with pytest.raises(SprssError, match=words):
        data_tests.parse("sluzby_zarizeni", [declaration], "sluzby/models.yaml")


def test_a_failing_test_leaves_the_warehouse_untouched(tmp_path_factory, tmp_path, monkeypatch):
    data = copy_data_dir(small_data_dir(tmp_path_factory), tmp_path / "data")
    declared = tmp_path / "models"
    shutil.copytree(declarations.MODELS_DIR, declared)
    with (declared / "populace" / "models.yaml").open("a", encoding="utf-8") as file:
        file.write("  populace_jen_celkem:\n"
                   "    description: Jen úhrny, aby test selhal na řádcích mužů a žen.\n"
                   "    depends_on: [populace_celkem]\n"
                   "    tests:\n"
                   "      - accepted_values: {column: pohlavi, values: [celkem, zeny]}\n")
    (declared / "populace" / "populace_jen_celkem.sql").write_text("SELECT * FROM populace_celkem")
    load = declarations.load
    monkeypatch.setattr(warehouse.declarations, "load", lambda: load(declared))
    men = query(data, "SELECT count(*) FROM populace_celkem WHERE pohlavi = 'muzi'")[0][0]
    before = sha256(data.warehouse), raw_listing(data)
    swapped = []
    with pytest.raises(SprssError) as error:
        warehouse.build(data, before_swap=lambda: swapped.append(True))
    assert str(error.value) == (
        f"Kontrola dat: tabulka populace_jen_celkem, sloupec pohlavi: {plural(men, 'řádek', 'řádky', 'řádků')} "
        "s nepovolenou hodnotou (např. muzi); očekávána jedna z hodnot celkem, zeny.")
    assert not swapped
    assert (sha256(data.warehouse), raw_listing(data)) == before
    assert not [p.name for p in data.processed.iterdir() if p.name.startswith(".")]


def test_declared_files_are_package_data():
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    for pattern in ("warehouse/models/*/*.sql", "warehouse/models/*/*.yaml"):
        assert f'"{pattern}"' in pyproject
        assert list(declarations.MODELS_DIR.parent.glob(pattern.removeprefix("warehouse/")))


def test_a_table_without_declaration_is_refused(tmp_path_factory, tmp_path, monkeypatch):
    data = copy_data_dir(small_data_dir(tmp_path_factory), tmp_path / "data")
    declared = tmp_path / "models"
    shutil.copytree(declarations.MODELS_DIR, declared)
    with (declared / "sluzby" / "schema.sql").open("a", encoding="utf-8") as file:
        file.write("\nCREATE TABLE sluzby_bez_popisu (sluzba_id TEXT);\n")
    load = declarations.load
    monkeypatch.setattr(warehouse.declarations, "load", lambda: load(declared))
    before = sha256(data.warehouse)
    with pytest.raises(SprssError, match="^Tabulky sluzby_bez_popisu ze schema.sql nejsou deklarovány v žádném models.yaml.$"):
        warehouse.build(data)
    assert sha256(data.warehouse) == before
