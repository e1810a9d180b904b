"""The catalogue of a territory's social services written out: CSV (one row per service, machine column names
like `sprss coverage`), XLSX (Czech headers, filters), DOCX (headings by type) and one self-contained HTML page
with search and filters that works offline. What goes into an entry is pipeline.indicators.sluzby.catalogue.
"""
import io
from pathlib import Path
import re

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.core import territory
from pipeline.core.text import collation_key, czech_date, plural
from pipeline.indicators.sluzby import catalogue as catalogues
from pipeline.indicators.sluzby.catalogue import FORMS, LIST_SEPARATOR, WAYS, Catalogue
from pipeline.render import export

TEMPLATES = Path(__file__).with_name("templates")
TITLE = "Katalog sociálních služeb"
HEADERS = {"druh_kod": "Kód druhu", "druh_nazev": "Druh služby", "identifikator": "Identifikátor",
           "nazev": "Služba", "poskytovatel": "Poskytovatel", "ico": "IČO", "formy": "Formy", "kapacita": "Kapacita",
           "cilove_skupiny": "Cílové skupiny", "vekove_skupiny": "Věkové skupiny", "zarizeni": "Místa poskytování",
           "obce": "Obce území se zařízením", "zahrnuti": "V katalogu jako", "pusobnost": "Deklarovaná působnost",
           "web": "Web", "email": "E-mail", "telefon": "Telefon", "poskytovana_od": "Poskytována od",
           "datum": "Stav k datu", "registr_k": "Registr ve stavu k"}


def subtitle(catalogue: Catalogue) -> str:
    return (f"Služby v poskytování k {czech_date(catalogue.datum)} podle registru poskytovatelů sociálních služeb MPSV "
            f"(stav k {czech_date(catalogue.registr_k)}).")


def heading(catalogue: Catalogue) -> str:
    return f"{TITLE}: {territory.label(catalogue.territory.area)}"


def to_csv(catalogue: Catalogue) -> bytes:
    return export.to_csv_bytes(catalogues.entries(catalogue))


def to_xlsx(catalogue: Catalogue) -> bytes:
    """Title, Czech headers with filters, wrapped text; the source line under the table."""
    table = catalogues.entries(catalogue).drop(columns=["datum", "registr_k"])
    table["zahrnuti"] = table["zahrnuti"].map(WAYS)
    book = Workbook()
    ws = book.active
    ws.title = "katalog"
    ws.append([heading(catalogue)])
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.append([subtitle(catalogue)])
    ws.append([HEADERS[c] for c in table.columns])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF4")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.itertuples(index=False):
        ws.append(list(row))
    widths = {"nazev": 34, "poskytovatel": 30, "kapacita": 28, "cilove_skupiny": 40, "vekove_skupiny": 30,
              "zarizeni": 50, "druh_nazev": 28, "pusobnost": 24, "obce": 22, "zahrnuti": 22, "web": 28, "email": 28}
    for position, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(position)].width = widths.get(column, 13)
        for (cell,) in ws.iter_rows(min_row=4, min_col=position, max_col=position):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A3:{get_column_letter(len(table.columns))}{ws.max_row}"
    ws.freeze_panes = "A4"
    ws.append([])
    ws.append([catalogue.source_line])
    ws.cell(ws.max_row, 1).font = Font(italic=True, color="505050")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DOCX_FIELDS = [("poskytovatel", "Poskytovatel"), ("formy", "Formy"), ("kapacita", "Kapacita"),
               ("cilove_skupiny", "Cílové skupiny"), ("vekove_skupiny", "Věkové skupiny"),
               ("zarizeni", "Místa poskytování"), ("pusobnost", "Deklarovaná působnost"), ("web", "Web"),
               ("email", "E-mail"), ("telefon", "Telefon")]


def to_docx(catalogue: Catalogue) -> bytes:
    """A printable catalogue: a heading per type, one block of labelled lines per service."""
    table = catalogues.entries(catalogue)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "cs-CZ")
    normal.element.get_or_add_rPr().append(language)
    doc.add_heading(heading(catalogue), 0)
    doc.add_paragraph(subtitle(catalogue), style="Subtitle")
    doc.add_paragraph(f"Katalog obsahuje {plural(len(table), 'službu', 'služby', 'služeb')}, řazených podle druhu "
                      "sociální služby. Služby označené jako terénní s působností v území nemají v území zařízení, "
                      "ale v registru uvádějí, že území obsluhují.")
    for _, nazev, group in catalogues.by_type(table):
        doc.add_heading(f"{nazev[:1].upper()}{nazev[1:]} ({len(group)})", 1)
        for entry in group.itertuples(index=False):
            doc.add_heading(str(entry.nazev), 2)
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(8)
            lines = [("Identifikátor", entry.identifikator), ("V katalogu jako", WAYS.get(str(entry.zahrnuti)))]
            lines += [(label, getattr(entry, name)) for name, label in DOCX_FIELDS]
            for number, (label, value) in enumerate((label, value) for label, value in lines if value):
                if number:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(str(value))
    source = doc.add_paragraph().add_run(catalogue.source_line)
    source.italic, source.font.size, source.font.color.rgb = True, Pt(8.5), RGBColor(0x50, 0x50, 0x50)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def to_html(catalogue: Catalogue) -> bytes:
    """One page with everything inline (CSS, script, data): it opens offline, from a USB stick or an e-mail."""
    table = catalogues.entries(catalogue)
    c = catalogue
    reached = c.reach.groupby("sluzba_id")["obec_kod"].agg(lambda s: " ".join(dict.fromkeys(s)))
    target_groups = c.groups[c.groups["skupina"] == "cilova"].groupby("sluzba_id")["kod"].agg(" ".join)
    form_codes = c.forms.groupby("sluzba_id")["forma"].agg(lambda s: " ".join(dict.fromkeys(s)))
    places = c.facilities.groupby("sluzba_id")["text"].agg(list)
    records = []
    for sluzba_id, entry in zip(c.services["sluzba_id"], table.to_dict("records"), strict=True):
        records.append({**entry, "zahrnuti_text": WAYS.get(entry["zahrnuti"]), "data_obce": reached.get(sluzba_id, ""),
                        "data_skupiny": target_groups.get(sluzba_id, ""), "data_formy": form_codes.get(sluzba_id, ""),
                        "mista": places.get(sluzba_id, []),
                        "weby": [(_link(web), web) for web in (entry["web"] or "").split(LIST_SEPARATOR) if web]})
    groups = [(kod, nazev, [r for r in records if r["druh_kod"] == kod]) for kod, nazev, _ in catalogues.by_type(table)]
    obce = c.reach.drop_duplicates("obec_kod")
    options = {
        "druh": [(kod, f"{nazev} ({len(items)})") for kod, nazev, items in groups],
        "forma": [(f, FORMS.get(f, f"forma {f}")) for f in sorted(c.forms["forma"].dropna().unique(), key=catalogues.form_order)],
        "skupina": sorted({(k, n) for k, n in c.groups.loc[c.groups["skupina"] == "cilova", ["kod", "nazev"]]
                           .itertuples(index=False)}, key=lambda kn: collation_key(kn[1])),
        "obec": sorted(zip(obce["obec_kod"], obce["obec_nazev"], strict=True), key=lambda kn: collation_key(kn[1])),
    }
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                              trim_blocks=True, lstrip_blocks=True)
    page = environment.get_template("katalog.html.j2").render(
        title=heading(c), subtitle=subtitle(c), source=c.source_line, groups=groups, options=options,
        count=len(records), labels=dict(DOCX_FIELDS))
    return page.encode("utf-8")


def _link(web: str) -> str | None:
    """An address the page may link to: http(s) as given, a bare 'www.…' with https; anything else stays text."""
    if re.match(r"https?://\S+$", web, re.IGNORECASE):
        return web
    return f"https://{web}" if re.match(r"[\w.-]+\.[a-z]{2,}(/\S*)?$", web, re.IGNORECASE) else None


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "docx": to_docx, "html": to_html}
