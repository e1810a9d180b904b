"""Free-text answers without likely names of persons, before a survey export is stored under data/raw.

Respondents name carers, neighbours, officials ("paní Nováková z pečovatelské služby"). sprss never stores names
of natural persons, so the export kept in data/raw/pruzkum is the analyst's file with every likely name
(core/names.py) in a free-text column replaced by a mark; everything else stays as it was. A CSV is rewritten
in UTF-8 with its own delimiter, quoting and line ends, a workbook keeps its sheets (only the masked cells
change). Clean exports are stored byte for byte.
"""
import csv
from dataclasses import dataclass
import io
from pathlib import PurePath
import re

from openpyxl import load_workbook

from pipeline.core.names import likely_names, mask_names
from pipeline.core.text import fold
from pipeline.sources.pruzkum.codebook import Codebook
from pipeline.sources.pruzkum.readers import CSV_SUFFIXES, csv_delimiter, csv_rows, decode_export
from pipeline.sources.xlsx import cell_text, is_xlsx


@dataclass(frozen=True)
class Redacted:
    content: bytes
    rows: tuple[int, ...]  # spreadsheet row numbers of the answers that held a name
    names: int              # how many name occurrences were masked


def free_text_headers(book: Codebook) -> set[str]:
    """Folded headers of the columns respondents write into: text questions and the 'Jiné' of choice questions."""
    return {fold(q.header) for q in book.questions if q.type == "text" or q.other}


def redact(content: bytes, filename: str, book: Codebook) -> Redacted:
    """The export with likely names masked in its free-text columns (the content unchanged when there are none)."""
    headers = free_text_headers(book)
    if not headers:
        return Redacted(content, (), 0)
    if is_xlsx(content):
        return _workbook(content, headers)
    if PurePath(filename).suffix.lower() in CSV_SUFFIXES:
        return _csv(content, filename, headers)
    return Redacted(content, (), 0)  # a format the reader refuses anyway


def _header_row(grid: list[list[str]]) -> int | None:
    """The first row with two or more filled cells, as the reader takes it."""
    return next((i for i, row in enumerate(grid) if sum(bool(c) for c in row) >= 2), None)


def _columns(header: list[str], headers: set[str]) -> list[int]:
    return [i for i, h in enumerate(header) if fold(re.sub(r"\s+", " ", h)) in headers]


def _csv(content: bytes, filename: str, headers: set[str]) -> Redacted:
    text = decode_export(content, filename)
    grid = csv_rows(text)
    start = _header_row(grid)
    if start is None:
        return Redacted(content, (), 0)
    columns = _columns(grid[start], headers)
    rows: list[int] = []
    names = 0
    for number, row in enumerate(grid[start + 1:], start=start + 2):
        for i in columns:
            if i < len(row) and (found := likely_names(row[i])):
                row[i] = mask_names(row[i])
                names += len(found)
                if not rows or rows[-1] != number:
                    rows.append(number)
    if not names:
        return Redacted(content, (), 0)
    out = io.StringIO(newline="")  # the file's own delimiter, quoting (Google quotes all) and line ends
    quoted = text.lstrip("\ufeff").startswith('"')
    csv.writer(out, delimiter=csv_delimiter(text), quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL,
               lineterminator="\r\n" if "\r\n" in text else "\n").writerows(grid)
    return Redacted(out.getvalue().encode("utf-8"), tuple(rows), names)


def _workbook(content: bytes, headers: set[str]) -> Redacted:
    """Only the first sheet holds answers (readers._from_sheets); label sheets stay untouched."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    grid = [[cell_text(c.value) for c in row] for row in sheet.iter_rows()]
    start = _header_row(grid)
    if start is None:
        return Redacted(content, (), 0)
    columns = _columns(grid[start], headers)
    rows: list[int] = []
    names = 0
    for row in sheet.iter_rows(min_row=start + 2):
        for i in columns:
            cell = row[i] if i < len(row) else None
            if cell is not None and isinstance(cell.value, str) and (found := likely_names(cell.value)):
                cell.value = mask_names(cell.value)
                names += len(found)
                if not rows or rows[-1] != cell.row:
                    rows.append(cell.row)
    if not names:
        return Redacted(content, (), 0)
    out = io.BytesIO()
    book.save(out)
    return Redacted(out.getvalue(), tuple(rows), names)
