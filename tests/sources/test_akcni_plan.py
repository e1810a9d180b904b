"""The action plan workbook (pipeline/sources/akcni_plan.py): the template of `sprss plan init` read back, the
analyst's entries as typed (Czech numbers, dates, a title above the header), cells sprss filled recognised by their
comment, and every bad input as one Czech error naming the sheet and row."""
from datetime import date, datetime
import io

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
import pytest

from pipeline.core.errors import FormatError
from pipeline.indicators import metadata
from pipeline.sources import akcni_plan
from pipeline.sources.akcni_plan import COLUMNS
from plan_support import ROW, START, filled, template

def test_template_has_the_sheets_columns_and_drop_down():
    book = load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["Aktivity", "Plán", "Návod", "Ukazatele"]
    assert [c.value for c in book["Aktivity"][1]] == COLUMNS
    (choice,) = book["Aktivity"].data_validations.dataValidation
    assert choice.formula1 == '"splněno,částečně splněno,nesplněno,zrušeno,průběžně plněno"'
    assert str(choice.sqref) == "K2:K501"  # column stav
    codes = [row[0].value for row in book["Ukazatele"].iter_rows(min_row=2)]
    assert {i.kod for i in metadata.catalogue()} <= set(codes)
    assert "kapacita:13:pob:luzka" in codes and "sluzby:13" in codes
    parsed = akcni_plan.parse(template(), "sablona.xlsx")
    assert parsed.activities == [] and parsed.header_row == 1 and parsed.zacatek is None


def test_activities_as_the_analyst_typed_them():
    rows = [ROW, {**ROW, "vychozi_hodnota": "1 234,5", "cilova_hodnota": "2\u00a0000", "termin": datetime(2026, 6, 30)},
            {}, {"aktivita": "Zřídit poradnu", "vychozi_hodnota": "není", "cilova_hodnota": "funguje",
                 "stav": "Zrušeno"}]
    plan = akcni_plan.parse(filled(rows, {"Název plánu": "Komunitní plán 2025–2027",
                                          START: "1. 7. 2025"}), "plan.xlsx")
    assert [a.row for a in plan.activities] == [2, 3, 5]  # the empty row 4 is skipped, row numbers as Excel shows
    first, second, text_row = plan.activities
    assert (first.vychozi, first.cilova, first.ukazatel, first.skutecnost, first.stav) == (120, 140, ROW["ukazatel"], None, None)
    assert (second.vychozi, second.cilova, second.text("termin")) == (1234.5, 2000, "30. 6. 2026")
    assert (text_row.vychozi, text_row.cilova, text_row.stav) == (None, None, "zrušeno")  # text targets without ukazatel
    assert (plan.nazev, plan.zacatek) == ("Komunitní plán 2025–2027", date(2025, 7, 1))


def test_header_below_a_title_and_in_another_order():
    book = Workbook()
    ws = book.active
    ws.title = "aktivity"
    ws.append(["Akční plán 2025"])
    ws.append(list(reversed([c.upper() for c in COLUMNS])))
    ws.append(list(reversed([ROW.get(c) for c in COLUMNS])))
    buffer = io.BytesIO()
    book.save(buffer)
    plan = akcni_plan.parse(buffer.getvalue(), "vlastni.xlsx")
    assert plan.header_row == 2 and plan.columns["priorita"] == len(COLUMNS)
    assert [(a.row, a.ukazatel, a.cilova) for a in plan.activities] == [(3, ROW["ukazatel"], 140)]


def test_cells_sprss_filled_are_told_from_the_analysts():
    def edit(book):
        ws = book[akcni_plan.SHEET]
        for row, value, stav in ((2, 180, "splněno"), (3, 175, "nesplněno")):
            ws.cell(row, 10).value = value
            ws.cell(row, 10).comment = Comment("Doplnil sprss.\n[sprss=180.0]", "sprss")
            ws.cell(row, 11).value = stav
            ws.cell(row, 11).comment = Comment("Stav určil sprss.\n[sprss=splněno]", "sprss")
    first, second = akcni_plan.parse(filled([ROW, ROW], edit=edit), "plan.xlsx").activities
    assert (first.skutecnost, first.skutecnost_sprss, first.stav, first.stav_sprss) == (None, True, None, True)
    # the analyst typed over both values: they are the analyst's now
    assert (second.skutecnost, second.skutecnost_sprss, second.stav, second.stav_sprss) == (175, False, "nesplněno", False)


def test_sniff():
    assert akcni_plan.sniff(template())
    assert not akcni_plan.sniff(b"priorita;aktivita\n")


@pytest.mark.parametrize(("content", "message"), [
    (lambda: b"not a workbook", "soubor plan.xlsx: nejde o sešit XLSX"),
    (lambda: _without_sheet(), "soubor plan.xlsx: chybí list 'Aktivity' (listy sešitu: List1)"),
    (lambda: filled([ROW], edit=lambda b: b[akcni_plan.SHEET].delete_cols(9)),
     "soubor plan.xlsx: list Aktivity: v záhlaví (řádek 1) chybí sloupce ukazatel"),
    (lambda: filled([ROW, {**ROW, "cilova_hodnota": "o 20 víc"}]),
     "soubor plan.xlsx, řádek 3: list Aktivity, sloupec cilova_hodnota: 'o 20 víc' není číslo"),
    (lambda: filled([{**ROW, "stav": "hotovo"}]),
     "soubor plan.xlsx, řádek 2: list Aktivity, sloupec stav: 'hotovo' není jeden ze stavů splněno"),
    (lambda: filled([ROW], {START: "loni"}),
     "soubor plan.xlsx, řádek 2: list Plán: 'loni' není datum"),
])
def test_bad_workbooks(content, message):
    with pytest.raises(FormatError) as error:
        akcni_plan.parse(content(), "plan.xlsx")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def _without_sheet() -> bytes:
    book = Workbook()
    book.active.title = "List1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
