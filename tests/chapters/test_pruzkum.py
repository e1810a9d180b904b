"""The chapter "Výsledky dotazníkového šetření" (notebooks/pruzkum.py, `sprss survey report`): the Google Forms
fixture imported for ORP Jihlava, and for a territory file with oblasti rendered with weights. Its outputs are the
study's set; every number in its workbook is the one `sprss survey tabulate` gives for the same survey and
weighting; nothing of a rejected row (here the obce 'Brno' and 'Brtnce' typed only there) reaches any output.
"""
import io
from pathlib import Path
import re
from types import SimpleNamespace

import docx
import duckdb
from openpyxl import load_workbook
import pandas as pd
from PIL import Image
import pytest

from builders import invoke_sprss
from pipeline.chapters.pruzkum import data as survey_chapter
from pipeline.core.errors import SprssError
from pipeline.core.text import typeset
from pipeline.render.document import verify
from survey_support import GOOGLE_CODEBOOK, GOOGLE_CSV, fresh_data_dir, import_google

CHYBI = "sluzby_obci_chybi"
SINGLE_MULTI = ["pecujete_nekoho_blizkeho", "socialni_sluzby_vyuzivate_nekdo"]
LIKERT = ["dostatek_informaci_socialnich_sluzbach", "spokojen_socialnimi_sluzbami_obci"]
TITLES = ["Kdo odpověděl", "Reprezentativnost", "Výsledky podle otázek", "Chybějící služby", "Rozdíly podle věku",
          "Volné odpovědi", "Zdroje a metodika"]
REJECTED_ONLY = re.compile(r"\bBrno\b|Brtnce")
SHARE_COLUMNS = ["Možnost", "Počet", "Podíl (%)", "95% interval od (%)", "95% interval do (%)", "Odpovědělo"]
JIHLAVSKO = ("nazev: Jihlavsko (test)\nobce: [Jihlava, Třešť, Polná, Brtnice, Luka nad Jihlavou, 587346, Dušejov]\n"
             "oblasti:\n  Jih: [Jihlava, Luka nad Jihlavou]\n  Západ: [Třešť, 587346]\n  Sever: [Polná, Brtnice]\n")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = fresh_data_dir(tmp_path_factory, tmp_path_factory.mktemp("pruzkum"))
    result = import_google(data)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture(scope="module")
def chapter(data, tmp_path_factory) -> Path:
    """`sprss survey report --name obcane` in a working directory, into the default output directory."""
    work = tmp_path_factory.mktemp("prace")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(work)
        result = invoke_sprss("survey", "report", "--name", "obcane", data=data)
    assert result.returncode == 0, result.stderr
    out = work / "reports" / "orp-jihlava" / "pruzkum-obcane"
    assert str(out / "studie.html") in result.stderr
    return out


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    """A territory file with oblasti, removed after the import (the survey keeps its copy); weights by population."""
    folder = tmp_path_factory.mktemp("jihlavsko")
    data = fresh_data_dir(tmp_path_factory, folder)
    area = folder / "jihlavsko.yaml"
    area.write_text(JIHLAVSKO, encoding="utf-8")
    result = invoke_sprss("survey", "import", GOOGLE_CSV, "--codebook", GOOGLE_CODEBOOK, "--territory", area,
                          "--name", "jihlavsko", data=data)
    assert result.returncode == 0, result.stderr
    area.unlink()
    result = invoke_sprss("survey", "report", "--name", "jihlavsko", "--weight", "populace", "--out",
                          folder / "kapitola", data=data)
    assert result.returncode == 0, result.stderr
    return data, folder / "kapitola"


def tabulate(data, *args) -> pd.DataFrame:
    result = invoke_sprss("survey", "tabulate", *args, data=data)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"obec_kod": str})


def items(out: Path, typ: str) -> list[dict]:
    return [item for item in verify(out)["polozky"] if item["typ"] == typ]


def sheet(out: Path, stem: str) -> pd.DataFrame:
    """The workbook sheet of the chapter's table `stem`: caption row, header, data rows, then the source line."""
    table = next(t for t in items(out, "tabulka") if t["list"] == f"{t['cislo']:02d}_{stem}"[:31])
    cells = load_workbook(out / "tabulky.xlsx")[table["list"]].iter_rows(min_row=2, max_row=2 + table["radku"])
    rows = [[round(c.value * 100, 9) if c.number_format.endswith("%") and c.value is not None else c.value
             for c in row] for row in cells]  # shares are fractions in a percent format: back to the printed %
    return pd.DataFrame(rows[1:], columns=rows[0])


def percent(values) -> list:
    return [None if pd.isna(v) else round(v * 100, 1) for v in values]


def shares(tidy: pd.DataFrame, question: str) -> list[list]:
    """What the chapter prints for one question: counts, shares and Wilson intervals in % (one decimal)."""
    rows = tidy[(tidy["otazka"] == question) & (tidy["moznost"] != "průměr")]
    return [[m, c, p, low, high, n] for m, c, p, low, high, n in zip(
        rows["moznost"], rows["pocet"], percent(rows["podil"]), percent(rows["podil_ci_dolni"]),
        percent(rows["podil_ci_horni"]), rows["n_odpovedi"])]


def printed(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [list(row) for row in frame[columns].itertuples(index=False)]


def texts(out: Path) -> list[str]:
    """Everything a reader of the chapter sees: the page, the Word document, every workbook cell, the manifest."""
    document = docx.Document(out / "studie.docx")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    book = load_workbook(out / "tabulky.xlsx")
    values = [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row]
    return [(out / "studie.html").read_text(encoding="utf-8"), " ".join(p.text for p in document.paragraphs),
            " ".join(cells), " ".join(values), (out / "manifest.json").read_text(encoding="utf-8")]


# --- outputs --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_same_output_set_as_the_study(chapter):
    assert {p.name for p in chapter.iterdir()} == {"grafy", "manifest.json", "studie.docx", "studie.html",
                                                   "studie.ipynb", "tabulky.xlsx"}
    charts = items(chapter, "graf")
    assert sorted(p.name for p in (chapter / "grafy").iterdir()) == sorted(
        Path(c[k]).name for c in charts for k in ("png", "svg"))
    for number, chart in enumerate(charts, start=1):
        assert Path(chart["png"]).name.startswith(f"{number:02d}_")
        with Image.open(chapter / chart["png"]) as image:
            assert [round(v) for v in image.info["dpi"]] == [300, 300]
            assert abs(image.width - 16 / 2.54 * 300) <= 1
    # age representation, 2 questions, 2 Likert scales, missing services, its 3 most chosen by age band
    assert len(charts) == 1 + 2 + 2 + 1 + 3
    headings = [i["text"] for i in verify(chapter)["polozky"] if i["typ"] == "kapitola"]
    assert headings == [typeset(f"{n}. {t}") for n, t in enumerate(TITLES, start=1)]


@pytest.mark.slow
def test_html_page_is_text_and_outputs_only(chapter):
    page = (chapter / "studie.html").read_text(encoding="utf-8")
    assert "<title>Výsledky dotazníkového šetření: ORP Jihlava</title>" in page
    assert 'class="jp-InputArea' not in page
    assert "Traceback" not in page and "Warning" not in page
    assert page.count('src="data:image/png;base64,') == len(items(chapter, "graf"))
    assert re.findall(r"<h2[^>]*>([^<]+)", page) == [typeset(f"{n}. {t}") for n, t in enumerate(TITLES, start=1)]


@pytest.mark.slow
def test_docx_has_every_chart_under_its_caption(chapter):
    document = docx.Document(chapter / "studie.docx")
    charts = items(chapter, "graf")
    assert len(document.inline_shapes) == len(charts)
    assert all(abs(shape.width.cm - 16) < 0.01 for shape in document.inline_shapes)
    paragraphs = document.paragraphs
    captions = [n for n, p in enumerate(paragraphs) if re.match(r"Graf \d+:", p.text)]
    assert [paragraphs[n].text for n in captions] == [f"Graf {c['cislo']}: {c['popisek']}" for c in charts]
    assert [c["cislo"] for c in charts] == list(range(1, len(charts) + 1))
    assert all(paragraphs[n + 1]._p.xpath(".//pic:pic") for n in captions)  # the picture right under its caption


@pytest.mark.slow
def test_nothing_of_rejected_rows_is_shown(chapter, weighted):
    for out in (chapter, weighted[1]):
        for text in texts(out):
            assert not REJECTED_ONLY.search(text)
    reasons = sheet(chapter, "odmitnute")
    assert dict(zip(reasons["Důvod"], reasons["Řádků"])) == {
        "chybí odpověď na povinnou otázku „Ve které obci žijete?“": 1,
        "duplicitní odeslání (stejné odpovědi odeslané znovu)": 1, "obec mimo území průzkumu": 1,
        "obec, kterou nelze určit (překlep nebo neznámý název)": 1}


# --- numbers are those of `sprss survey tabulate` ---------------------------------------------------------------


@pytest.mark.slow
def test_question_tables_equal_tabulate(chapter, data):
    tidy = tabulate(data, "--name", "obcane")
    for question in SINGLE_MULTI + LIKERT:
        assert printed(sheet(chapter, question), SHARE_COLUMNS) == shares(tidy, question)
    ranking = sheet(chapter, "chybejici_sluzby")
    assert sorted(printed(ranking, SHARE_COLUMNS)) == sorted(shares(tidy, CHYBI))
    assert list(ranking["Možnost"][:2]) == ["Odlehčovací služby", "Domov pro seniory"]
    means = tidy[tidy["moznost"] == "průměr"].set_index("otazka")
    for row in sheet(chapter, "prumery").itertuples(index=False):
        mean = means[means["otazka_text"] == row[0]].iloc[0]
        assert list(row[1:]) == [mean["n_odpovedi"], round(mean["prumer"], 2), round(mean["prumer_ci_dolni"], 2),
                                 round(mean["prumer_ci_horni"], 2)]
    overview = sheet(chapter, "prehled").set_index("Ukazatel")["Hodnota"]
    assert overview["Platných odpovědí"] == tidy.loc[tidy["otazka"] == "obec", "n_odpovedi"].iloc[0] == 13


@pytest.mark.slow
def test_age_tables_equal_tabulate(chapter, data):
    by_age = tabulate(data, "--name", "obcane", "--by", "vek")
    check_breakdown(sheet(chapter, f"vek_{CHYBI}"), by_age, CHYBI)
    representation = tabulate(data, "--name", "obcane", "--table", "reprezentativnost")
    check_representation(sheet(chapter, "zastoupeni_vek"), representation, "vek")
    obce = sheet(chapter, "obce")
    assert dict(zip(obce["Obec"], obce["Respondentů"])) == {
        "Jihlava": 5, "Třešť": 3, "Polná": 2, "Brtnice": 1, "Luka nad Jihlavou": 1, "Kamenice": 1}


@pytest.mark.slow
def test_weighted_chapter_with_oblasti_equals_weighted_tabulate(weighted):
    data, out = weighted
    tidy = tabulate(data, "--name", "jihlavsko", "--weight", "populace")
    for question in SINGLE_MULTI + LIKERT:
        assert printed(sheet(out, question), SHARE_COLUMNS) == shares(tidy, question)
    by_oblast = tabulate(data, "--name", "jihlavsko", "--weight", "populace", "--by", "oblast")
    check_breakdown(sheet(out, f"oblast_{CHYBI}"), by_oblast, CHYBI)
    representation = tabulate(data, "--name", "jihlavsko", "--table", "reprezentativnost")
    check_representation(sheet(out, "zastoupeni_oblast"), representation, "oblast")
    assert list(sheet(out, "zastoupeni_oblast")["Oblast"]) == ["Jih", "Sever", "Západ", "mimo oblasti"]  # Dušejov
    headings = [i["text"] for i in verify(out)["polozky"] if i["typ"] == "kapitola"]
    assert typeset("5. Rozdíly podle věku a oblastí") in headings
    assert any("Výsledky jsou **váženy podle počtu obyvatel**" in i.get("text", "") for i in verify(out)["polozky"])


def check_breakdown(printed_table: pd.DataFrame, tidy: pd.DataFrame, question: str) -> None:
    """Columns 'skupina (%; n = N)' of the chapter against the groups of the tidy breakdown."""
    rows = tidy[(tidy["otazka"] == question) & (tidy["moznost"] != "průměr")]
    for header in printed_table.columns[1:]:
        group, n = re.fullmatch(r"(.+) \(%; n = (\d+)\)", header).groups()
        mine = rows[rows["skupina"] == ("celkem" if group == "Celkem" else group)].set_index("moznost")
        assert (mine["n_odpovedi"] == int(n)).all()
        assert list(printed_table[header]) == percent(mine.loc[printed_table["Možnost"], "podil"])


def check_representation(printed_table: pd.DataFrame, tidy: pd.DataFrame, kind: str) -> None:
    rows = tidy[tidy["skupina_typ"] == kind]
    assert printed(printed_table, list(printed_table.columns)) == [
        [g, r, pr, round(o), po, round(i, 2)] for g, r, pr, o, po, i in zip(
            rows["skupina"], rows["respondentu"], percent(rows["podil_respondentu"]), rows["obyvatel"],
            percent(rows["podil_obyvatel"]), rows["index_zastoupeni"])]


# --- errors and helpers -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_unknown_survey_is_one_czech_line(data):
    result = invoke_sprss("survey", "report", "--name", "neni", data=data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == ("Chyba: Průzkum 'neni' není ve skladu dat; ve skladu jsou: obcane. "
                                     "Importujte ho: sprss survey import.")


@pytest.mark.slow
def test_chapter_refuses_another_territory(data):
    with pytest.raises(SprssError, match="Průzkum obcane se týká území Jihlava, ne ORP Třebíč"):
        survey_chapter.load("obcane", "orp:Třebíč", data.root)


def test_rejection_reasons_are_counted_without_the_answers():
    con = duckdb.connect()
    con.execute("CREATE TABLE pruzkum_odmitnute (pruzkum TEXT, radek INTEGER, duvod TEXT)")
    reasons = ["obec 'Brno' není v území ORP Jihlava", "neznámá obec 'Brtnce' (nejbližší obec území: Brtnice)",
               "chybí odpověď na povinnou otázku vek; odpověď 'asi ano' na otázku pece není v kódovníku",
               "duplicitní odeslání: stejné odpovědi jako řádek 11", "odpověď 'hodně' na otázku platba není číslo",
               "obec 'Nová Ves' je v území vícekrát (1, 2); uveďte kód obce",
               "hodnota 'x' ve sloupci Q5_1 (otázka sluzby) má být 0 nebo 1", "důvod, který tu ještě není"]
    con.executemany("INSERT INTO pruzkum_odmitnute VALUES ('p', ?, ?)", list(enumerate(reasons)))
    survey = SimpleNamespace(name="p", questions=pd.DataFrame({"otazka": ["vek", "pece"],
                                                               "text": ["Kolik je Vám let?", "Pečujete?"]}))
    table = survey_chapter.rejections(con, survey)
    assert dict(zip(table["Důvod"], table["Řádků"])) == {
        "chybí odpověď na povinnou otázku „Kolik je Vám let?“": 1, "duplicitní odeslání (stejné odpovědi odeslané "
        "znovu)": 1, "hodnota jiná než 0 a 1 u otázky „sluzby“": 1, "jiný důvod": 1,
        "název obce, který je v území vícekrát": 1, "nečíselná odpověď na otázku „platba“": 1,
        "obec mimo území průzkumu": 1, "obec, kterou nelze určit (překlep nebo neznámý název)": 1,
        "odpověď mimo možnosti otázky „Pečujete?“": 1}
    assert not table["Důvod"].str.contains("Brno|Brtnce|asi ano|hodně|Nová Ves").any()
