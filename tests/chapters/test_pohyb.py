"""The chapter "Pohyb obyvatelstva" on the synthetic 130141 file: sentences true for tiny obce and zero bases, the
tables hold the indicator values, one golden chart, and the notebook renders."""
import pandas as pd
import pytest

from builders import (
    FIXTURES,
    assert_golden,
    copy_data_dir,
    invoke_sprss,
    plain,
    synthetic_territory_data_dir,
    tool_internals,
)
from pipeline.chapters.pohyb import charts, data, findings, tables
from pipeline.core.territory import Area

MOVEMENT = FIXTURES / "synthetic_csu_130141_jihlava.csv"
OBEC = Area("obec", "587290", "Jihlávka", ("587290",))


@pytest.fixture(scope="module")
def movement_dir(tmp_path_factory):
    data_dir = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("pohyb_ch") / "data")
    result = invoke_sprss("import", MOVEMENT, data=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture(scope="module")
def jihlava(movement_dir) -> data.MovementData:
    return data.load("obec:586846", movement_dir.root)


def year(**values) -> pd.Series:
    base = {"obdobi": "2022-12-31", "zive_narozeni": 0.0, "zemreli": 0.0, "prirustek_stehovanim": 0.0}
    return pd.Series(base | values)


@pytest.mark.parametrize(("values", "expected"), [
    ({}, "V roce 2022 se v území obce Jihlávka nenarodilo žádné dítě a nikdo nezemřel (nulový přirozený přírůstek); "
         "stěhováním se počet obyvatel nezměnil. Celkově jde o nulový přírůstek."),
    ({"zive_narozeni": 1.0, "zemreli": 1.0, "prirustek_stehovanim": -1.0},
     "V roce 2022 se v území obce Jihlávka narodilo 1 dítě a zemřel 1 obyvatel (nulový přirozený přírůstek); "
     "stěhováním ubyl 1 obyvatel. Celkově jde o úbytek 1 obyvatele."),
    ({"zive_narozeni": 3.0, "zemreli": 2.0, "prirustek_stehovanim": 4.0},
     "V roce 2022 se v území obce Jihlávka narodily 3 děti a zemřeli 2 obyvatelé (přirozený přírůstek 1 obyvatele); "
     "stěhováním přibyli 4 obyvatelé. Celkově jde o přírůstek 5 obyvatel."),
    ({"zive_narozeni": 1234.0, "zemreli": 5.0, "prirustek_stehovanim": 12.0},
     "V roce 2022 se v území obce Jihlávka narodilo 1\u202f234 dětí a zemřelo 5 obyvatel (přirozený přírůstek "
     "1\u202f229 obyvatel); stěhováním přibylo 12 obyvatel. Celkově jde o přírůstek 1\u202f241 obyvatel."),
])
def test_year_sentence_is_true_for_small_and_zero_counts(values, expected):
    assert findings.year_sentence(year(**values), Area("obec", "587290", "Jihlávka", ("587290",))) == expected


def test_small_obce_sentence_agrees_in_number():
    sums = pd.DataFrame({"uzemi_typ": ["obec"] * 3, "stredni_stav": [500.0, 1000.0, 99_000.0], "roku": [5, 5, 1]})
    assert findings.small_obce(sums, 1000).startswith("2 obce území mají méně než 1\u202f000 obyvatel")
    assert findings.small_obce(sums.iloc[[0]], 1000).startswith("1 obec území má méně než")
    assert "v ní změní" in findings.small_obce(sums.iloc[[0]], 1000)
    assert findings.small_obce(sums.iloc[[2]], 1000) is None


def test_rates_without_a_base_are_left_out(jihlava):
    zero = pd.DataFrame({"uzemi_typ": ["obec"], "uzemi_kod": ["1"], "uzemi_nazev": ["Nikdo"], "uzemi_poradi": [0],
                         "obdobi": ["2022-12-31"], "zpusob": ["zverejneno"], "zive_narozeni": [0.0], "zemreli": [0.0],
                         "prirozeny_prirustek": [0.0], "pristehovali": [0.0], "vystehovali": [0.0],
                         "prirustek_stehovanim": [0.0], "celkovy_prirustek": [0.0], "stredni_stav": [0.0]})
    from pipeline.indicators import pohyb
    tidy = pohyb.tidy(zero)
    assert not tidy["ukazatel"].str.startswith("mira_").any()
    assert findings.rate_comparison(tidy, [Area("obec", "1", "Nikdo", ("1",))], "mira_porodnosti", "X", "2022-12-31") \
        is None


def test_tables_hold_the_indicator_values(jihlava):
    own = jihlava.of(jihlava.head)
    t = tables.yearly(own)
    assert t.frame["Rok"].tolist() == ["2018", "2019", "2020", "2021", "2022"]
    assert t.frame["Živě narození"].tolist() == own["zive_narozeni"].tolist()
    five = tables.five_year(jihlava.sums, [jihlava.head])
    total = jihlava.sum_of(jihlava.head)
    assert five.frame.loc[0, "Období"] == "2018–2022"
    assert five.frame.loc[0, "Hrubá míra porodnosti (‰)"] == pytest.approx(total["zive_narozeni"] / total["stredni_stav"]
                                                                         * 1000)
    assert findings.five_years(total, jihlava.head).startswith("Za území obce Jihlava v letech 2018–2022: živě narozených")


def test_golden_image(jihlava, tmp_path):
    assert_golden(charts.increase(jihlava.of(jihlava.head), jihlava.head), "movement_increase", tmp_path)


def test_chapter_renders_for_a_custom_territory_with_net_migration_only(movement_dir, tmp_path):
    selector = tmp_path / "trojice.yaml"
    selector.write_text("nazev: Trojice\nobce: [586846, 587290, 587478]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke_sprss("report", "--territory", str(selector), "--chapter", "pohyb", "--out", str(out),
                          data=movement_dir)
    assert result.returncode == 0, result.stderr
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    assert "jen přírůstek stěhováním" in page and "Přistěhovalí a vystěhovalí v území" not in page
    assert "Pohyb obyvatel v obcích území" in page
    assert tool_internals(page) == set()


def test_a_kraj_tabulates_its_orp(movement_dir, tmp_path):
    """The five-year table of a kraj lists its ORP (the obce of a kraj would fill tens of pages)."""
    kraj = data.load("kraj:3107", movement_dir.root)
    assert kraj.units and {a.typ for a in kraj.units} == {"orp"}
    table = tables.five_year(kraj.sums, [kraj.head, *kraj.units]).frame
    assert list(table["Území"]) == ["Kraj Vysočina", "ORP Jihlava"]  # the synthetic file has the obce of one ORP
    out = tmp_path / "kraj"
    result = invoke_sprss("report", "--territory", "kraj:3107", "--chapter", "pohyb", "--out", str(out), data=movement_dir)
    assert result.returncode == 0, result.stderr
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    assert "Pohyb obyvatel v ORP Kraje Vysočina: součty" in page and "U malých obcí" not in page
    assert "Míry ve srovnání s ČR" in page  # a kraj has no kraj to compare with


def test_the_rates_heading_names_the_areas_compared():
    """'Míry ve srovnání s krajem a ČR' stood above an empty section of ČR and above Praha (compared with ČR only)."""
    from pipeline.chapters.shared import compared_with
    from pipeline.core.territory import Area
    orp, kraj, stat = (Area(t, "1", "X", ()) for t in ("orp", "kraj", "stat"))
    levels = ("orp", "okres", "kraj", "stat")
    assert compared_with([orp, kraj, stat], levels) == "s ORP, krajem a ČR"
    assert compared_with([kraj, stat], levels) == "s krajem a ČR"
    assert compared_with([stat], levels) == "s ČR" and compared_with([stat]) == "s ČR"
    assert compared_with([], levels) == ""
    assert compared_with([orp, kraj, stat]) == "s krajem a ČR"  # the outlook compares with kraj and ČR only
