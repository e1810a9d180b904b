"""The analytical part as one document: every rendered chapter, continuously numbered, with contents.

Reads the manifests the chapters' `Study` wrote (render.document), so the combined document holds exactly what
the chapters hold: `analyticka-cast.docx` (table of contents, list of figures and tables as Word fields),
`analyticka-cast.html` (one offline page) and `tabulky.xlsx` (a contents sheet, then every table). The
methods chapter of each part (`Study.methods`) moves into one appendix at the end.
"""
import base64
import html
import io
from pathlib import Path
import re
from typing import Any

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from openpyxl.styles import Font

from pipeline.core.files import atomic_write, reproducible_archive
from pipeline.core.text import typeset
from pipeline.render import document
from pipeline.render.document import BOLD, METHODS, _Table, verify

STEM = "analyticka-cast"
DOCUMENT, PAGE = f"{STEM}.docx", f"{STEM}.html"
APPENDIX = f"Příloha: {METHODS}"
NUMBERED = re.compile(r"^\d+\.\s+")


def combine(parts: list[Path], out_dir: Path, title: str, subtitle: str) -> dict[str, Path]:
    """Write the combined document of the chapter folders `parts` (in this order) into out_dir."""
    body: list[dict] = []
    appendix: list[dict] = []
    for n, part in enumerate(parts, start=1):
        items = verify(part)["polozky"]
        name = next((i["text"] for i in items if i["typ"] == "titul"), part.name).partition(": ")[0]
        body.append({"typ": "kapitola", "text": typeset(f"{n}. {name}"), "uroven": 1})
        target, sub = body, 0
        for item in items:
            typ = item["typ"]
            if typ == "titul":
                continue
            if typ == "kapitola":
                heading = NUMBERED.sub("", item["text"])
                if heading == typeset(METHODS):
                    target = appendix
                    appendix.append({"typ": "kapitola", "text": name, "uroven": 2})
                else:
                    target, sub = body, sub + 1
                    body.append({"typ": "kapitola", "text": f"{n}.{sub} {heading}", "uroven": 2})
                continue
            item = dict(item)
            if typ == "oddil":
                item["uroven"] = 3
            if typ == "graf":
                item["png"] = str((part / item["png"]).resolve())
            target.append(item)
    items = [{"typ": "titul", "text": typeset(title), "podtitul": typeset(subtitle)}, *body]
    if appendix:
        items += [{"typ": "kapitola", "text": APPENDIX, "uroven": 1}, *appendix]
    tables = _renumber(items)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"docx": out_dir / DOCUMENT, "html": out_dir / PAGE, "xlsx": out_dir / document.WORKBOOK}
    props = document.properties(items)
    atomic_write(paths["docx"], document._document(items, tables, out_dir, props, before=lambda d: _contents(d, items)))
    atomic_write(paths["xlsx"], _workbook_with_contents(tables, props["title"]))
    atomic_write(paths["html"], _page(items, tables).encode("utf-8"))
    return paths


def _renumber(items: list[dict]) -> list[_Table]:
    """Charts and tables numbered 1, 2, … in the order of the combined document."""
    tables: list[_Table] = []
    charts = 0
    for item in items:
        if item["typ"] == "graf":
            charts += 1
            item["cislo"] = charts
        elif item["typ"] == "tabulka":
            table = _Table.from_record(len(tables) + 1, item.get("stem", "tabulka"), item["popisek"], item["zdroj"],
                                       item["data"])
            tables.append(table)
            item["cislo"], item["list"] = table.number, table.sheet
    return tables


# ---------------------------------------------------------------- Word: contents, figures, tables


def _contents(doc: WordDocument, items: list[dict]) -> None:
    """Table of contents and lists of figures and tables as Word fields (Word updates page numbers on opening;
    the entries are pre-filled so that other programs and PDF conversions show them too)."""
    headings = [i["text"] for i in items if i["typ"] == "kapitola" and i.get("uroven", 1) <= 2]
    figures = [f"Graf {i['cislo']}: {i['popisek']}" for i in items if i["typ"] == "graf"]
    tables = [f"Tabulka {i['cislo']}: {i['popisek']}" for i in items if i["typ"] == "tabulka"]
    for heading, instruction, entries in (("Obsah", 'TOC \\o "1-3" \\h \\z \\u', headings),
                                          ("Seznam grafů", 'TOC \\h \\z \\c "Graf"', figures),
                                          ("Seznam tabulek", 'TOC \\h \\z \\c "Tabulka"', tables)):
        if not entries:
            continue
        doc.add_paragraph(heading, style="TOC Heading")
        _field(doc, instruction, entries)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _field(doc: WordDocument, instruction: str, entries: list[str]) -> None:
    first = doc.add_paragraph()
    _char(first, "begin")
    run = first.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    _char(first, "separate")
    paragraph = first
    for n, entry in enumerate(entries):
        if n:
            paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(entry)
    _char(paragraph, "end")
    paragraph.paragraph_format.space_after = Pt(12)


def _char(paragraph: Any, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


# ---------------------------------------------------------------- workbook


def _workbook_with_contents(tables: list[_Table], title: str) -> bytes:
    """tabulky.xlsx of every chapter with a first sheet listing the tables, each a link to its sheet."""
    book = load_workbook(io.BytesIO(document._workbook(tables)))
    contents = book.create_sheet("Obsah", 0)
    contents.append([title])
    contents.cell(1, 1).font = Font(bold=True, size=12)
    contents.append(["Tabulka", "Název", "List"])
    for table in tables:
        contents.append([table.number, table.caption, table.sheet])
        cell = contents.cell(contents.max_row, 3)
        cell.hyperlink = f"#'{table.sheet}'!A1"
        cell.style = "Hyperlink"
    contents.column_dimensions["B"].width = 100
    contents.column_dimensions["C"].width = 32
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible_archive(buffer.getvalue())


# ---------------------------------------------------------------- HTML


CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; font-size: 15px;
       line-height: 1.5; color: #1f1f1f; }
h1 { font-size: 1.8em; } h2 { margin-top: 2.2em; } nav li { list-style: none; } nav ol { padding-left: 1.2em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; } figcaption, .popisek { font-weight: 600; }
table.sprss-tabulka { border-collapse: collapse; font-size: 13px; margin: .4em 0; }
table.sprss-tabulka th { background: #e8eef4; vertical-align: bottom; }
table.sprss-tabulka th, table.sprss-tabulka td { padding: 2px 8px; border-bottom: 1px solid #d0d0d0; }
.text { text-align: left; } .cislo { text-align: right; white-space: nowrap; }
.zdroj { font-size: 12px; color: #505050; font-style: italic; } .poznamka { font-style: italic; }
.tabulka { overflow-x: auto; }
"""


def _rich(text: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", html.escape(text))


def _page(items: list[dict], tables: list[_Table]) -> str:
    """One offline page: contents with anchors, charts embedded as data URIs, every table."""
    by_number = {t.number: t for t in tables}
    toc, body = [], []
    for n, item in enumerate(items):
        typ = item["typ"]
        if typ == "titul":
            body.append(f"<h1>{html.escape(item['text'])}</h1>")
            if item["podtitul"]:
                body.append(f"<p><em>{html.escape(item['podtitul'])}</em></p>")
            body.append("<!--obsah-->")
        elif typ in ("kapitola", "oddil"):
            level = item.get("uroven", 1 if typ == "kapitola" else 2) + 1
            body.append(f'<h{level} id="k{n}">{html.escape(item["text"])}</h{level}>')
            if level <= 3:
                toc.append(f'<li style="margin-left:{(level - 2) * 1.2}em"><a href="#k{n}">{html.escape(item["text"])}</a></li>')
        elif typ == "text":
            body.append(f"<p>{_rich(item['text'])}</p>")
        elif typ == "odrazky":
            body.append("<ul>" + "".join(f"<li>{_rich(line)}</li>" for line in item["polozky"]) + "</ul>")
        elif typ == "poznamka":
            body.append(f'<p class="poznamka">{_rich(item["text"])}</p>')
        elif typ == "graf":
            data = base64.b64encode(Path(item["png"]).read_bytes()).decode("ascii")
            caption = html.escape(f"Graf {item['cislo']}: {item['popisek']}")
            body.append(f'<figure id="graf{item["cislo"]}"><figcaption>{caption}</figcaption>'
                        f'<img src="data:image/png;base64,{data}" alt="{caption}" width="760"></figure>')
        elif typ == "tabulka":
            table = by_number[item["cislo"]]
            body.append(f'<p class="popisek" id="tabulka{table.number}">{html.escape(f"Tabulka {table.number}: {table.caption}")}</p>'
                        f'<div class="tabulka">{document._html_table(table)}</div>'
                        f'<p class="zdroj">{html.escape(table.source)}</p>')
    title = html.escape(next((i["text"] for i in items if i["typ"] == "titul"), "Analytická část"))
    nav = f'<nav><h2>Obsah</h2><ol>{"".join(toc)}</ol></nav>'
    page = "\n".join(body).replace("<!--obsah-->", nav, 1)
    return (f'<!DOCTYPE html>\n<html lang="cs">\n<head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head>\n<body>\n{page}\n</body></html>\n")
