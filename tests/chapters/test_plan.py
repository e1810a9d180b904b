"""`sprss plan init` and `sprss plan evaluate` end to end: the template, filled as an analyst fills it, evaluated for
ORP Jihlava on the real population files from ../shared and the synthetic registry pair; the filled workbook holds
exactly the values `sprss indicators` and `sprss coverage` print, the report "Vyhodnocení plnění plánu" (DOCX, XLSX,
HTML) its tables; next year's run on the filled workbook keeps what the analyst wrote; bad input is one Czech line
and writes nothing."""
from datetime import date
import io

import docx
from openpyxl import load_workbook
import pandas as pd
import pytest

from builders import FIXTURES, invoke_sprss, plain, sha256, tool_internals
from pipeline.chapters.plan import data as plan_data
from pipeline.chapters.plan import workbook
from pipeline.render.document import verify
from pipeline.sources import akcni_plan
from plan_support import ROW, START, filled, save
from registry_support import FIXTURE, ON, with_registry

LATER = FIXTURES / "synthetic_rpss_jihlava_2025_12.json"
END = date(2025, 12, 31)
ORP = "orp:6105"
SKUTECNOST, STAV = 10, 11  # columns of the template
ROWS = [
    {**ROW},  # kapacita:13:pob:luzka 120 -> 140
    {**ROW, "opatreni": "1.2 Péče doma", "aktivita": "Rozšířit pečovatelskou službu", "ukazatel": "sluzby:4",
     "vychozi_hodnota": 1, "cilova_hodnota": 2},
    {**ROW, "opatreni": "1.3 Demografie", "aktivita": "Sledovat stárnutí", "ukazatel": "obyvatel_65_plus",
     "vychozi_hodnota": 20000, "cilova_hodnota": 21000},
    {"priorita": "2 Rodiny", "opatreni": "2.1 Poradenství", "aktivita": "Zřídit poradnu", "vychozi_hodnota": "ne",
     "cilova_hodnota": "ano", "stav": "zrušeno", "komentar": "nebyl zájem"},
    {"priorita": "2 Rodiny", "opatreni": "2.2 Populace", "aktivita": "Podíl seniorů", "ukazatel": "podil_65_plus",
     "vychozi_hodnota": 25, "cilova_hodnota": 20},
]
PLAN = {"Název plánu": "Komunitní plán ORP Jihlava 2025–2027", START: "2025-07-01"}


@pytest.fixture(scope="module")
def data(real_warehouse, tmp_path_factory):
    return with_registry(real_warehouse, tmp_path_factory.mktemp("plan") / "data", (FIXTURE, ON), (LATER, END))


def csv(*args, data):
    result = invoke_sprss(*args, data=data)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str, "druh_kod": str})


def cells(path, column):
    ws = load_workbook(path)[akcni_plan.SHEET]
    return [ws.cell(row, column).value for row in range(2, 2 + len(ROWS))]


def test_init(data, tmp_path):
    bare = tmp_path / "bez-skladu.xlsx"
    result = invoke_sprss("plan", "init", "--output", bare, data=tmp_path / "prazdny")
    assert result.returncode == 0, result.stderr
    book = load_workbook(bare)
    assert book.sheetnames == ["Aktivity", "Plán", "Návod", "Ukazatele"]
    assert [c.value for c in book["Aktivity"][1]] == akcni_plan.COLUMNS
    again = invoke_sprss("plan", "init", "--output", bare, data=tmp_path / "prazdny")
    assert again.returncode == 1 and "už existuje" in again.stderr
    listed = tmp_path / "se-skladem.xlsx"
    assert invoke_sprss("plan", "init", "--output", listed, data=data).returncode == 0
    names = {row[0].value: row[1].value for row in load_workbook(listed)["Ukazatele"].iter_rows(min_row=2)}
    assert names["kapacita:13:pob:luzka"] == "Kapacita: domovy pro seniory, pobytová forma (lůžka)"
    assert names["sluzby:4"] == "Počet služeb: pečovatelská služba"
    assert names["13"] == "domovy pro seniory" and names["pob"] == "pobytová"
    assert "kapacita:13:pob:luzka" in {row[0].value for row in book["Ukazatele"].iter_rows(min_row=2)}


def test_evaluate(data, tmp_path):
    source = save(tmp_path / "akcni-plan.xlsx", filled(ROWS, PLAN))
    before = sha256(source)
    out = tmp_path / "vyhodnoceni"
    result = invoke_sprss("plan", "evaluate", source, "--territory", ORP, "--date", END.isoformat(), "--out", out, data=data)
    assert result.returncode == 0, result.stderr
    assert sha256(source) == before  # the analyst's workbook is never written
    verify(out)
    for name in (workbook.FILLED, "studie.docx", "studie.html", "tabulky.xlsx"):
        assert (out / name).exists()

    # an XLSX keeps 16 significant digits (openpyxl writes '%.16g'): compare with the XLSX of sprss indicators
    listed = tmp_path / "ukazatele.xlsx"
    assert invoke_sprss("indicators", "--territory", ORP, "--format", "xlsx", "--output", listed, data=data).returncode == 0
    indicators = pd.DataFrame(list(load_workbook(listed).active.values)[1:-2],
                              columns=next(load_workbook(listed).active.values))
    orp = indicators[indicators["uzemi_typ"] == "orp"].set_index(["ukazatel", "obdobi"])["hodnota"]
    coverage = csv("coverage", "--territory", ORP, "--date", END.isoformat(), data=data)
    beds = coverage[(coverage["uzemi_typ"] == "orp") & (coverage["druh_kod"] == "13")]["kapacita"].item()
    values = cells(out / workbook.FILLED, SKUTECNOST)
    assert values == [beds, 1, orp["obyvatel_65_plus", "2020-12-31"], None, orp["podil_65_plus", "2020-12-31"]]
    assert cells(out / workbook.FILLED, STAV) == ["splněno", "nesplněno", "nesplněno", "zrušeno", "splněno"]
    comment = load_workbook(out / workbook.FILLED)[akcni_plan.SHEET].cell(4, SKUTECNOST).comment
    assert comment.author == "sprss" and "ORP Jihlava, k 31. 12. 2020." in comment.text

    document = docx.Document(out / "studie.docx")
    headings = [plain(p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Přehled plnění podle priorit", "2. Aktivity plánu", "3. Změny sociálních služeb od začátku plánu",
                        "4. Vývoj ukazatelů", "5. Metodika"]
    overview = [[plain(c.text) for c in row.cells] for row in document.tables[0].rows]
    assert overview[0] == ["Priorita", "Splněno", "Částečně splněno", "Nesplněno", "Zrušeno", "Průběžně plněno",
                           "Bez hodnocení", "Celkem"]
    assert overview[1:] == [["1 Senioři", "1", "0", "2", "0", "0", "0", "3"], ["2 Rodiny", "1", "0", "0", "1", "0", "0", "2"],
                            ["Celkem", "2", "0", "2", "1", "0", "0", "5"]]
    fulfilment = [[plain(c.text) for c in row.cells] for row in document.tables[2].rows]
    assert fulfilment[1] == ["2", "120", "140", "190", "31. 12. 2025", "350", "splněno*"]
    assert fulfilment[4] == ["5", "ne", "ano", "–", "–", "–", "zrušeno"]
    changes = csv("changes", "--territory", ORP, "--from", "2025-07-01", "--to", END.isoformat(), data=data)
    by_type = [[c.text for c in row.cells] for row in document.tables[3].rows[1:]]
    assert sum(int(n) for row in by_type for n in row[1:]) == len(changes)
    assert [plain(row.cells[-1].text) for row in document.tables[4].rows[1:]] == list(changes["detail"])
    page = (out / "studie.html").read_text(encoding="utf-8")
    assert "Vyhodnocení plnění plánu: ORP Jihlava" in page and "Tabulka 1:" in page
    assert tool_internals(page) == set()
    charts = sorted(p.name for p in (out / "grafy").glob("*.png"))
    assert charts == ["01_kapacita_13_pob_luzka.png", "02_sluzby_4.png", "03_obyvatel_65_plus.png", "04_podil_65_plus.png"]


def test_next_year_keeps_the_analysts_entries(data, tmp_path):
    first = plan_data.load(save(tmp_path / "plan.xlsx", filled(ROWS, PLAN)), ORP, data.root, date(2025, 7, 15))
    year_one = save(tmp_path / "rok1.xlsx", workbook.filled(first.workbook, first.evaluation))
    assert cells(year_one, SKUTECNOST)[0] == 180  # the edition of 30. 6. 2025

    def analyst(book):  # the analyst corrects one value and judges one activity by hand
        ws = book[akcni_plan.SHEET]
        ws.cell(3, SKUTECNOST).value = 2
        ws.cell(4, STAV).value = "průběžně plněno"
    edited = save(tmp_path / "rok1-upraveno.xlsx", filled([], edit=analyst, base=year_one.read_bytes()))
    second = plan_data.load(edited, ORP, data.root, END)
    year_two = save(tmp_path / "rok2.xlsx", workbook.filled(second.workbook, second.evaluation))
    assert cells(year_two, SKUTECNOST)[:3] == [190, 2, cells(year_one, SKUTECNOST)[2]]  # 180 -> 190: sprss's own, refreshed
    # row 3: the analyst's 2 reaches the target (sprss judges it); row 4: the analyst's state stays
    assert cells(year_two, STAV) == ["splněno", "splněno", "průběžně plněno", "zrušeno", "splněno"]
    ws = load_workbook(year_two)[akcni_plan.SHEET]
    assert ws.cell(3, SKUTECNOST).comment is None  # sprss's note no longer describes the analyst's value
    assert "k 31. 12. 2025" in ws.cell(2, SKUTECNOST).comment.text
    third = plan_data.load(year_two, ORP, data.root, END)
    assert workbook.filled(third.workbook, third.evaluation) and [r.skutecnost for r in third.rows][:2] == [190, 2]


@pytest.mark.parametrize(("content", "message"), [
    (lambda: filled([ROW, {**ROW, "ukazatel": "seniori"}]),
     "Chyba: List Aktivity, řádek 3: neznámý ukazatel 'seniori'"),
    (lambda: filled([ROW], edit=lambda b: setattr(b[akcni_plan.SHEET], "title", "Aktivity 2025")),
     "Chyba: soubor plan.xlsx: chybí list 'Aktivity'"),
    (lambda: filled([ROW], edit=lambda b: b[akcni_plan.SHEET].delete_cols(10)),
     "Chyba: soubor plan.xlsx: list Aktivity: v záhlaví (řádek 1) chybí sloupce skutecnost"),
    (lambda: filled([{**ROW, "cilova_hodnota": "více lůžek"}]),
     "Chyba: soubor plan.xlsx, řádek 2: list Aktivity, sloupec cilova_hodnota: 'více lůžek' není číslo"),
])
def test_bad_input_writes_nothing(data, tmp_path, content, message):
    source = save(tmp_path / "plan.xlsx", content())
    out = tmp_path / "vystup"
    result = invoke_sprss("plan", "evaluate", source, "--territory", ORP, "--date", END.isoformat(), "--out", out, data=data)
    assert result.returncode == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert not out.exists()


def test_never_over_the_input(data, tmp_path):
    source = save(tmp_path / workbook.FILLED, filled([ROW]))
    before = sha256(source)
    result = invoke_sprss("plan", "evaluate", source, "--territory", ORP, "--out", tmp_path, data=data)
    assert result.returncode == 1 and "by přepsal vstupní sešit" in result.stderr
    assert sha256(source) == before and sorted(p.name for p in tmp_path.iterdir()) == [workbook.FILLED]


def test_sentences_for_an_empty_plan_and_one_without_ukazatele(real_warehouse, tmp_path):
    empty = plan_data.load(save(tmp_path / "prazdny.xlsx", filled([])), ORP, real_warehouse.root, END)
    assert plan_data.summary(empty) == ["Plán obsahuje 0 aktivit.", "Žádná aktivita nemá ukazatel z veřejných dat: všechny "
                                        "hodnoty a stavy zapsal zpracovatel plánu."]
    assert plan_data.changes(empty) is None and empty.evaluation.notes == [
        "V podkladech analýzy není registr poskytovatelů sociálních služeb MPSV: změny služeb nejsou uvedeny."]
    text = plan_data.load(save(tmp_path / "text.xlsx", filled([{**ROWS[3], "stav": None}, {**ROWS[3], "stav": "splněno"}])),
                          ORP, real_warehouse.root, END)
    assert plan_data.summary(text)[0] == "Plán obsahuje 2 aktivity; podle stavu: splněno 1, bez hodnocení 1."
    assert plan_data.overview(text).frame.iloc[-1].tolist() == ["Celkem", 1, 0, 0, 0, 0, 1, 2]
