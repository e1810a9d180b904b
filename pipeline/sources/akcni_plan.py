"""The action plan workbook ("Tabulka akčního plánu") an analyst keeps for `sprss plan evaluate`.

Sheet `Aktivity`: one activity per row under a header with exactly COLUMNS (found by content in the first rows,
names matched case- and diacritics-insensitively); optional sheet `Plán`: the plan's name and the start of its
validity. Cells sprss filled in an earlier evaluation carry a comment by the author `sprss` that records the
value written (`[sprss=…]`): a cell still holding that value is sprss's and may be refreshed, a cell the analyst
changed is the analyst's and is never overwritten. The workbook is the analyst's own file, not a public source:
it is parsed here (pure, Czech errors with sheet and row) but never stored in data/raw or the warehouse.
"""
from dataclasses import dataclass
from datetime import date, datetime
import io
import re
from typing import Any
import warnings
import zipfile

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.errors import FormatError
from pipeline.core.text import czech_date, fold
from pipeline.sources.base import NOT_STATED, SourceMeta
from pipeline.sources.xlsx import is_xlsx

META = SourceMeta(
    id="akcni_plan",
    title="Tabulka akčního plánu",
    publisher="zpracovatel plánu",
    citation="akční plán (tabulka aktivit zpracovatele plánu)",
    licence=NOT_STATED,
    reference_date="Sešit referenční datum nemá: vyhodnocuje se k datu --date (jinak k dnešku).",
)

SHEET = "Aktivity"
PLAN_SHEET = "Plán"
COLUMNS = ["priorita", "opatreni", "aktivita", "odpovedny_subjekt", "termin", "indikator", "vychozi_hodnota",
           "cilova_hodnota", "ukazatel", "skutecnost", "stav", "komentar"]
STATES = ["splněno", "částečně splněno", "nesplněno", "zrušeno", "průběžně plněno"]
PLAN_FIELDS = {"nazev": "Název plánu", "zacatek": "Začátek platnosti plánu (RRRR-MM-DD)",
               "konec": "Konec platnosti plánu (RRRR-MM-DD)"}
AUTHOR = "sprss"  # author of the comments on cells sprss filled
MARK = re.compile(r"\[sprss=(.*?)\]\s*$", re.S)
HEADER_SEARCH_ROWS = 10
NUMBER = re.compile(r"^[−-]?\d+(?:[.,]\d+)?$")
SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
CZECH_DAY = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")


@dataclass(frozen=True)
class Activity:
    row: int  # as Excel shows it
    cells: dict[str, Any]  # column -> value as written (None for an empty cell)
    vychozi: float | None  # numeric baseline and target; None when empty (or text in a row without ukazatel)
    cilova: float | None
    ukazatel: str | None
    skutecnost: Any  # the analyst's entry; None when empty or still sprss's own value
    stav: str | None  # the analyst's state (one of STATES); None when empty or still sprss's own
    skutecnost_sprss: bool  # the cell holds what sprss wrote last time
    stav_sprss: bool

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            return czech_date(value.date() if isinstance(value, datetime) else value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass
class Plan:
    activities: list[Activity]
    header_row: int
    columns: dict[str, int]  # column name -> 1-based column of the sheet
    nazev: str | None = None
    zacatek: date | None = None
    konec: date | None = None


def sniff(content: bytes) -> bool:
    if not is_xlsx(content):
        return False
    try:
        return any(fold(name) == fold(SHEET) for name in _sheet_names(content))
    except FormatError:
        return False


def parse(content: bytes, filename: str) -> Plan:
    """The activities and the plan's dates; FormatError names the file, sheet and row of anything wrong."""
    try:
        return _parse(content)
    except FormatError as exc:
        raise exc.in_file(filename) from exc


def number(value: Any) -> float | None:
    """A number as the analyst typed it: 1234, 1234.5, '1 234,5'; None for text that is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = SPACES.sub("", str(value))
    return float(text.replace(",", ".").replace("−", "-")) if NUMBER.match(text) else None


def sprss_value(cell: Cell) -> str | None:
    """The value sprss recorded in its comment on the cell, None for a cell sprss never filled."""
    comment = cell.comment
    if comment is None or comment.author != AUTHOR:
        return None
    found = MARK.search(comment.text or "")
    return found.group(1) if found else None


def _sheet_names(content: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise FormatError(f"nejde o čitelný sešit XLSX ({exc})") from exc
    return re.findall(r'<sheet[^>]*\bname="([^"]*)"', workbook)


def _parse(content: bytes) -> Plan:
    if not is_xlsx(content):
        raise FormatError("nejde o sešit XLSX; uložte tabulku akčního plánu jako .xlsx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; the file stays as it is
            book = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FormatError(f"nejde o čitelný sešit XLSX ({type(exc).__name__}: {exc})") from exc
    sheet = next((book[name] for name in book.sheetnames if fold(name) == fold(SHEET)), None)
    if sheet is None:
        raise FormatError(f"chybí list {SHEET!r} (listy sešitu: {', '.join(book.sheetnames)}); "
                          "šablonu vytvoří sprss plan init")
    header_row, columns = _header(sheet)
    activities = [a for a in (_activity(sheet, row, columns) for row in range(header_row + 1, sheet.max_row + 1)) if a]
    plan = Plan(activities, header_row, columns)
    plan_sheet = next((book[name] for name in book.sheetnames if fold(name) == fold(PLAN_SHEET)), None)
    if plan_sheet is not None:
        _plan_fields(plan_sheet, plan)
    return plan


def _header(sheet: Worksheet) -> tuple[int, dict[str, int]]:
    """The first row holding every column name (the analyst may add a title above it)."""
    wanted = {fold(c).replace(" ", "_"): c for c in COLUMNS}
    best: tuple[int, dict[str, int]] = (1, {})
    for row in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        found: dict[str, int] = {}
        for cell in sheet[row]:
            name = wanted.get(fold(str(cell.value or "")).replace(" ", "_"))
            if name and name not in found:
                found[name] = cell.column
        if len(found) == len(COLUMNS):
            return row, {c: found[c] for c in COLUMNS}
        if len(found) > len(best[1]):
            best = (row, found)
    missing = [c for c in COLUMNS if c not in best[1]]
    where = f"v záhlaví (řádek {best[0]})" if best[1] else f"v prvních {HEADER_SEARCH_ROWS} řádcích"
    raise FormatError(f"list {SHEET}: {where} chybí sloupce {', '.join(missing)}; očekávány sloupce {', '.join(COLUMNS)}")


def _activity(sheet: Worksheet, row: int, columns: dict[str, int]) -> Activity | None:
    cells = {name: sheet.cell(row, col) for name, col in columns.items()}
    values = {name: _value(cell.value) for name, cell in cells.items()}
    if all(v is None for v in values.values()):
        return None
    ukazatel = str(values["ukazatel"]).strip() if values["ukazatel"] is not None else None
    targets: dict[str, float | None] = {}
    for column in ("vychozi_hodnota", "cilova_hodnota"):
        value = values[column]
        targets[column] = None if value is None else number(value)
        if ukazatel and value is not None and targets[column] is None:
            raise FormatError(f"list {SHEET}, sloupec {column}: {value!r} není číslo; u řádku s ukazatelem "
                              f"{ukazatel} musí být výchozí i cílová hodnota číslo (nebo prázdná)", row=row)
    stav, stav_sprss = _own(cells["stav"], values["stav"])
    if stav is not None:
        stav = next((s for s in STATES if fold(s) == fold(str(stav))), None)
        if stav is None:
            raise FormatError(f"list {SHEET}, sloupec stav: {values['stav']!r} není jeden ze stavů "
                              f"{', '.join(STATES)}", row=row)
    skutecnost, skutecnost_sprss = _own(cells["skutecnost"], values["skutecnost"])
    return Activity(row, values, targets["vychozi_hodnota"], targets["cilova_hodnota"], ukazatel, skutecnost, stav,
                    skutecnost_sprss, stav_sprss)


def _own(cell: Cell, value: Any) -> tuple[Any, bool]:
    """(the analyst's value, False), or (None, True) when the cell still holds what sprss wrote there."""
    recorded = sprss_value(cell)
    if value is not None and recorded is not None and _same(value, recorded):
        return None, True
    return value, False


def _same(value: Any, recorded: str) -> bool:
    found = number(value)
    if found is not None and number(recorded) is not None:
        return found == number(recorded)
    return fold(str(value)) == fold(recorded)


def _value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _plan_fields(sheet: Worksheet, plan: Plan) -> None:
    """Rows 'label | value' of the sheet Plán; labels matched without the format hint in brackets."""
    labels = {fold(text.split(" (")[0]): key for key, text in PLAN_FIELDS.items()}
    for cells in sheet.iter_rows(min_row=1, max_col=2):
        key = labels.get(fold(str(cells[0].value or "")).split(" (")[0])
        if key is None or len(cells) < 2 or _value(cells[1].value) is None:
            continue
        value = _value(cells[1].value)
        if key == "nazev":
            plan.nazev = str(value)
        else:
            setattr(plan, key, _date(value, cells[1].row))


def _date(value: Any, row: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    czech = CZECH_DAY.match(text)
    try:
        return date(int(czech[3]), int(czech[2]), int(czech[1])) if czech else date.fromisoformat(text)
    except ValueError:
        raise FormatError(f"list {PLAN_SHEET}: {text!r} není datum; očekáváno RRRR-MM-DD nebo D. M. RRRR",
                          row=row) from None
