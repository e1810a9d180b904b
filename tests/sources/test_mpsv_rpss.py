"""The MPSV registry parser on the synthetic fixture: normalised tables, every documented trap, no personal
names in any table, and bad files refused with one Czech line before anything is stored."""
from datetime import date
import importlib.util
import json

import pytest

from builders import NEEDS_REAL, REPO, SHARED_REAL, copy_data_dir, invoke_sprss, raw_listing, sha256, synthetic_territory_data_dir
from pipeline.core.errors import FormatError
from pipeline.sources import mpsv_ciselniky, mpsv_rpss
from registry_support import FIXTURE, ON, PERSONAL_NAMES


@pytest.fixture(scope="module")
def tables():
    return mpsv_rpss.parse(FIXTURE.read_bytes(), FIXTURE.name, ON).tables


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def test_fixture_follows_the_documented_structure():
    """One item = one service with exactly the documented keys; the root holds only `polozky`."""
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert list(document) == ["polozky"]
    keys = {"portalId", "id", "identifikator", "datumPoskytovaniOd", "datumPoskytovaniDo", "kontaktniAdresy",
            "druhSocialniSluzby", "zarizeni", "poskytovatel", "emaily", "telefony", "faxy", "weby", "ciloveSkupiny",
            "vekoveSkupiny", "doplnujiciInformaceVekoveSkupiny", "formy", "rozsirenePusobnostiVKraji", "doplnkoveUdaje"}
    assert all(set(item) == keys for item in document["polozky"])
    assert all(item["poskytovatel"]["statutarniOrgany"] for item in document["polozky"])


def test_sniff():
    content = FIXTURE.read_bytes()
    assert mpsv_rpss.sniff(content)
    assert not mpsv_ciselniky.sniff(content)


def test_no_other_real_file_is_taken_for_an_mpsv_file():
    others = [p for p in sorted(SHARED_REAL.rglob("*")) if p.is_file() and "mpsv" not in p.parts]
    if not others:
        pytest.skip(f"{NEEDS_REAL}: {SHARED_REAL}")
    for path in others:
        with path.open("rb") as handle:
            head = handle.read(mpsv_rpss.SNIFF_BYTES)
        assert not mpsv_rpss.sniff(head) and not mpsv_ciselniky.sniff(head), path


def test_benchmark_generator_writes_a_readable_registry(tmp_path):
    """The benchmark measures the real parser on the generated file, so the file must be valid for it."""
    script = REPO / "benchmarks" / "generate_synthetic_rpss.py"
    spec = importlib.util.spec_from_file_location("generate_synthetic_rpss", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    target = tmp_path / "rpss.json"
    generator.generate(target, services=40, facilities=110)
    tables = mpsv_rpss.parse(target.read_bytes(), target.name, ON).tables
    assert (len(tables["sluzby"]), len(tables["sluzby_zarizeni"])) == (40, 110)
    assert not [n for n in generator.FIRST + generator.LAST
                if any(n in str(v) for frame in tables.values() for c in frame.columns for v in frame[c].dropna())]


def test_services(tables):
    sluzby = tables["sluzby"]
    assert len(sluzby) == 13 and sluzby["sluzba_id"].is_unique
    assert set(sluzby["stav_k"]) == {ON}
    first = sluzby.iloc[0]
    assert (first.sluzba_id, first.portal_id, first.identifikator, first.druh_kod, first.poskytovatel_ico) == \
        ("1001", "5001", "1000001", "13", "00090001")
    assert first.datum_od == date(2007, 1, 1) and first.datum_do is None
    assert dict(zip(sluzby["identifikator"], sluzby["datum_do"]))["1000002"] == date(2024, 12, 31)
    assert dict(zip(sluzby["identifikator"], sluzby["druh_kod"]))["1000008"] == "99"  # unknown code kept


def test_providers_are_deduplicated_by_ico(tables):
    providers = tables["sluzby_poskytovatele"]
    assert len(providers) == 10 and providers["ico"].is_unique
    assert rows(providers[providers.ico == "44990001"], "nazev", "sidlo_obec_kod") == [("Oblastní charita Jihlava", "586846")]
    assert list(providers.columns) == ["stav_k", "ico", "nazev", "sidlo_obec_kod"]


def test_forms_keep_capacity_per_form_and_unit(tables):
    forms = tables["sluzby_formy"]
    assert rows(forms[forms.sluzba_id == "1003"], "forma", "nepretrzite", "typ_kapacity", "kapacita") == [
        ("ter", False, "klient", 150), ("amb", False, "klient", 20)]
    assert rows(forms[forms.sluzba_id == "1009"], "forma", "typ_kapacity", "kapacita") == [
        ("pob", "luzka", 5), ("ter", "klient", 12)]
    assert rows(forms[forms.sluzba_id == "1008"], "forma", "typ_kapacity", "kapacita") == [("amb", "mista", 10)]
    assert forms["kapacita"].sum() == 120 + 40 + 150 + 20 + 60 + 30 + 80 + 50 + 10 + 5 + 12 + 400 + 70 + 500 + 25


def test_groups(tables):
    groups = tables["sluzby_cilove_skupiny"]
    assert rows(groups[groups.sluzba_id == "1001"], "kod") == [("24",), ("30",)]
    ages = tables["sluzby_vekove_skupiny"]
    assert rows(ages[ages.sluzba_id == "1008"], "kod") == [("1",), ("2",), ("3",)]


def test_facilities_and_their_traps(tables):
    facilities = tables["sluzby_zarizeni"]
    assert len(facilities) == 17
    repeated = facilities[facilities.sluzba_id == "1001"]
    assert rows(repeated, "poradi", "duplicitni") == [(1, False), (2, True)]
    first = repeated.iloc[0]
    assert (first.obec_kod, first.okres_ruian_kod, first.kraj_ruian_kod, first.kod_adresniho_mista, first.ulice,
            first.cislo_domovni, first.cislo_orientacni, first.psc) == \
        ("586846", "3707", "108", "11000001", "Žižkova", "1466", "93", "58601")
    by_name = facilities.set_index("nazev")
    assert by_name.loc["Domov Třešť", "kod_adresniho_mista"] is None
    assert by_name.loc["Osobní asistence Vysočina", "obec_kod"] is None
    assert by_name.loc["Osobní asistence Vysočina", "okres_ruian_kod"] == "3707"
    assert by_name.loc["Charitní pečovatelská služba Polná", "poskytuje_do"] == date(2023, 6, 30)
    assert by_name.loc["Terénní programy Jihlava", "poskytuje_od"] == date(2025, 7, 1)


def test_territorial_scope(tables):
    scope = tables["sluzby_pusobnost"]
    assert rows(scope, "sluzba_id", "uroven", "ciselnik", "kod") == [
        ("1003", "orp", "Orp", "1503"), ("1011", "orp", "Orp", "1503"), ("1011", "orp", "Orp", "388"),
        ("1011", "orp", "Orp", "99999")]


@pytest.mark.parametrize("declared, expected", [
    ([{"orp": {"id": "Orp/1503"}}], [("orp", "Orp", "1503")]),
    ([{"id": "ObecSRozsirenouPusobnosti/1503"}], [("orp", "ObecSRozsirenouPusobnosti", "1503")]),
    (["1503", 388], [("orp", None, "1503"), ("orp", None, "388")]),
    ([{"kraj": {"id": "Kraj/108"}, "obce": [{"id": "Obec/586846"}]}], [("kraj", "Kraj", "108"), ("obec", "Obec", "586846")]),
    ([{"x": {"id": "Neco/7"}}], [(None, "Neco", "7")]),
    (None, []),
])
def test_scope_shapes(declared, expected):
    """The item shape of rozsirenePusobnostiVKraji is not documented: every id in it is kept."""
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document["polozky"] = document["polozky"][:1]
    document["polozky"][0]["rozsirenePusobnostiVKraji"] = declared
    scope = mpsv_rpss.parse(json.dumps(document).encode(), "x.json", ON).tables["sluzby_pusobnost"]
    assert rows(scope, "uroven", "ciselnik", "kod") == expected


def test_contacts_without_notes(tables):
    contacts = tables["sluzby_kontakty"]
    own = contacts[(contacts.sluzba_id == "1001") & (contacts.uroven == "sluzba")]
    assert rows(own, "typ", "hodnota") == [("web", "https://sluzba1.example.cz"), ("email", "sluzba1@example.cz"),
                                          ("telefon", "567100001")]
    assert set(contacts["uroven"]) == {"sluzba", "poskytovatel"}


def test_no_personal_name_in_any_parsed_table(tables):
    for name, frame in tables.items():
        for column in frame.columns:
            text = " ".join(str(v) for v in frame[column].dropna())
            assert not [n for n in PERSONAL_NAMES if n in text], (name, column)


def test_unread_keys_with_personal_names_never_reach_a_table():
    """Names under keys the parser does not know (a facility's head, an unknown provider key) stay out."""
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    item = document["polozky"][0]
    item["zarizeni"][0]["vedouciZarizeni"] = {"jmeno": "Bohumila", "prijmeni": "Přeučilová"}
    item["poskytovatel"]["kontaktniOsoba"] = "Radovan Vlkovický"
    item["kontaktniAdresy"][0]["adresat"] = "Jaroslava Zlámalová"
    parsed = mpsv_rpss.parse(json.dumps(document).encode(), "x.json", ON).tables
    text = " ".join(str(v) for frame in parsed.values() for column in frame.columns for v in frame[column].dropna())
    assert not [n for n in PERSONAL_NAMES if n in text]


def test_reference_date_is_given_or_today():
    content = FIXTURE.read_bytes()
    assert mpsv_rpss.parse(content, FIXTURE.name, ON).reference_date == ON
    assert mpsv_rpss.parse(content, FIXTURE.name).reference_date == date.today()


def test_dates_with_time_part_and_codes_as_numbers():
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    item = document["polozky"][0]
    item["datumPoskytovaniOd"] = "2007-01-01T00:00:00"
    item["poskytovatel"]["ico"] = 90001
    item["identifikator"] = 1000001
    parsed = mpsv_rpss.parse(json.dumps(document).encode(), "x.json", ON).tables["sluzby"]
    assert rows(parsed.head(1), "datum_od", "poskytovatel_ico", "identifikator") == [(date(2007, 1, 1), "00090001", "1000001")]


# --- bad input -----------------------------------------------------------------------------------


def fixture_with(change) -> bytes:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(document)
    return json.dumps(document, ensure_ascii=False).encode()


def without_druh(document):
    del document["polozky"][1]["druhSocialniSluzby"]


BAD_INPUTS = {
    "truncated": (FIXTURE.read_bytes()[: FIXTURE.stat().st_size // 2], "poškozený nebo neúplný"),
    "truncated_at_the_end": (FIXTURE.read_bytes().rstrip()[:-2], "končí uprostřed dat"),
    "root_is_a_list": (json.dumps(json.loads(FIXTURE.read_text(encoding="utf-8"))["polozky"]).encode(),
                       "kořen souboru není objekt"),
    "root_without_polozky": (fixture_with(lambda d: d.update(data=d.pop("polozky"))), "chybí klíč 'polozky'"),
    "polozky_not_a_list": (fixture_with(lambda d: d.update(polozky={"1001": d["polozky"][0]})), "'polozky' není seznam"),
    "empty_polozky": (b'{"polozky": []}', "seznam 'polozky' je prázdný"),
    "missing_druh": (fixture_with(without_druh), "položka č. 2 (id 1002) nemá druhSocialniSluzby"),
    "duplicate_id": (fixture_with(lambda d: d["polozky"][2].update(id="1001")), "služba s tímto id už je v souboru"),
    "bad_date": (fixture_with(lambda d: d["polozky"][0].update(datumPoskytovaniDo="31.12.2024")),
                 "datumPoskytovaniDo = '31.12.2024' není datum"),
    "negative_capacity": (fixture_with(lambda d: d["polozky"][0]["formy"][0]["kapacity"][0].update(pocet=-5)),
                          "kapacita -5 není nezáporné celé číslo"),
    "trailing_garbage": (FIXTURE.read_bytes() + b"}", "neplatný JSON"),
    "not_utf8": (FIXTURE.read_text(encoding="utf-8").encode("cp1250", errors="replace"), "není v kódování UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_one_czech_line(case):
    content, message = BAD_INPUTS[case]
    assert mpsv_rpss.sniff(content) or case == "empty_polozky"
    with pytest.raises(FormatError) as error:
        mpsv_rpss.parse(content, "rpss.json", ON)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not [n for n in PERSONAL_NAMES if n in str(error.value)]


@pytest.fixture(scope="module")
def territory_only(tmp_path_factory):
    return synthetic_territory_data_dir(tmp_path_factory)


@pytest.mark.parametrize("case", ["truncated", "root_is_a_list", "missing_druh"])
def test_bad_registry_loads_nothing(case, territory_only, tmp_path):
    data = copy_data_dir(territory_only, tmp_path / "data")
    before = raw_listing(data), sha256(data.warehouse)
    bad = tmp_path / "rpss.json"
    bad.write_bytes(BAD_INPUTS[case][0])
    result = invoke_sprss("import", bad, "--date", ON.isoformat(), data=data)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Chyba: soubor rpss.json: "), result.stderr
    assert BAD_INPUTS[case][1] in lines[0]
    assert (raw_listing(data), sha256(data.warehouse)) == before


def test_registry_file_is_recognised_by_import(territory_only, tmp_path):
    data = copy_data_dir(territory_only, tmp_path / "data")
    result = invoke_sprss("import", FIXTURE, "--date", ON.isoformat(), data=data)
    assert result.returncode == 0, result.stderr
    assert f"mpsv_rpss/{ON.isoformat()}/{FIXTURE.name}" in result.stderr
    assert not [n for n in PERSONAL_NAMES if n in result.stderr + result.stdout]
