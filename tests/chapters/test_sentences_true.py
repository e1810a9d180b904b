"""Issue 14: every generated sentence true for every territory, one test per class of defect found on real data
(ORP Pacov, Kraj Vysočina, obce of 14 and 49 inhabitants), on small hand-made tables, plus the real ORP Pacov."""
from pathlib import Path
import re

import pandas as pd
import pytest

from builders import plain
from pipeline import chapters
from pipeline.chapters.demografie import data, findings
from pipeline.core.territory import Area, of_area
from pipeline.core.text import NBSP, THIN_SPACE, collation_key, typeset
from pipeline.indicators import small_bases
from pipeline.indicators.metadata import SeriesBreak

ORP = Area("orp", "1", "Zkušebné", ())
KRAJ = Area("kraj", "2", "Kraj Vysočina", ())
STAT = Area("stat", "CZ", "Česká republika", ())
DAY = "2020-12-31"


def rows(area: Area, code: str, values: dict[str, float]) -> list[dict]:
    return [{"uzemi_typ": area.typ, "uzemi_kod": area.kod, "uzemi_nazev": area.nazev, "obdobi": o, "ukazatel": code,
             "hodnota": v, "jednotka": ""} for o, v in values.items()]


def obce_table(people: list[int], index: list[float | None], kraj_index: float = 130.0) -> tuple[pd.DataFrame, list[Area]]:
    obce = [Area("obec", str(n), f"Obec {n}", (str(n),)) for n in range(10, 10 + len(people))]
    table = rows(KRAJ, "index_stari", {DAY: kraj_index})
    for area, p, i in zip(obce, people, index, strict=True):
        table += rows(area, "obyvatel_celkem", {DAY: p})
        if i is not None:
            table += rows(area, "index_stari", {DAY: i})
    return pd.DataFrame(table), obce


def test_count_of_obce_names_every_obec_including_those_without_children():
    """'18 ze všech 23 obcí' in ORP Pacov of 24 obce: the obec without a child was silently left out."""
    ind, obce = obce_table([500, 800, 300, 1000, 14], [150.0, 90.0, 300.0, 120.0, None])
    sentence = findings.above_reference(ind, obce, KRAJ, "index_stari", DAY)
    assert "2 ze 4 srovnávaných obcí" in sentence and "Obec 14" in sentence
    assert "méně než 100 obyvatel" in sentence
    ind, obce = obce_table([500, 800, 300, 1000], [150.0, 90.0, 300.0, 120.0])
    assert "mají 2 ze všech 4 obcí" in findings.above_reference(ind, obce, KRAJ, "index_stari", DAY)


def test_no_obec_above_is_said_in_words_not_as_zero():
    """'0 ze všech 6 obcí'."""
    ind, obce = obce_table([500, 800, 300], [50.0, 60.0, 70.0])
    sentence = findings.above_reference(ind, obce, KRAJ, "index_stari", DAY)
    assert "nemá žádná ze všech 3 obcí" in sentence and " 0 " not in sentence


def test_differences_follow_from_the_rounded_numbers_shown():
    """'o 0,1 méně než v ČR (56,8)' next to 56,8."""
    ind = pd.DataFrame(rows(ORP, "index_ekonomickeho_zatizeni", {DAY: 56.76}) + rows(STAT, "index_ekonomickeho_zatizeni", {DAY: 56.83}))
    sentence = findings.compare(ind, ORP, [STAT], "index_ekonomickeho_zatizeni", DAY)
    assert "56,8" in sentence and "stejně jako v ČR" in sentence


def test_the_summary_keeps_the_areas_own_breaks_apart_as_the_chapter_does():
    """Vojenský újezd Boletice: the chapter set the 2016 split apart, the summary read 2010–2021 as a decline of 100 %."""
    obec = Area("obec", "545422", "Boletice", ("545422",))
    people = {"2010-01-01": 255, "2015-01-01": 290, "2016-01-01": 0, "2021-01-01": 0}
    ind = pd.DataFrame(rows(obec, "obyvatel_celkem", people))
    split = SeriesBreak("2016-01-01", "oddělení obce Polná na Šumavě", "…")
    chapter = " ".join(findings.population_change(ind, obec, [split]))
    summary = " ".join(findings.key_findings(ind, obec, [], [], [], [split]))
    assert summary == chapter and "100,0" not in summary and "1. 1. 2010–1. 1. 2015 a 1. 1. 2016–1. 1. 2021" in plain(summary)


def test_small_obec_is_not_compared_and_its_rates_are_suppressed_as_parts():
    """'Index stáří 1 700,0 … o 1 561,3 více než v ORP' for an obec of 49 inhabitants with one child."""
    obec = Area("obec", "9", "Malá", ("9",))
    ind = pd.DataFrame(rows(obec, "obyvatel_celkem", {DAY: 49}) + rows(obec, "index_stari", {DAY: 1700.0})
                       + rows(ORP, "index_stari", {DAY: 138.7}) + rows(ORP, "obyvatel_celkem", {DAY: 50000}))
    sentence = findings.compare(ind, obec, [ORP], "index_stari", DAY)
    assert "neporovnává" in sentence and "více než" not in sentence
    assert all("Index stáří" not in s for s in findings.key_findings(ind, obec, [], [], [ORP]))
    suppressed = small_bases.suppress(ind, keep=[ORP])
    assert set(suppressed.loc[suppressed.uzemi_kod == "9", "ukazatel"]) == {"obyvatel_celkem"}
    assert len(small_bases.suppress(ind, keep=[obec])) == len(ind)  # the analysed obec keeps its values


def test_undefined_index_is_said_not_dropped():
    obec = Area("obec", "9", "Bezdětná", ("9",))
    ind = pd.DataFrame(rows(obec, "obyvatel_celkem", {DAY: 140}) + rows(obec, "podil_65_plus", {DAY: 78.6}))
    assert "nelze" in findings.compare(ind, obec, [ORP], "index_stari", DAY)


def test_series_break_sentence_only_when_the_sign_matches():
    """A decrease across the break that adds persons with temporary protection is not the method's doing."""
    ind = pd.DataFrame(rows(ORP, "obyvatel_celkem", {"2021-01-01": 1000, "2022-01-01": 990, "2023-01-01": 980}))
    sentences = findings.population_change(ind, ORP)
    assert any("revize podle SLDB 2021" in s and "nelze je proto číst" in s for s in sentences)
    against = [s for s in sentences if "osoby s dočasnou ochranou" in s]
    assert len(against) == 1 and "klesl o 10\u00a0osob" in against[0] and "nebyl menší než 10\u00a0osob" in against[0]
    assert "nelze je proto číst" not in against[0]


def test_no_percent_change_on_a_small_base():
    obec = Area("obec", "9", "Malá", ("9",))
    ind = pd.DataFrame(rows(obec, "obyvatel_celkem", {"2020-01-01": 15, "2021-01-01": 14}))
    assert "%" not in " ".join(findings.population_change(ind, obec))


def test_the_largest_obec_needs_no_verb_agreeing_with_its_name():
    """'Největší obcí je Svitavy': the name may be plural (Svitavy, Vysoké Mýto is not, Velké Meziříčí neither)."""
    obce = [Area("obec", k, n, (k,)) for k, n in (("1", "Svitavy"), ("2", "Kamenec"), ("3", "Lhota"))]
    table = rows(ORP, "obyvatel_celkem", {DAY: 17200})
    for area, people in zip(obce, [16186, 800, 214], strict=True):
        table += rows(area, "obyvatel_celkem", {DAY: people})
    sentence = findings.settlement(pd.DataFrame(table), ORP, obce, DAY)
    assert sentence == (f"Největší obec, Svitavy, má 16{THIN_SPACE}186 obyvatel (94,1{NBSP}% obyvatel území); 1 ze všech 3 "
                        "obcí má méně než 500 obyvatel.")


def test_a_territory_nobody_lives_in_has_no_inhabitants_not_zero_of_them():
    """'Území obce Boletice mělo k 1. 1. 2023 celkem 0 obyvatel' (a military district)."""
    obec = Area("obec", "545422", "Boletice", ("545422",))
    ind = pd.DataFrame(rows(obec, "obyvatel_celkem", {"2022-01-01": 0, "2023-01-01": 0}))
    assert findings.population_change(ind, obec)[0] == "Území obce Boletice nemělo k 1. 1. 2023 žádné obyvatele."


@pytest.mark.parametrize(("area", "genitive"), [
    (Area("kraj", "3107", "Kraj Vysočina", ()), "Kraje Vysočina"),
    (Area("kraj", "3115", "Jihomoravský kraj", ()), "Jihomoravského kraje"),
    (Area("kraj", "3018", "Hlavní město Praha", ()), "hlavního města Prahy"),
    (STAT, "České republiky"), (Area("orp", "6105", "Jihlava", ()), "ORP Jihlava"),
    (Area("okres", "3707", "Jihlava", ()), "okresu Jihlava"), (Area("obec", "1", "Pacov", ()), "obce Pacov"),
    (Area("vlastni", "m", "Mikroregion Třešťsko", ()), "„Mikroregion Třešťsko“")])
def test_territory_names_are_grammatical_after_uzemi(area, genitive):
    """'v území Kraj Vysočina'."""
    assert of_area(area) == genitive


def test_no_chapter_puts_a_nominative_name_after_uzemi():
    """'Výdaje obcí území Kraj Vysočina', 'Srovnání s územím Kraj Vysočina': after 'území' (any case) the name goes
    through of_area (genitive); `nazev` (label, nominative) never follows it in a notebook or a chapter's module."""
    root = Path(__file__).parents[2]
    nominative = re.compile(r"územ(?:í|ím) (?:\"\s*f\")?\{(?:nazev|label\([^)]*\)|d\.head\.nazev)\}")  # across literals
    sources = [*(root / "notebooks").glob("*.py"), *(root / "pipeline" / "chapters").rglob("*.py")]
    found = {str(path.relative_to(root)): nominative.findall(path.read_text(encoding="utf-8")) for path in sources}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_every_chapter_of_the_combined_document_files_its_methods_into_the_one_appendix():
    """Socialni titled its methods chapter 'Zdroje, metodika a co údaje nezachycují', and the combined document
    left it in the body, beside an appendix holding the others: sources and methods go through Study.methods."""
    root = Path(__file__).parents[2]
    notebooks = {c.notebook_file for c in chapters.for_territory()}
    methods_by_title = re.compile(r"study\.chapter\([^)]*[Mm]etodik")
    found = {name: len(methods_by_title.findall((root / "notebooks" / name).read_text(encoding="utf-8")))
             for name in notebooks}
    assert {name: hits for name, hits in found.items() if hits} == {}
    without = {name for name in notebooks if "study.methods()" not in (root / "notebooks" / name).read_text(encoding="utf-8")}
    assert without == {"pohyb.py"}  # its rates are explained beside them, in its own chapters


def test_czech_collation():
    """ORP lists sorted by code point put Chotěboř before Havlíčkův Brod."""
    names = ["Chotěboř", "Žďár nad Sázavou", "Havlíčkův Brod", "Čáslav", "Cvikov", "Řečice", "Rudolfov", "Ábel", "Abc"]
    assert sorted(names, key=collation_key) == ["Abc", "Ábel", "Cvikov", "Čáslav", "Havlíčkův Brod", "Chotěboř",
                                               "Rudolfov", "Řečice", "Žďár nad Sázavou"]


def test_typeset_binds_prepositions_dates_numbers_and_units():
    text = typeset("V obci k 1. 1. 2023 žije 1 234 567 osob a 19,8 % z nich je v důchodu, o 0,6 p. b. víc")
    assert text.startswith(f"V{NBSP}obci k{NBSP}1.{NBSP}1.{NBSP}2023")
    assert f"1{THIN_SPACE}234{THIN_SPACE}567{NBSP}osob a{NBSP}19,8{NBSP}% z{NBSP}nich" in text
    assert f"p.{NBSP}b." in text
    assert typeset(text) == text  # idempotent: writers may meet the same text twice


@pytest.mark.slow
def test_real_orp_pacov_counts_all_24_obce(real_warehouse):
    d = data.load("orp:6109", real_warehouse.root)
    day = d.latest("podil_65_plus")
    sentence = findings.above_reference(d.ind, d.obce, d.kraj, "index_stari", day)
    compared = int(re.search(r" ze? (\d+) srovnávaných", sentence).group(1))
    left_out = int(sentence.split("Nesrovnává se ")[1].split()[0])
    assert compared + left_out == len(d.obce) == 24
    assert "Vysoká Lhota" in sentence  # 14 inhabitants, no child


def test_services_gap_sentence_never_says_zero_obci():
    """'bez služby zůstává 0 obcí'."""
    from types import SimpleNamespace

    from pipeline.chapters.sluzby import data as services
    obce = pd.DataFrame({"obec_kod": ["1", "2", "3"], "obec_nazev": ["A", "B", "C"]})
    gaps = pd.DataFrame({"druh_kod": ["4", "4"], "uzemi_kod": ["2", "3"], "terenni_sluzby_s_pusobnosti": [1, 2]})
    d = SimpleNamespace(gaps=gaps, territory=SimpleNamespace(obce=obce))
    sentence = services.gap_sentence(d, "4", "pečovatelská služba")
    assert sentence == ("**Pečovatelská služba**: zařízení má 1 obec, jen terénní službu s deklarovanou působností "
                        "mají 2 obce, bez služby nezůstává žádná obec.")
    one = SimpleNamespace(gaps=gaps[gaps.uzemi_kod == "2"], territory=SimpleNamespace(obce=obce[obce.obec_kod == "2"]))
    assert services.gap_sentence(one, "4", "pečovatelská služba") == (
        "**Pečovatelská služba**: obec nemá zařízení služby, podle registru do ní zasahuje terénní služba "
        "s deklarovanou působností.")


def test_services_overview_of_a_territory_without_a_facility_says_none_not_zero_of_zero_types():
    """'Registrované sociální služby … v území obce Město Libavá: 0 (0 druhů)'."""
    from datetime import date
    from types import SimpleNamespace

    from pipeline.chapters.sluzby import data as services
    entries = pd.DataFrame({"zahrnuti": ["pusobnost"], "druh_kod": ["4"]})
    d = SimpleNamespace(entries=entries, datum=date(2026, 12, 2), head=Area("obec", "500160", "Město Libavá", ("500160",)),
                        catalogue=SimpleNamespace(facilities=pd.DataFrame({"obec_kod": [], "v_uzemi": []}, dtype=object)),
                        territory=SimpleNamespace(obce=pd.DataFrame({"obec_kod": ["500160"]})))
    assert services.overview(d) == (
        "V území **obce Město Libavá** nemá k 2. 12. 2026 zařízení žádná registrovaná sociální služba v poskytování. "
        "Terénní služby bez zařízení v území, které v registru uvádějí působnost v jeho obcích: 1.")


def test_the_chapter_says_which_population_series_it_shows():
    area = Area("obec", "587290", "Jihlávka", ("587290",))
    ind = pd.DataFrame({"uzemi_typ": "obec", "uzemi_kod": "587290", "ukazatel": "obyvatel_celkem",
                        "obdobi": ["2020-01-01", "2020-12-31", "2021-01-01"], "hodnota": [201.0, 197.0, 198.0]})
    series = pd.DataFrame({"uzemi_typ": "obec", "uzemi_kod": "587290", "uzemi_nazev": "Jihlávka",
                           "rada": ["publikace", "revidovana", "revidovana", "revidovana"],
                           "obdobi": ["2021-01-01", "2020-01-01", "2021-01-01", "2026-01-01"],
                           "pocet": [198.0, 201.0, 194.0, 222.0]})
    found = findings.population_series(series, ind, area)
    assert found is not None
    text = plain(found)
    assert "z publikací ČSÚ" in text and "(k 1. 1. 2020–2026)" in text
    assert "Liší se k 1. 1. 2021: 198 osob podle publikace, 194 osob v revidované řadě." in text
    assert text.endswith("k 1. 1. 2026 v ní má území 222 osob.")
    assert findings.population_series(series[series.rada == "publikace"], ind, area) is None
