"""Survey exports as a grid of text cells: Google Forms CSV/XLSX, Survio/LimeSurvey XLSX, hand-made sheets.

Everything is kept as text, exactly as the respondent's answer reads; the codebook decides what it means.
"""
import csv
from dataclasses import dataclass, field
from datetime import datetime
import io
from pathlib import PurePath
import re

from pipeline.core.errors import FormatError
from pipeline.core.text import fold
from pipeline.sources.base import decode_text
from pipeline.sources.xlsx import cell_text, is_xlsx, read_sheets

# headers of submission-time columns (folded): not questions, used to tell a double submission
TIMESTAMP_HEADERS = {"casova znacka", "timestamp", "datum", "datum vyplneni", "datum odeslani", "datum a cas",
                     "cas odeslani", "cas vyplneni", "submitdate", "datestamp", "datum a cas vyplneni"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ""}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
# letters and signs of Czech (and Slovak) text; anything else from a Windows-1250 decoding means a wrong encoding
CZECH_CHARACTERS = set("áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽäľĺôŕÄĽĹÔŔöüÖÜ„“”‚‘’–—…°×€§\u00a0")
GOOGLE_TIME = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$")
CZECH_TIME = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass
class Export:
    name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells as wide as headers)
    labels: dict[str, str] = field(default_factory=dict)  # coded exports: column code -> question/option text
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> {cell value: label}

    def timestamp_column(self) -> int | None:
        return next((i for i, h in enumerate(self.headers) if fold(h) in TIMESTAMP_HEADERS), None)


def read_export(content: bytes, filename: str) -> Export:
    suffix = PurePath(filename).suffix.lower()
    if not content.strip():
        raise FormatError("soubor je prázdný", file=filename)
    if is_xlsx(content):
        try:
            return _from_sheets(read_sheets(content), filename)
        except FormatError as exc:
            raise exc.in_file(filename) from exc
    if suffix in XLSX_SUFFIXES or suffix in {".xls", ".ods"}:
        raise FormatError("nejde o sešit XLSX; uložte export jako XLSX nebo CSV", file=filename)
    if suffix not in CSV_SUFFIXES:
        raise FormatError(f"nepodporovaný typ souboru {suffix}; očekáván export dotazníku ve formátu CSV nebo XLSX",
                          file=filename)
    return _from_grid(csv_rows(decode_export(content, filename)), filename)


def decode_export(content: bytes, filename: str) -> str:
    """UTF-8 or Windows-1250 (as Czech Excel saves CSV); a Windows-1250 reading that is no Czech is refused,
    since cp1250 decodes almost anything (a DOS cp852 export would become wrong names, not an error)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError("nečitelné kódování UTF-16; uložte export jako CSV v UTF-8", file=filename)
    try:
        text = decode_text(content)
    except FormatError as exc:
        raise exc.in_file(filename) from exc
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not _looks_czech(text):
            raise FormatError("nečitelné kódování (ani UTF-8, ani Windows-1250); uložte export jako CSV v UTF-8",
                              file=filename) from None
    return text


def _looks_czech(text: str) -> bool:
    foreign = [c for c in text if ord(c) > 127 and c not in CZECH_CHARACTERS]
    accented = sum(1 for c in text if ord(c) > 127)
    return len(foreign) <= 0.05 * accented


def csv_delimiter(text: str) -> str:
    """The commonest of , ; and tab in the first line (Czech Excel saves ';', Google Forms ',')."""
    first_line = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text)))


def _from_grid(grid: list[list], filename: str) -> Export:
    """The header is the first row with two or more filled cells (a hand-made sheet may have a title above)."""
    cells = [[cell_text(v) for v in row] for row in grid]
    start = next((i for i, row in enumerate(cells) if sum(bool(c) for c in row) >= 2), None)
    if start is None:
        raise FormatError("chybí řádek záhlaví s otázkami", file=filename)
    headers = [re.sub(r"\s+", " ", h) for h in cells[start]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = [(number, (row + [""] * width)[:width]) for number, row in enumerate(cells[start + 1:], start=start + 2)]
    while rows and not any(rows[-1][1]):  # trailing blank lines of a file are not empty answers
        rows.pop()
    return Export(filename, headers, rows)


def _from_sheets(sheets: dict[str, list[list]], filename: str) -> Export:
    """The first sheet holds the answers; another sheet listing their codes holds labels (Survio, LimeSurvey)."""
    names = list(sheets)
    export = _from_grid(sheets[names[0]], filename)
    codes = {h for h in export.headers if h}
    for name in names[1:]:
        table = [[cell_text(v) for v in row] for row in sheets[name]]
        if sum(1 for row in table if row and row[0] in codes) * 2 >= len(codes):
            _read_labels(table, export)
            break
    return export


def _read_labels(table: list[list[str]], export: Export) -> None:
    """Rows `code, label` or `code, value, label` (a value labels a coded answer of that column)."""
    for row in table:
        filled = [c for c in row if c]
        if not row or not row[0] or len(filled) < 2:
            continue
        if len(row) >= 3 and row[2]:
            if row[1]:
                export.value_labels.setdefault(row[0], {})[row[1]] = row[2]
            else:
                export.labels[row[0]] = row[2]
        else:
            export.labels[row[0]] = row[1]


def timestamp(value: str) -> datetime | None:
    """Google '2027/03/01 10:00:00' (also with 'odp.'/'PM'), ISO, or Czech '1. 3. 2027 10:00'; else None."""
    match = GOOGLE_TIME.match(value.strip())
    if match:
        year, month, day, hour, minute, second, rest = match.groups()
        hour = int(hour)
        marker = fold(rest)
        if (marker.startswith(("pm", "odp")) and hour < 12):
            hour += 12
        elif marker.startswith(("am", "dop")) and hour == 12:
            hour = 0
        return _datetime(int(year), int(month), int(day), hour, int(minute), int(second or 0))
    match = CZECH_TIME.match(value.strip())
    if match:
        day, month, year, hour, minute, second = match.groups()
        return _datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    return None


def _datetime(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
