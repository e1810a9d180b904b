"""Shared by the action plan tests (no tests here): the template of `sprss plan init` filled with activities the
way an analyst fills it (openpyxl, as Excel would save it)."""
import io
from pathlib import Path

from openpyxl import load_workbook

from pipeline.chapters.plan import workbook
from pipeline.indicators import metadata
from pipeline.sources import akcni_plan
from pipeline.sources.akcni_plan import COLUMNS

START = "Začátek platnosti plánu (RRRR-MM-DD)"
ROW = {"priorita": "1 Senioři", "opatreni": "1.1 Pobytové služby", "aktivita": "Rozšířit domov pro seniory",
       "odpovedny_subjekt": "Kraj Vysočina", "termin": "2027", "indikator": "lůžka", "vychozi_hodnota": 120,
       "cilova_hodnota": 140, "ukazatel": "kapacita:13:pob:luzka"}


def template() -> bytes:
    return workbook.template(metadata.catalogue(), {"13": "domovy pro seniory"}, None)


def filled(rows: list[dict], plan: dict[str, object] | None = None, edit=None, base: bytes | None = None) -> bytes:
    """`base` (else the template) with `rows` appended on Aktivity and `plan` (label -> value) on Plán;
    `edit(book)` changes it further."""
    book = load_workbook(io.BytesIO(base or template()))
    ws = book[akcni_plan.SHEET]
    for row in rows:
        ws.append([row.get(c) for c in COLUMNS])
    for label, value in (plan or {}).items():
        sheet = book[akcni_plan.PLAN_SHEET]
        found = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
        sheet.cell(found, 2).value = value
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
