"""The chapter "Financování sociálních služeb obcemi": sentences true for a territory with part of its obce, one obec,
none, a zero year; tables equal to the indicators; a golden chart; the chapter rendered for ORP Jihlava (synthetic
FINM201) and added by `sprss run` to the study of ORP Šlapanice (the real Střelice extract)."""
from pathlib import Path

import duckdb
import pytest

from builders import (
    JIHLAVSKO_OBCE,
    REAL_IMPORT,
    assert_golden,
    copy_data_dir,
    plain,
    real,
    real_data_dir,
    run_sprss,
    synthetic_population_data_dir,
    tool_internals,
)
from finm_support import DECODED_TREST, PLACEMENT, RAW_2023, RAW_2024, STRELICE
from pipeline import chapters
from pipeline.chapters.financovani import charts, data
from pipeline.chapters.runner import render_study
from pipeline.core.text import czech_number
from pipeline.render.document import verify

TITLES = ["Výdaje obcí na sociální oblast", "Vývoj v letech", "Obce území v roce 2024", "Výdaje podle paragrafů v roce 2024",
          "Co Monitor státní pokladny neobsahuje", "Zdroje a metodika"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    target = copy_data_dir(synthetic_population_data_dir(tmp_path_factory), tmp_path_factory.mktemp("fin") / "data")
    for args in ([RAW_2023, RAW_2024, PLACEMENT], [DECODED_TREST, "--obec", "588032"]):
        result = run_sprss("import", *args, data=target)
        assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def jihlava(data_dir) -> data.FinancingData:
    return data.load("orp:6105", data_dir.root)


def test_coverage_and_findings_of_a_partly_covered_territory(jihlava):
    assert jihlava.years == ["2021", "2022", "2023", "2024"] and jihlava.latest == "2024"
    assert data.coverage_sentence(jihlava) == (
        "Rozpočet za rok 2024 má v podkladech analýzy jen 3 obce území z celkového počtu 9 obcí (Brtnice, Jihlava, Jihlávka); "
        "součty za území proto zahrnují jen tyto obce a nevypovídají o území jako celku. Údaje pokrývají 4 roky "
        "(2021–2024).")
    social = 2287654.00 + 8500000.00 + 250000.00 + 449999.99 + 5000.00
    assert data.findings(jihlava) == [
        f"V roce 2024 vydaly 3 obce území ORP Jihlava s údaji na sociální oblast (§ 4300–4399) {czech_number(social)} Kč, "
        f"tj. {czech_number(jihlava.value(jihlava.head, data.SHARE, '2024')[0], 1)} % všech výdajů.",
        "Výdaje na obyvatele za rok 2024 nejsou spočteny: v podkladech analýzy chybí počet obyvatel k 1. 1. 2024 některé "
        f"z obcí s údaji. Za rok 2023, poslední s počtem obyvatel, činily "
        f"{czech_number(jihlava.value(jihlava.head, data.PER_CAPITA, '2023')[0])} Kč na obyvatele 4 obcí s údaji.",
        "Roky 2021 a 2024 nejsou srovnatelné: údaje za ně má jiný soubor obcí.",
        "Srovnání s územími Kraje Vysočina a České republiky za rok 2024 není k dispozici: údaje v nich mají jen obce "
        "tohoto území.",
    ]


def test_one_obec_with_a_trend_and_a_comparison(data_dir):
    trest = data.load("obec:588032", data_dir.root)
    assert data.coverage_sentence(trest) == "Rozpočet obce Třešť je v podkladech analýzy za 3 roky (2021–2023)."
    lines = data.findings(trest)
    social = (1234567.89 + 306000.11 + 50000.00) * 1.2
    population = next(o.total for o in JIHLAVSKO_OBCE if o.kod == "588032")
    assert lines[0].startswith(f"V roce 2023 vydala obec Třešť na sociální oblast (§ 4300–4399) {czech_number(social)} Kč, "
                               f"tj. {czech_number(social / population)} Kč na obyvatele a ")
    assert lines[1] == (f"Mezi lety 2021 a 2023 výdaje na sociální oblast vzrostly o 20,0 % (z {czech_number(social / 1.2)} "
                        f"Kč na {czech_number(social)} Kč, v běžných cenách).")
    orp = trest.value(trest.references[0], data.PER_CAPITA, "2023")
    own = trest.value(trest.head, data.PER_CAPITA, "2023")
    relation = "více než" if own[0] > orp[0] else "méně než"
    assert lines[2] == (f"Na obyvatele vydala obec Třešť {czech_number(own[0])} Kč, {relation} obce s údaji ve srovnávacím "
                        f"území ORP Jihlava ({czech_number(orp[0])} Kč; údaje má 4 obce z celkového počtu 9 obcí).")


def test_an_obec_without_data_and_a_year_without_social_spending(data_dir):
    none = data.load("obec:587095", data_dir.root)  # Dušejov: no extract
    assert none.years == [] and data.findings(none) == []
    assert data.coverage_sentence(none) == "Obec Dušejov nemá v podkladech analýzy rozpočet z Monitoru státní pokladny (výkaz FIN 2-12 M)."
    jihlavka = data.load("obec:587290", data_dir.root)
    until_2023 = data.FinancingData(jihlavka.territory, jihlavka.references,
                                    jihlavka.values[jihlavka.values.obdobi <= "2023"], jihlavka.breakdown, [])
    assert data.findings(until_2023)[0] == "V roce 2023 obec Jihlávka nevykázala žádné výdaje v § 4300–4399."
    assert data.paragraphs(until_2023, "2023").frame.empty


def test_tables_hold_the_indicator_values(jihlava):
    trend = data.trend(jihlava).frame
    assert trend["Obcí s údaji"].tolist() == [1, 1, 4, 3]
    for row in trend.itertuples():
        assert row[3:6] == tuple(jihlava.value(jihlava.head, code, row.Rok)[0] for code in data.BUDGETS)
    obce = data.by_unit(jihlava, "2023").frame
    assert obce["Obec"].tolist() == ["Brtnice", "Jihlava", "Jihlávka", "Třešť"]
    assert obce.loc[obce.Obec == "Jihlávka", "Skutečnost (Kč)"].item() == 0.0
    paragraphs = data.paragraphs(jihlava, "2023").frame
    assert paragraphs["Skutečnost (Kč)"].sum() == pytest.approx(jihlava.value(jihlava.head, data.SOCIAL, "2023")[0])
    assert paragraphs["Podíl na § 43xx (%)"].sum() == pytest.approx(100)
    comparison = data.comparison(jihlava, "2023").frame
    assert comparison["Území"].tolist() == ["ORP Jihlava", "Kraj Vysočina", "Česká republika"]
    assert comparison["Obcí s údaji"].tolist() == [4, 4, 4]
    later = data.comparison(jihlava, "2024").frame  # no population k 1. 1. 2024: numbers missing, still numbers
    assert later["Na obyvatele (Kč)"].isna().all() and later["Na obyvatele (Kč)"].dtype == float


def test_golden_image(jihlava, tmp_path):
    fig = charts.per_capita_by_unit(data.per_capita_by_unit(jihlava, "2023"), data.reference_lines(jihlava, "2023"),
                                    "Výdaje na sociální oblast na obyvatele v obcích území ORP Jihlava, 2023",
                                    jihlava.source(data.PER_CAPITA))
    assert_golden(fig, "financing_per_capita", tmp_path)


@pytest.mark.slow
def test_chapter_renders_for_orp_jihlava(data_dir, tmp_path):
    with duckdb.connect(str(data_dir.warehouse), read_only=True) as con:
        assert "financovani" in [c.name for c in chapters.present(con)]
    out = render_study("orp:6105", tmp_path / "financovani", data_dir, chapter="financovani")
    manifest = verify(out)["polozky"]
    assert [plain(i["text"]) for i in manifest if i["typ"] == "kapitola"] == [f"{n}. {t}" for n, t in enumerate(TITLES, 1)]
    # per inhabitant: 2023, the latest year with population k 1. 1.
    assert plain([i["popisek"] for i in manifest if i["typ"] == "graf"][1]).endswith("v roce 2023")
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    assert "Traceback" not in page and "úhrady zdravotních pojišťoven" in page
    assert tool_internals(page) == set()


@pytest.mark.slow
def test_chapter_renders_for_one_obec(data_dir, tmp_path):
    """An obec is its own only unit: no table of its obce, the comparison is a chapter of its own."""
    out = render_study("obec:588032", tmp_path / "financovani", data_dir, chapter="financovani")
    manifest = verify(out)["polozky"]
    assert [plain(i["text"]) for i in manifest if i["typ"] == "kapitola"] == [f"{n}. {t}" for n, t in enumerate(
        ["Výdaje obcí na sociální oblast", "Vývoj v letech", "Srovnání s okolím v roce 2023",
         "Výdaje podle paragrafů v roce 2023", "Co Monitor státní pokladny neobsahuje", "Zdroje a metodika"], 1)]
    assert [plain(i["popisek"]) for i in manifest if i["typ"] == "tabulka"][1] == (
        "Výdaje na sociální oblast v roce 2023: Třešť a srovnávací území")


@pytest.mark.slow
def test_run_adds_the_chapter_to_the_study_of_strelice_orp(tmp_path_factory, tmp_path):
    for path in (*REAL_IMPORT, STRELICE):
        real(path)
    target = copy_data_dir(real_data_dir(tmp_path_factory), tmp_path_factory.mktemp("slapanice") / "data")
    result = run_sprss("import", STRELICE, "--obec", "583910", data=target)
    assert result.returncode == 0, result.stderr
    result = run_sprss("run", "--territory", "orp:6216", "--out", tmp_path / "orp", data=target, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "financovani" in result.stderr
    page = plain((tmp_path / "orp" / "financovani" / "studie.html").read_text(encoding="utf-8"))
    assert "Financování sociálních služeb obcemi: ORP Šlapanice" in page
    assert "jen 1 obec území z celkového počtu 40 obcí (Střelice)" in page
    items = verify(tmp_path / "orp" / "financovani")["polozky"]
    assert [Path(i["png"]).name for i in items if i["typ"] == "graf"] == ["01_vyvoj.png", "02_na_obyvatele.png"]


def test_a_kraj_lists_its_orp_with_how_many_obce_each_sum_rests_on(data_dir):
    """700 obce of a kraj would be 700 bars and rows; its ORP carry their obce's sums (and say how many have data)."""
    kraj = data.load("kraj:3107", data_dir.root)
    assert not kraj.by_obce and {a.typ for a in kraj.units} == {"orp"}
    table = data.by_unit(kraj, "2024").frame
    assert list(table.columns[:4]) == ["ORP", "Kód", "Obcí s údaji", "Obcí celkem"]
    jihlava = table.set_index("ORP").loc["Jihlava"]
    orp = data.load("orp:6105", data_dir.root)
    assert jihlava["Skutečnost (Kč)"] == orp.value(orp.head, data.SOCIAL, "2024")[0]
    assert jihlava["Obcí s údaji"] == 3 and "Podíl na výdajích obcí (%)" in table
    assert list(data.per_capita_by_unit(kraj, "2023").index) == [
        a.nazev for a in kraj.units_with_data("2023") if kraj.value(a, data.PER_CAPITA, "2023")]
    out = render_study("kraj:3107", data_dir.root.parent / "kraj_fin", data_dir, chapter="financovani")
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    assert "Výdaje obcí v ORP Kraje Vysočina na sociální oblast v roce 2024" in page
    assert "Výdaje obcí v ORP v roce 2024" in page and tool_internals(page) == set()
    out = render_study("orp:6105", data_dir.root.parent / "orp_fin", data_dir, chapter="financovani")
    assert "Výdaje obcí území ORP Jihlava na sociální oblast v roce 2024" in plain((out / "studie.html").read_text(
        encoding="utf-8"))
