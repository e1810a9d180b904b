"""The action plan workbook written out: the empty template (`sprss plan init`) and the analyst's own workbook
with the values and states of an evaluation filled in (`sprss plan evaluate`).

The filled workbook is the analyst's file with nothing changed but the cells sprss fills: skutečnost and stav
where the analyst left them empty (or where they still hold sprss's value of an earlier evaluation). Each such cell
gets a comment by the author `sprss` saying where the value comes from and recording it (sources.akcni_plan reads
that back next year, so a value the analyst changed is recognised as the analyst's).
"""
import io
from typing import Any
import warnings

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
import pandas as pd

from pipeline.core.territory import label
from pipeline.core.text import czech_number, fold
from pipeline.indicators.metadata import Indicator
from pipeline.indicators.plan import KAPACITA, SLUZBY, Evaluation, measure, title, unit
from pipeline.indicators.sluzby.catalogue import FORMS, UNITS
from pipeline.sources.akcni_plan import AUTHOR, COLUMNS, PLAN_FIELDS, PLAN_SHEET, SHEET, STATES, sprss_value

FILLED = "tabulka-akcniho-planu.xlsx"
INSTRUCTIONS_SHEET = "Návod"
CODES_SHEET = "Ukazatele"
TEMPLATE_ROWS = 500  # rows of Aktivity with the drop-down for stav
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
WIDTHS = {"priorita": 22, "opatreni": 28, "aktivita": 40, "odpovedny_subjekt": 22, "termin": 12, "indikator": 30,
          "vychozi_hodnota": 14, "cilova_hodnota": 14, "ukazatel": 26, "skutecnost": 14, "stav": 18, "komentar": 40}
INSTRUCTIONS = [
    "Tabulka akčního plánu pro sprss",
    "",
    "List Aktivity: jeden řádek = jedna aktivita plánu. Názvy sloupců v záhlaví neměňte; nad záhlaví smíte vložit nadpis.",
    "priorita, opatreni, aktivita, odpovedny_subjekt, termin, indikator (slovní popis), komentar: volný text.",
    "vychozi_hodnota, cilova_hodnota: u řádku s ukazatelem čísla (výchozí stav a cíl plánu), jinak i text.",
    "ukazatel (nepovinný): kód z listu Ukazatele; sprss pak sám doplní skutečnost ze skladu dat.",
    "skutecnost: prázdná = doplní sprss (hodnota území k nejbližšímu dostupnému datu; datum je v komentáři buňky).",
    "stav: výběr ze seznamu (" + ", ".join(STATES) + "); prázdný u řádku s ukazatelem určí sprss.",
    "",
    "Jak sprss určuje stav: plnění = (skutečnost − výchozí) / (cílová − výchozí).",
    "Plnění 100 % a více = splněno; více než 0 % a méně než 100 % = částečně splněno (hodnota se posunula k cíli, "
    "ale nedosáhla ho); 0 % a méně = nesplněno (beze změny, nebo opačným směrem).",
    "Chybí-li výchozí či cílová hodnota, nebo jsou-li si rovny (směr změny nelze určit), stav nechá sprss prázdný.",
    "Stavy zrušeno a průběžně plněno zadává jen zpracovatel.",
    "",
    "Co zapíšete vy, sprss nikdy nepřepíše. Buňky, které doplnil sprss, mají komentář autora sprss; přepíšete-li "
    "takovou hodnotu, při dalším vyhodnocení zůstane vaše.",
    "",
    f"List {PLAN_SHEET}: název plánu a začátek jeho platnosti (od tohoto dne zpráva uvádí služby zahájené a ukončené "
    "a změny kapacit v registru MPSV).",
    "",
    "Vyhodnocení (každý rok na tomtéž sešitu): sprss plan evaluate SOUBOR.xlsx --territory orp:Jihlava "
    "--date RRRR-MM-DD --out ADRESÁŘ",
    f"Do adresáře zapíše vyplněný sešit ({FILLED}) a zprávu Vyhodnocení plnění plánu (DOCX, XLSX, HTML); vstupní "
    "sešit nemění.",
]


def template(indicators: list[Indicator], type_names: dict[str, str], combinations: pd.DataFrame | None) -> bytes:
    """Sheets Aktivity (header, drop-down for stav), Plán, Návod and Ukazatele (every valid code)."""
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(COLUMNS)
    _header(ws, 1)
    for position, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(position)].width = WIDTHS[column]
    stav = get_column_letter(COLUMNS.index("stav") + 1)
    choice = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Neplatný stav",
                            error="Vyberte jeden ze stavů: " + ", ".join(STATES) + ".")
    choice.add(f"{stav}2:{stav}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(choice)
    ws.freeze_panes = "A2"

    plan = book.create_sheet(PLAN_SHEET)
    for text in PLAN_FIELDS.values():
        plan.append([text, None])
        plan.cell(plan.max_row, 1).font = Font(bold=True)
    plan.column_dimensions["A"].width = 40
    plan.column_dimensions["B"].width = 40

    guide = book.create_sheet(INSTRUCTIONS_SHEET)
    for line in INSTRUCTIONS:
        guide.append([line])
    guide.cell(1, 1).font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 140

    codes = book.create_sheet(CODES_SHEET)
    codes.append(["ukazatel", "název", "jednotka", "poznámka"])
    _header(codes, 1)
    for row in _code_rows(indicators, type_names, combinations):
        codes.append(row)
        if row[1] is None:  # a section heading
            codes.cell(codes.max_row, 1).font = Font(bold=True)
    for column, width in zip("ABCD", (30, 60, 14, 70), strict=True):
        codes.column_dimensions[column].width = width
    codes.freeze_panes = "A2"
    return _bytes(book)


def _code_rows(indicators: list[Indicator], type_names: dict[str, str], combinations: pd.DataFrame | None) -> list[list]:
    rows: list[list] = [["Demografické ukazatele (sprss indicators)", None, None, None]]
    rows += [[i.kod, i.nazev, i.jednotka, i.vzorec] for i in indicators]
    rows += [[None] * 4, [f"Kapacita služby: {KAPACITA}:<druh>:<forma>:<typ kapacity>", None, None, None],
             [f"{KAPACITA}:13:pob:luzka", "lůžka domovů pro seniory (druh 13, pobytová forma, lůžka)", "lůžka",
              "registrovaná kapacita služeb se zařízením v území, jako ji počítá sprss coverage"]]
    listed = [m for m in (measure(":".join([KAPACITA, *map(str, combination)]))
                          for combination in (combinations.to_numpy().tolist() if combinations is not None else []))
              if m is not None]
    if listed:
        rows += [[m.kod, title(m, type_names), unit(m), "kombinace v nejnovějším importovaném vydání registru MPSV"]
                 for m in listed]
    else:
        rows.append([None, "Registr MPSV není importován: kombinace druhů, forem a kapacit, které registr uvádí, "
                           "vypíše sprss plan init po importu rpss.json.", None, None])
    rows += [[None] * 4, [f"Počet služeb: {SLUZBY}:<druh>", None, None, None]]
    counted = [m for m in (measure(f"{SLUZBY}:{kod}") for kod in sorted(type_names, key=_code_order)) if m is not None]
    rows += [[m.kod, title(m, type_names), unit(m), "služby se zařízením v území, každá jednou, v kolika formách je "
              "poskytována"] for m in counted]
    if not type_names:
        rows.append([None, "Číselník druhů sociálních služeb MPSV není importován (sprss import "
                           "druhy-socialni-sluzby.json); kód druhu je číslo z něj, např. 13 = domovy pro seniory.",
                     None, None])
    rows += [[None] * 4, ["Druhy služeb (<druh>, číselník MPSV DruhSocialniSluzby)", None, None, None]]
    rows += [[kod, type_names[kod], None, None] for kod in sorted(type_names, key=_code_order)]
    rows += [[None] * 4, ["Formy (<forma>)", None, None, None]]
    rows += [[kod, nazev, None, None] for kod, nazev in FORMS.items()]
    rows += [[None] * 4, ["Typy kapacity (<typ kapacity>)", None, None, None]]
    rows += [[kod, f"počet: {forms[2]}", forms[1], None] for kod, forms in UNITS.items()]
    return rows


def _code_order(kod: str) -> tuple[int, str]:
    return (int(kod), kod) if kod.isdigit() else (10**9, kod)


def filled(original: bytes, evaluation: Evaluation) -> bytes:
    """The analyst's workbook with sprss's skutečnost and stav written (and its earlier ones refreshed or removed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(original))
    ws = next(book[name] for name in book.sheetnames if fold(name) == fold(SHEET))
    columns = evaluation.plan.columns
    where = label(evaluation.territory.area)
    for row in evaluation.rows:
        number = row.activity.row
        value_cell = ws.cell(number, columns["skutecnost"])
        if row.skutecnost_sprss:
            _write(value_cell, row.skutecnost, f"Doplnil sprss: {where}, {row.k_datu}.")
        elif row.activity.skutecnost_sprss:  # sprss's earlier value, now without data
            _clear(value_cell)
        else:
            _drop_stale_comment(value_cell)
        state_cell = ws.cell(number, columns["stav"])
        if row.stav_sprss:
            progress = "" if row.plneni is None else f" (plnění {czech_number(row.plneni * 100)} %)"
            _write(state_cell, row.stav, f"Stav určil sprss z výchozí, cílové a skutečné hodnoty{progress}.")
        elif row.activity.stav_sprss:
            _clear(state_cell)
        else:
            _drop_stale_comment(state_cell)
    return _bytes(book)


def _write(cell: Cell, value: Any, text: str) -> None:
    cell.value = value
    note = (f"{text}\nPřepíšete-li hodnotu, sprss ji při dalším vyhodnocení ponechá.\n[sprss={value}]")
    cell.comment = Comment(note, AUTHOR, width=260, height=110)


def _clear(cell: Cell) -> None:
    cell.value = None
    cell.comment = None


def _drop_stale_comment(cell: Cell) -> None:
    """A value the analyst typed over sprss's: sprss's comment no longer describes it."""
    if sprss_value(cell) is not None:
        cell.comment = None


def _header(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
