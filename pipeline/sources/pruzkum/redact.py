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


def _masks(grid: list[list[str]], headers: set[str]) -> dict[tuple[int, int], tuple[str, int]]:
    """(row index, column index) -> (masked text, names found) of every answer in a free-text column with a name."""
    start = _header_row(grid)
    if start is None:
        return {}
    columns = _columns(grid[start], headers)
    return {(r, i): (mask_names(grid[r][i]), len(found)) for r in range(start + 1, len(grid)) for i in columns
            if i < len(grid[r]) and (found := likely_names(grid[r][i]))}


def _result(content: bytes, masks: dict[tuple[int, int], tuple[str, int]]) -> Redacted:
    """Row numbers as a spreadsheet shows them (index + 1) and the count of names."""
    return Redacted(content, tuple(sorted({r + 1 for r, _ in masks})), sum(n for _, n in masks.values()))


def _csv(content: bytes, filename: str, headers: set[str]) -> Redacted:
    text = decode_export(content, filename)
    grid = csv_rows(text)
    masks = _masks(grid, headers)
    if not masks:
        return Redacted(content, (), 0)
    for (r, i), (masked, _) in masks.items():
        grid[r][i] = masked
    out = io.StringIO(newline="")  # the file's own delimiter, quoting (Google quotes all) and line ends
    quoted = text.lstrip("\ufeff").startswith('"')
    csv.writer(out, delimiter=csv_delimiter(text), quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL,
               lineterminator="\r\n" if "\r\n" in text else "\n").writerows(grid)
    return _result(out.getvalue().encode("utf-8"), masks)


def _workbook(content: bytes, headers: set[str]) -> Redacted:
    """Only the first sheet holds answers (readers._from_sheets); label sheets stay untouched."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    masks = _masks([[cell_text(c.value) for c in row] for row in sheet.iter_rows()], headers)  # from A1
    if not masks:
        return Redacted(content, (), 0)
    for (r, i), (masked, _) in masks.items():
        sheet.cell(row=r + 1, column=i + 1).value = masked
    out = io.BytesIO()
    book.save(out)
    return _result(out.getvalue(), masks)
