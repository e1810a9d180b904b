"""Territory selectors against the real Struktura území ČR: codes of both systems, names without diacritics,
ambiguity, and custom territories from YAML (nazev, obce, oblasti)."""
import pytest

from builders import run_sprss
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

ADAMOV = ["531367", "535826", "581291"]


@pytest.fixture(scope="module")
def obce(real_warehouse):
    with warehouse.connect(real_warehouse) as con:
        return load_obce(con)


def resolved(selector, obce):
    chosen = territory.resolve(selector, obce)
    return chosen.area.typ, chosen.area.kod, chosen.area.nazev, len(chosen.area.obce)


@pytest.mark.parametrize("selector, expected", [
    ("obec:586846", ("obec", "586846", "Jihlava", 1)),
    ("obec:Jihlava", ("obec", "586846", "Jihlava", 1)),
    ("obec:JIHLAVA", ("obec", "586846", "Jihlava", 1)),
    ("obec:jihlavka", ("obec", "587290", "Jihlávka", 1)),
    ("obec:554782", ("obec", "554782", "Praha", 1)),
    ("pou:61051", ("pou", "61051", "Jihlava", 50)),
    ("orp:6105", ("orp", "6105", "Jihlava", 78)),
    ("orp:Jihlava", ("orp", "6105", "Jihlava", 78)),
    ("ORP: Jihlava ", ("orp", "6105", "Jihlava", 78)),
    ("orp:jindrichuv hradec", ("orp", "3105", "Jindřichův Hradec", None)),
    ("orp:JINDŘICHŮV   HRADEC", ("orp", "3105", "Jindřichův Hradec", None)),
    ("okres:40665", ("okres", "40665", "Jihlava", 123)),
    ("okres:CZ0632", ("okres", "40665", "Jihlava", 123)),
    ("okres:cz0632", ("okres", "40665", "Jihlava", 123)),
    ("kraj:3107", ("kraj", "3107", "Kraj Vysočina", 704)),
    ("kraj:Kraj Vysočina", ("kraj", "3107", "Kraj Vysočina", 704)),
    ("kraj:vysocina", ("kraj", "3107", "Kraj Vysočina", 704)),
    ("kraj:CZ063", ("kraj", "3107", "Kraj Vysočina", 704)),
    ("stat:CZ", ("stat", "CZ", "Česká republika", 6258)),
])
def test_selector(obce, selector, expected):
    typ, kod, nazev, count = resolved(selector, obce)
    assert (typ, kod, nazev) == expected[:3]
    if expected[3] is not None:
        assert count == expected[3]
    else:
        assert count == int((obce["orp_kod"] == kod).sum()) > 0


def test_praha_is_its_own_orp_okres_and_kraj(obce):
    for selector in ("obec:Praha", "pou:Praha", "orp:1000", "orp:Praha", "okres:CZ0100", "okres:Praha",
                     "kraj:3018", "kraj:hlavni mesto praha", "kraj:CZ010"):
        chosen = territory.resolve(selector, obce)
        assert chosen.area.obce == ("554782",), selector


def test_members_are_the_obce_of_the_unit(obce):
    chosen = territory.resolve("orp:Jihlava", obce)
    assert set(chosen.area.obce) == set(obce.loc[obce["orp_kod"] == "6105", "obec_kod"])
    assert "586846" in chosen.area.obce and "587290" in chosen.area.obce
    assert set(chosen.obce["okres_lau_kod"]) == {"CZ0632"}
    assert set(chosen.obce["kraj_kod"]) == {"3107"}


def test_ambiguous_name_lists_every_candidate(obce):
    with pytest.raises(SprssError) as caught:
        territory.resolve("obec:Adamov", obce)
    message = str(caught.value)
    assert "nejednoznačný" in message
    for code in ADAMOV:
        assert f"obec:{code}" in message
    assert "\n" not in message


def test_ambiguous_name_resolved_by_code(obce):
    assert resolved("obec:581291", obce)[:3] == ("obec", "581291", "Adamov")


@pytest.mark.parametrize("selector, shown", [
    ("obec:999999", "999999"),
    ("orp:9999", "9999"),
    ("kraj:Atlantida", "Atlantida"),
    ("okres:CZ9999", "CZ9999"),
])
def test_unknown_unit_is_named_in_the_error(obce, selector, shown):
    with pytest.raises(SprssError) as caught:
        territory.resolve(selector, obce)
    assert shown in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("selector", ["mesto:Jihlava", "Jihlava", "orp:", "obec:  "])
def test_malformed_selector(obce, selector):
    with pytest.raises(SprssError, match="Neplatné území"):
        territory.resolve(selector, obce)


def test_comparisons_of_an_orp_and_an_obec(obce):
    orp = territory.resolve("orp:6105", obce)
    assert [(a.typ, a.kod) for a in territory.comparisons(orp, obce)] == [("kraj", "3107"), ("stat", "CZ")]
    obec = territory.resolve("obec:586846", obce)
    areas = territory.comparisons(obec, obce)
    assert [(a.typ, a.kod) for a in areas] == [("orp", "6105"), ("kraj", "3107"), ("stat", "CZ")]
    assert len(areas[0].obce) == 78 and len(areas[1].obce) == 704 and len(areas[2].obce) == 6258


# --- custom territories from YAML ------------------------------------------------------------------


def write_yaml(tmp_path, text: str, name="mikroregion.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_yaml_custom_territory_with_codes_names_and_oblasti(obce, tmp_path):
    path = write_yaml(tmp_path, """
nazev: Mikroregion Jihlavsko
obce:
  - 586846
  - "587290"
  - Luka nad Jihlavou
  - vyskytna nad jihlavou
oblasti:
  Město:
    - Jihlava
  Venkov:
    - 587290
    - Luka nad Jihlavou
    - 588172
""")
    chosen = territory.resolve(path, obce)
    assert chosen.area.typ == "vlastni"
    assert chosen.area.nazev == "Mikroregion Jihlavsko"
    assert set(chosen.area.obce) == {"586846", "587290", "587478", "588172"}
    assert [(a.typ, a.nazev, set(a.obce)) for a in chosen.oblasti] == [
        ("oblast", "Město", {"586846"}), ("oblast", "Venkov", {"587290", "587478", "588172"})]
    assert len({a.kod for a in chosen.oblasti}) == 2
    comparisons = [(a.typ, a.kod) for a in territory.comparisons(chosen, obce)]
    assert comparisons == [("orp", "6105"), ("kraj", "3107"), ("stat", "CZ")]


def test_yaml_territory_spanning_two_orp_compares_with_both(obce, tmp_path):
    path = write_yaml(tmp_path, "nazev: MAS test\nobce: [586846, 562548]\n")  # Jihlava + Bednárec (ORP J. Hradec)
    chosen = territory.resolve(path, obce)
    comparisons = {(a.typ, a.kod) for a in territory.comparisons(chosen, obce)}
    assert comparisons == {("orp", "6105"), ("orp", "3105"), ("kraj", "3107"), ("kraj", "3034"), ("stat", "CZ")}


@pytest.mark.parametrize("text, words", [
    ("nazev: X\nobce: [586846, 999999]\n", ["neznámé kódy obcí", "999999"]),
    ("nazev: X\nobce: [586846, Neexistujicí Ves]\n", ["Neexistujicí Ves", "není v územní struktuře"]),
    ("nazev: X\nobce: [586846, Adamov]\n", ["nejednoznačný", "531367", "535826", "581291"]),
    ("nazev: X\nobce: [586846, 587290]\noblasti:\n  A: [586846, 587290]\n  B: [587290]\n",
     ["587290", "'A'", "'B'", "jen do jedné oblasti"]),
    ("nazev: X\nobce: [586846]\noblasti:\n  A: [586846, 587290]\n", ["'A'", "587290", "nejsou v 'obce'"]),
    ("nazev: X\nobce: [586846, Jihlava]\n", ["586846", "vícekrát"]),
    ("nazev: X\nobce: []\n", ["'obce'"]),
    ("obce: [586846]\n", ["'nazev'"]),
    ("nazev: X\nobce: [586846\n", ["neplatný YAML"]),
])
def test_yaml_errors(obce, tmp_path, text, words):
    path = write_yaml(tmp_path, text)
    with pytest.raises(SprssError) as caught:
        territory.resolve(path, obce)
    message = str(caught.value)
    assert "mikroregion.yaml" in message
    for word in words:
        assert word in message, message
    assert "\n" not in message


def test_yaml_missing_file(obce, tmp_path):
    with pytest.raises(SprssError, match="nelze přečíst"):
        territory.resolve(str(tmp_path / "neni.yaml"), obce)


def test_search_finds_orp_jihlava(obce):
    found = territory.search("jihl", obce)
    assert "orp:6105" in set(found["selektor"])
    assert "obec:586846" in set(found["selektor"]) and "okres:40665" in set(found["selektor"])
    assert set(territory.search("6105", obce)["selektor"]) == {"orp:6105"}
    only_orp = territory.search("jihl", obce, level="orp")
    assert list(only_orp["selektor"]) == ["orp:6105"]
    assert only_orp["pocet_obci"].tolist() == [78]


def test_cli_selector_error_is_one_czech_line(real_warehouse):
    result = run_sprss("indicators", "--territory", "obec:Adamov", data=real_warehouse)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("Chyba:")
    assert all(code in message for code in ADAMOV)
    assert result.stdout == ""
