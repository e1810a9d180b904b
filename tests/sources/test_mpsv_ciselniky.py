"""MPSV code lists: the web-API shape of the real files and the open-data shape, into one table."""
from datetime import date
import json

import pytest

from builders import FIXTURES, real
from pipeline.core.errors import FormatError
from pipeline.sources import mpsv_ciselniky, mpsv_rpss
from registry_support import SUPPORT

OPEN_DATA = FIXTURES / "synthetic_mpsv_ciselnik_formy.json"
# file -> (code-list name in the registry's ids, number of items)
REAL_LISTS = {
    "druh_socialni_sluzby_data.json": ("DruhSocialniSluzby", 34),
    "cilova_skupina_osoby_data.json": ("CilovaSkupinaOsoby", 27),
    "vekova_skupina_osoby_data.json": ("VekovaSkupinaOsoby", 10),
    "forma_soc_sluzby_data.json": ("FormaSocialniSluzby", 3),
    "typ_kapacity_data.json": ("TypKapacitySocialniSluzby", 5),
    "typ_spojeni_data.json": ("TypSpojeni", 15),
    "den_v_tydnu_data.json": ("DenVTydnu", 7),
    "forma_pravni_data.json": ("FormaPravniSubjektivity", 149),
    "kraje_data.json": ("Kraj", 14),
}


def parse_real(name: str):
    content = real(SUPPORT / name).read_bytes()
    return mpsv_ciselniky.parse(content, name).tables["mpsv_ciselnik"]


@pytest.mark.parametrize("name", sorted(REAL_LISTS))
def test_every_real_web_api_list_is_recognised_and_read(name):
    content = real(SUPPORT / name).read_bytes()
    assert mpsv_ciselniky.sniff(content)
    assert not mpsv_rpss.sniff(content)
    table = parse_real(name)
    ciselnik, count = REAL_LISTS[name]
    assert set(table["ciselnik"]) == {ciselnik}
    assert len(table) == count
    assert table["kod"].map(type).eq(str).all() and table["nazev"].notna().all()


def test_service_types_have_the_documented_codes():
    table = parse_real("druh_socialni_sluzby_data.json")
    druhy = dict(zip(table["kod"], table["nazev"]))
    assert sorted(druhy, key=int) == ["1", *map(str, range(3, 36))]  # kod 1, 3–35
    assert druhy["13"] == "domovy pro seniory"
    assert druhy["14"] == "domovy se zvláštním režimem"
    assert druhy["4"] == "pečovatelská služba"


def test_web_api_names_and_dates_follow_the_registry():
    formy = parse_real("forma_soc_sluzby_data.json")
    assert set(formy["kod"]) == {"amb", "pob", "ter"}
    assert set(formy["ciselnik"]) == {"FormaSocialniSluzby"}  # the web API says FormaSocSluzby
    druhy = parse_real("druh_socialni_sluzby_data.json")
    # platnostOd 1721772000000 ms = 2024-07-23 22:00 UTC = midnight of 24. 7. 2024 in Prague
    assert set(druhy["platnost_od"]) == {date(2024, 7, 24)}
    assert druhy["platnost_do"].isna().all()
    kraje = parse_real("kraje_data.json")
    assert dict(zip(kraje["kod"], kraje["nazev"]))["108"] == "Kraj Vysočina"  # RÚIAN code, as in "Kraj/108"
    assert set(kraje["platnost_od"]) >= {date(2016, 11, 23)}


def test_reference_date_is_the_latest_change_unless_given():
    content = real(SUPPORT / "druh_socialni_sluzby_data.json").read_bytes()
    assert mpsv_ciselniky.parse(content, "x.json").reference_date == date(2024, 7, 24)
    assert mpsv_ciselniky.parse(content, "x.json", date(2025, 1, 1)).reference_date == date(2025, 1, 1)


def test_open_data_shape():
    content = OPEN_DATA.read_bytes()
    assert mpsv_ciselniky.sniff(content) and not mpsv_rpss.sniff(content)
    parsed = mpsv_ciselniky.parse(content, OPEN_DATA.name, date(2025, 6, 30))
    table = parsed.tables["mpsv_ciselnik"]
    assert list(table.columns) == ["stav_k", "ciselnik", "kod", "nazev", "platnost_od", "platnost_do"]
    assert table[["ciselnik", "kod", "nazev"]].values.tolist() == [
        ["FormaSocialniSluzby", "amb", "ambulantní"], ["FormaSocialniSluzby", "pob", "pobytová"],
        ["FormaSocialniSluzby", "ter", "terénní"]]
    assert table["platnost_od"].tolist() == [None, None, date(2018, 1, 1)]


def test_both_shapes_give_the_same_rows():
    web = parse_real("forma_soc_sluzby_data.json")
    opened = mpsv_ciselniky.parse(OPEN_DATA.read_bytes(), OPEN_DATA.name).tables["mpsv_ciselnik"]
    assert sorted(zip(web["ciselnik"], web["kod"])) == sorted(zip(opened["ciselnik"], opened["kod"]))


@pytest.mark.parametrize("document, message", [
    ({"pocet": 3, "seznam": [{"kod": "1", "nazev": "a", "ciselnik": "X"}]}, "ohlašuje počet položek 3, ale obsahuje 1"),
    ({"seznam": [{"kod": "1", "nazev": "a"}]}, "neuvádí, do kterého číselníku patří"),
    ({"polozky": [{"id": "13", "nazev": {"cs": "a"}}]}, "nemá tvar 'Ciselnik/kod'"),
    ({"polozky": [{"id": "X/1", "nazev": "a"}, {"id": "X/1", "nazev": "b"}]}, "X/1 je v číselníku dvakrát"),
    ({"polozky": []}, "číselník je prázdný"),
    ({"data": []}, "neznámá struktura souboru"),
])
def test_broken_lists_fail_with_one_czech_line(document, message):
    with pytest.raises(FormatError) as error:
        mpsv_ciselniky.parse(json.dumps(document).encode(), "x.json")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_truncated_list_fails():
    content = real(SUPPORT / "druh_socialni_sluzby_data.json").read_bytes()
    with pytest.raises(FormatError, match="neplatný JSON"):
        mpsv_ciselniky.parse(content[: len(content) // 2], "x.json")
