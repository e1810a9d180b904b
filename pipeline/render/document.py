"""The study as the analyst receives it: numbered charts and tables collected in chapter order.

The notebook calls `Study` for every heading, paragraph, chart and table, so the rendered notebook,
`studie.docx` and `tabulky.xlsx` always hold the same content in the same order; `manifest.json` lists
it so that a batch run can check every output exists.
"""
import copy
from dataclasses import dataclass, field, replace
from datetime import date
import html
import io
import json
from pathlib import Path
import re
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from IPython import get_ipython
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
import pandas as pd

from pipeline.core.config import author
from pipeline.core.errors import SprssError
from pipeline.core.files import archive_time, atomic_write, reproducible_archive
from pipeline.core.text import czech_date, typeset
from pipeline.render import style
from pipeline.render.text_width import width_cm

MANIFEST = "manifest.json"
METHODS = "Zdroje a metodika"  # the chapter the combined document moves into its one appendix
CHART_DIR = "grafy"
WORKBOOK = "tabulky.xlsx"
DOCUMENT = "studie.docx"
PICTURE_WIDTH = Cm(16)
TEXT_WIDTH_CM = 16.0
LANDSCAPE_WIDTH_CM = 24.7  # A4 landscape with the same margins: for tables whose words do not fit 16 cm
TABLE_FONT_PT = 9
CELL_PAD_CM = 0.45  # the cell margins of style Table Grid (2 × 0.19 cm) and the borders
WIDTH_SLACK = 1.06  # measured widths are exact for Calibri and Carlito; a little more for rounding in the layout
LONGEST_TEXT_CM = 9.5  # a longer text wraps in its column (about 60 characters)
SHORT_CM = 2.5  # text columns this narrow (codes, dates) keep their width
LONG_WORD = 32  # characters; longer is an address, not a word ("nejneobhospodařovávatelnějšími" has 30)
SHOWN_WIDTH = 760  # px of a chart in the HTML page (the 300 dpi file stays sharp when zoomed)
BOLD = re.compile(r"\*\*(.+?)\*\*")
BLANKS = re.compile(r"[ \t\r\n]+")  # not str.split(): that would also eat the no-break spaces inside numbers


@dataclass
class _Table:
    number: int
    stem: str
    caption: str
    source: str
    frame: pd.DataFrame
    decimals: dict[str, int]

    @property
    def sheet(self) -> str:
        return f"{self.number:02d}_{self.stem}"[:31]

    def text(self, column: str, value: Any) -> str:
        """Czech notation as printed in the study: '12 345,6', dates '1. 1. 2023', '–' for no value."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return "–"
        if isinstance(value, date):
            return typeset(czech_date(value))
        if column in self.decimals:
            return style.czech_number(float(value), self.decimals[column])
        return typeset(str(value))

    def record(self) -> dict:
        """The table as JSON for the manifest, so that a combined document can be written from the chapters."""
        dates = [c for c in self.frame.columns if self.frame[c].map(lambda v: isinstance(v, date)).any()]
        values = [[date(v.year, v.month, v.day).isoformat() if isinstance(v, date) else None if _missing(v) else v
                   for v in row]
                  for row in self.frame.itertuples(index=False)]
        return {"sloupce": [str(c) for c in self.frame.columns], "hodnoty": values, "desetinna": self.decimals,
                "datumy": dates}

    @classmethod
    def from_record(cls, number: int, stem: str, caption: str, source: str, record: dict) -> "_Table":
        frame = pd.DataFrame(record["hodnoty"], columns=record["sloupce"])
        for column in record["datumy"]:
            frame[column] = [date.fromisoformat(v) if isinstance(v, str) else v for v in frame[column]]
        return cls(number, stem, caption, source, frame, record["desetinna"])


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


@dataclass
class Study:
    """Collects the study while the notebook runs; `finish()` writes the Word document and the workbook."""
    out_dir: Path
    items: list[dict] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.out_dir = Path(self.out_dir)
        charts = self.out_dir / CHART_DIR
        charts.mkdir(parents=True, exist_ok=True)
        for old in [*charts.glob("[0-9][0-9]_*.png"), *charts.glob("[0-9][0-9]_*.svg")]:
            old.unlink()  # numbering restarts with every run: stale files would look like current charts

    def title(self, text: str, subtitle: str = "") -> None:
        text, subtitle = typeset(text), typeset(subtitle)
        self.items.append({"typ": "titul", "text": text, "podtitul": subtitle})
        self._show(Markdown(f"# {text}" + (f"\n\n*{subtitle}*" if subtitle else "")))

    def chapter(self, title: str) -> None:
        number = sum(item["typ"] == "kapitola" for item in self.items) + 1
        heading = typeset(f"{number}. {title}")
        self.items.append({"typ": "kapitola", "text": heading})
        self._show(Markdown(f"## {heading}"))

    def methods(self) -> None:
        """The chapter of sources and methods, always last; in the combined document it joins the appendix."""
        self.chapter(METHODS)

    def section(self, title: str) -> None:
        title = typeset(title)
        self.items.append({"typ": "oddil", "text": title})
        self._show(Markdown(f"### {title}"))

    def text(self, paragraph: str) -> None:
        """A paragraph; **bold** is the only markup, so Word and HTML show the same."""
        paragraph = _flat(paragraph)
        self.items.append({"typ": "text", "text": paragraph})
        self._show(Markdown(paragraph))

    def bullets(self, lines: list[str]) -> None:
        lines = [_flat(line) for line in lines]
        self.items.append({"typ": "odrazky", "polozky": lines})
        self._show(Markdown("\n".join(f"- {line}" for line in lines)))

    def note(self, paragraph: str) -> None:
        """A remark in italics (e.g. why a chart is missing)."""
        paragraph = _flat(paragraph)
        self.items.append({"typ": "poznamka", "text": paragraph})
        self._show(Markdown(f"*{paragraph}*"))

    def chart(self, fig: Figure, stem: str, caption: str, source: str) -> Path:
        """Save `grafy/NN_stem.png` (300 dpi) and `.svg`; NN is the chart's number in the study."""
        number = self._count("graf") + 1
        caption = _flat(caption)
        png, svg = style.save(fig, self.out_dir / CHART_DIR, f"{number:02d}_{stem}")
        self.items.append({"typ": "graf", "cislo": number, "popisek": caption, "zdroj": source,
                           "png": png.relative_to(self.out_dir).as_posix(), "svg": svg.relative_to(self.out_dir).as_posix()})
        self._show(Markdown(f"**Graf {number}:** {caption}"),
                   Image(filename=str(png), width=SHOWN_WIDTH, metadata={"alt": caption}))
        return png

    def table(self, frame: pd.DataFrame, stem: str, caption: str, source: str,
              number_formats: dict[str, int] | None = None) -> None:
        """A table with Czech headers; `number_formats` gives decimals per column (other numbers: whole)."""
        decimals = {c: 0 for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
        decimals.update(number_formats or {})
        caption, source = _flat(caption), _flat(source)
        table = _Table(self._count("tabulka") + 1, stem, caption, source, frame.reset_index(drop=True), decimals)
        self.tables.append(table)
        self.items.append({"typ": "tabulka", "cislo": table.number, "popisek": caption, "zdroj": source,
                           "list": table.sheet, "radku": len(frame), "stem": stem, "data": table.record()})
        self._show(Markdown(f"**Tabulka {table.number}:** {caption}"), HTML(_html_table(table)),
                   Markdown(f"<small>{html.escape(source)}</small>"))

    def finish(self) -> dict[str, Path]:
        """Write tabulky.xlsx, studie.docx and manifest.json; return their paths."""
        if not self.items:
            raise SprssError("Studie je prázdná: notebook nezapsal žádný obsah.")
        paths = {"xlsx": self.out_dir / WORKBOOK, "docx": self.out_dir / DOCUMENT, "manifest": self.out_dir / MANIFEST}
        atomic_write(paths["xlsx"], _workbook(self.tables))
        atomic_write(paths["docx"], _document(self.items, self.tables, self.out_dir, properties(self.items)))
        manifest = {"polozky": self.items, "vystupy": [WORKBOOK, DOCUMENT]}
        atomic_write(paths["manifest"], json.dumps(manifest, ensure_ascii=False, indent=1, default=_plain).encode("utf-8"))
        return paths

    def _count(self, typ: str) -> int:
        return sum(item["typ"] == typ for item in self.items)

    @staticmethod
    def _show(*objects: object) -> None:
        if get_ipython() is not None:
            display(*objects)


def _plain(value: Any) -> Any:
    """numpy scalars in table cells as plain JSON numbers."""
    return value.item() if hasattr(value, "item") else str(value)


def properties(items: list[dict]) -> dict[str, str]:
    """Title, subject (the territory, after the colon of the title) and author of a document from its items."""
    title = next((item["text"] for item in items if item["typ"] == "titul"), "Analytická část")
    return {"title": title, "subject": title.partition(": ")[2], "author": author()}


def _flat(text: str) -> str:
    """One line (the notebook writes long paragraphs as multi-line strings), typeset for print."""
    return typeset(BLANKS.sub(" ", text).strip())


def verify(out_dir: Path) -> dict:
    """The manifest of a finished study, after checking that every file it lists exists."""
    out_dir = Path(out_dir)
    path = out_dir / MANIFEST
    if not path.exists():
        raise SprssError(f"Studie v {out_dir} není dokončená: chybí {MANIFEST}.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files = manifest["vystupy"] + [item[k] for item in manifest["polozky"] if item["typ"] == "graf" for k in ("png", "svg")]
    missing = [f for f in files if not (out_dir / f).exists()]
    if missing:
        raise SprssError(f"Studie v {out_dir} je neúplná: chybí {', '.join(missing)}.")
    return manifest


def _html_table(table: _Table) -> str:
    kind = {c: "cislo" if c in table.decimals else "text" for c in table.frame.columns}
    head = "".join(f'<th class="{kind[c]}">{html.escape(str(c))}</th>' for c in table.frame.columns)
    rows = []
    for values in table.frame.itertuples(index=False):
        cells = "".join(f'<td class="{kind[c]}">{html.escape(table.text(c, v))}</td>'
                        for c, v in zip(table.frame.columns, values, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="sprss-tabulka"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


# ---------------------------------------------------------------- workbook

THIN = Side(style="thin", color="A0A0A0")


def _excel_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _is_share(column: str) -> bool:
    """A column of shares in per cent ('Podíl seniorů 65+ let (%)'): Excel gets fractions in a percent format."""
    return str(column).rstrip().endswith("(%)")


def _workbook(tables: list[_Table]) -> bytes:
    """One sheet per table: caption, bold frozen header, formatted numbers, source line under the table."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        ws = book.create_sheet(table.sheet)
        columns = list(table.frame.columns)
        ws.append([f"Tabulka {table.number}: {table.caption}"])
        ws.cell(1, 1).font = Font(bold=True, size=12)
        ws.append(columns)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EEF4")
            cell.border = Border(bottom=THIN)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="right" if cell.value in table.decimals else "left")
        shares = {c for c in columns if c in table.decimals and _is_share(c)}
        for values in table.frame.itertuples(index=False):
            ws.append([None if _missing(v) else v / 100 if c in shares else v
                       for c, v in zip(columns, values, strict=True)])
        for position, column in enumerate(columns, start=1):
            for (cell,) in ws.iter_rows(min_row=3, min_col=position, max_col=position):
                if column in shares:
                    cell.number_format = "0." + "0" * max(table.decimals[column], 1) + " %"
                elif column in table.decimals:
                    cell.number_format = _excel_format(table.decimals[column])
                elif isinstance(cell.value, date):
                    cell.number_format = "d. m. yyyy"
            shown = [table.text(column, v) for v in table.frame[column]]
            width = max([len(w) for w in str(column).split()] + [len(s) for s in shown] + [8])
            ws.column_dimensions[get_column_letter(position)].width = min(width + 2, 50)
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{2 + len(table.frame)}"
        ws.append([])
        ws.append([table.source])
        ws.cell(ws.max_row, 1).font = Font(italic=True, color="505050")
    if not tables:
        book.create_sheet("bez tabulek").append(["Studie neobsahuje žádnou tabulku."])
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible_archive(buffer.getvalue())


# ---------------------------------------------------------------- Word document

def _document(items: list[dict], tables: list[_Table], out_dir: Path, props: dict[str, str],
              before: Any = None) -> bytes:
    """The Word document of `items`; `before(doc)` may add front matter (contents) after the title.

    A chart's source line is part of its PNG (so the picture stays self-contained when reused) and is not
    repeated below it; a table's source line follows the table. Heading levels: item["uroven"], else by type."""
    doc = Document()
    _page_setup(doc)
    _set_properties(doc, props)
    by_number = {t.number: t for t in tables}
    for item in items:
        typ = item["typ"]
        if typ == "titul":
            doc.add_heading(item["text"], 0)
            if item["podtitul"]:
                doc.add_paragraph(item["podtitul"], style="Subtitle")
            if before is not None:
                before(doc)
        elif typ == "kapitola":
            doc.add_heading(item["text"], item.get("uroven", 1))
        elif typ == "oddil":
            doc.add_heading(item["text"], item.get("uroven", 2))
        elif typ == "text":
            _rich_paragraph(doc.add_paragraph(), item["text"])
        elif typ == "odrazky":
            for line in item["polozky"]:
                _rich_paragraph(doc.add_paragraph(style="List Bullet"), line)
        elif typ == "poznamka":
            doc.add_paragraph().add_run(item["text"]).italic = True
        elif typ == "graf":
            _caption(doc, "Graf", item["cislo"], item["popisek"])
            picture = doc.add_paragraph()  # not kept with the next: a page of maps would be one unbreakable chain
            picture.add_run().add_picture(str(out_dir / item["png"]), width=PICTURE_WIDTH)
            picture.paragraph_format.space_after = Pt(12)
        elif typ == "tabulka":
            table = by_number[item["cislo"]]
            widths = _widths(table, TEXT_WIDTH_CM)
            wide = sum(widths) > TEXT_WIDTH_CM + 0.01
            parts = [(table, widths)]
            if wide:  # the words of its cells do not fit 16 cm: the table gets a landscape page of its own
                parts = [(part, _widths(part, LANDSCAPE_WIDTH_CM)) for part in _split(table, LANDSCAPE_WIDTH_CM)]
                _orient(doc, landscape=True)
            _caption(doc, "Tabulka", table.number, table.caption)
            for number, (part, part_widths) in enumerate(parts):
                if number:  # not a SEQ field: the continuation is the same table, Word must not count it again
                    continued = doc.add_paragraph(f"Tabulka {table.number} (pokračování): {table.caption}",
                                                  style="Caption")
                    continued.paragraph_format.space_before = Pt(12)
                    continued.paragraph_format.keep_with_next = True
                _word_table(doc, part, part_widths)
            _source(doc, table.source)
            if wide:
                _orient(doc, landscape=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return reproducible_archive(buffer.getvalue())


def _set_properties(doc: WordDocument, props: dict[str, str]) -> None:
    """Title, subject and author instead of python-docx's defaults; fixed times (reproducible_archive)."""
    core = doc.core_properties
    core.title, core.subject, core.author = props["title"], props["subject"], props["author"]
    core.last_modified_by, core.comments, core.keywords = props["author"], "", "sprss"
    core.category, core.language, core.revision = "Analytická část plánu sociálních služeb", "cs-CZ", 1
    core.created = core.modified = archive_time().replace(tzinfo=None)


def _orient(doc: WordDocument, landscape: bool) -> None:
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _page_setup(doc: WordDocument) -> None:
    """A4 with 2.5 cm margins: the text width is the 16 cm the charts are drawn for; Czech proofing."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "cs-CZ")
    normal.element.get_or_add_rPr().append(language)
    caption = doc.styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)


def _rich_paragraph(paragraph: Paragraph, text: str) -> None:
    for number, part in enumerate(BOLD.split(text)):
        if part:
            paragraph.add_run(part).bold = number % 2 == 1


def _caption(doc: WordDocument, label: str, number: int, text: str) -> None:
    """'Graf 3: …' with the number as a SEQ field, so Word renumbers captions after merging documents."""
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(f"{label} ")
    for kind, content in (("begin", None), ("instr", f" SEQ {label} \\* ARABIC "), ("separate", None),
                          ("text", str(number)), ("end", None)):
        run = paragraph.add_run()
        if kind == "text":
            run.text = str(content)
        elif kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = content
            run._r.append(instruction)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(f": {text}")


def _source(doc: WordDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(12)
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(0x50, 0x50, 0x50)


def _word_table(doc: WordDocument, table: _Table, widths_cm: list[float]) -> None:
    columns = list(table.frame.columns)
    widths = [Cm(w) for w in widths_cm]
    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # header row repeats on every page of a long table
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, column, width in zip(header.cells, columns, widths, strict=True):
        _cell(cell, typeset(str(column)), column in table.decimals, width, bold=True)
        _shade(cell, "E8EEF4")
    # The first body row is built cell by cell; the others are copies of it with their own text: the XML of every
    # body row is the same but for the text, and python-docx's get_or_add per property and cell cost most of the time.
    first: CT_Row | None = None
    for values in table.frame.itertuples(index=False):
        texts = [table.text(column, value) for column, value in zip(columns, values, strict=True)]
        if first is None:
            for cell, column, text, width in zip(grid.add_row().cells, columns, texts, widths, strict=True):
                _cell(cell, text, column in table.decimals, width)
            first = grid.rows[-1]._tr
            continue
        row = copy.deepcopy(first)
        for run, text in zip(row.iter(qn("w:r")), texts, strict=True):
            run.text = text  # as Run.text: clears the run but its properties, then w:t (w:tab, w:br, preserve)
        grid._tbl.append(row)


def _widths(table: _Table, text_width: float) -> list[float]:
    """Column widths in cm from the texts as Calibri sets them (render.text_width): numbers and short codes never
    wrap; long text shrinks towards `text_width` but never below its longest word, so no word is ever broken inside
    a cell (the sum may then exceed `text_width`: the caller turns the page). A "word" longer than LONG_WORD
    characters is an address (URL), which the fixed table layout breaks at the cell's edge; it would otherwise
    widen the table beyond any page. Headers wrap between words (bold, 9 pt)."""
    natural, narrowest = [], []
    for column in table.frame.columns:
        shown = [table.text(column, v) for v in table.frame[column]]
        header = max((_set_width(w, bold=True) for w in typeset(str(column)).split(" ")), default=0.0)  # no-break
        longest = min(max((_set_width(text) for text in shown), default=0.0), LONGEST_TEXT_CM)  # spaces join words
        word = max((_set_width(w[:LONG_WORD]) for text in shown for w in text.split(" ")), default=0.0)
        natural.append(max(header, longest) + CELL_PAD_CM)
        narrowest.append(max(header, word) + CELL_PAD_CM)
    fixed = [c in table.decimals or w <= SHORT_CM for c, w in zip(table.frame.columns, natural, strict=True)]
    if sum(natural) <= text_width:
        return natural
    widths = [n if f else m for n, m, f in zip(natural, narrowest, fixed, strict=True)]
    spare = text_width - sum(widths)
    room = sum(n - w for n, w, f in zip(natural, widths, fixed, strict=True) if not f)
    if spare <= 0 or room <= 0:
        return widths
    return [w if f else w + (n - w) * spare / room for n, w, f in zip(natural, widths, fixed, strict=True)]


def _set_width(text: str, bold: bool = False) -> float:
    """cm of `text` in a table cell (9 pt), with the slack that keeps a word from wrapping at a rounding."""
    return width_cm(text, TABLE_FONT_PT, bold) * WIDTH_SLACK


def _split(table: _Table, text_width: float) -> list[_Table]:
    """The table as it is if it fits `text_width`, else in parts by columns, each with the table's leading text
    columns (an obec's name and code), so that every part reads on its own: a table of 13 indicators per obec ran
    off both edges of a landscape page."""
    widths = _widths(table, text_width)
    if sum(widths) <= text_width + 0.01:
        return [table]
    columns = list(table.frame.columns)
    keys = next((n for n, c in enumerate(columns) if c in table.decimals), len(columns))
    keys = max(1, min(keys, len(columns) - 1))  # at least one column to repeat and one to spread
    spread = list(zip(columns[keys:], widths[keys:], strict=True))
    room = text_width - sum(widths[:keys])
    parts = len(_filled(spread, room))
    limit = max(sum(w for _, w in spread) / parts, max(w for _, w in spread))  # as even as the parts can be
    while len(groups := _filled(spread, limit)) > parts:
        limit += 0.1
    return [replace(table, frame=table.frame[columns[:keys] + group],
                    decimals={c: d for c, d in table.decimals.items() if c in columns[:keys] or c in group})
            for group in groups]


def _filled(columns: list[tuple[str, float]], room: float) -> list[list[str]]:
    """Columns in order, a new group whenever the next would exceed `room` cm."""
    groups: list[list[str]] = [[]]
    used = 0.0
    for column, width in columns:
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0.0
        groups[-1].append(column)
        used += width
    return groups


def _cell(cell: _Cell, text: str, numeric: bool, width: Length, bold: bool = False) -> None:
    cell.width = width  # Word reads the grid, LibreOffice the cell widths
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_FONT_PT)
    run.bold = bold


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
