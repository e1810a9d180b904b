"""Issue 14: Word and Excel as a typesetter would make them, and one combined document from the chapters."""
from datetime import date
import hashlib
import io
import zipfile

import docx
from docx.shared import Cm
from lxml import etree
from matplotlib.figure import Figure
from openpyxl import load_workbook
import pandas as pd

from pipeline.cli.output import write_table
from pipeline.core.text import NBSP, typeset
from pipeline.render import combined, document, export
from pipeline.render.document import Study
from pipeline.render.text_width import width_cm

LONG_WORDS = ["Nejdelšíslovovětabulce", "Pečovatelskáslužbadomov", "Odlehčovacíslužbyterénní"]  # below LONG_WORD


def figure() -> Figure:
    fig = Figure(figsize=(16 / 2.54, 6 / 2.54))
    fig.subplots().plot([1, 2, 3], [3, 1, 2])
    return fig


def chapter(out, title: str, with_methods: bool = True) -> Study:
    s = Study(out)
    s.title(f"{title}: ORP Zkušebné", "Podklad")
    s.chapter("Vymezení území")
    s.text("Území k 1. 1. 2023 má 1 234 obyvatel a v obci je 19,8 % seniorů.")
    s.chart(figure(), "graf", "Graf kapitoly", "Zdroj: zkouška")
    s.table(pd.DataFrame({"Obec": ["A", "B"], "Podíl seniorů (%)": [12.345, 7.0], "Stav k datu": [date(2023, 1, 1)] * 2}),
            "obce", "Obce", "Zdroj: zkouška", {"Podíl seniorů (%)": 1})
    if with_methods:
        s.methods()
        s.table(pd.DataFrame({"Ukazatel": ["x"], "Výpočet": ["y"]}), "metodika", "Ukazatele", "Zdroj: sprss")
    s.finish()
    return s


def test_same_input_gives_byte_identical_docx_and_xlsx(tmp_path):
    digests = []
    for n in (1, 2):
        chapter(tmp_path / str(n), "Zkouška")
        digests.append([hashlib.sha256((tmp_path / str(n) / f).read_bytes()).hexdigest() for f in ("studie.docx", "tabulky.xlsx")])
    assert digests[0] == digests[1]


def test_document_properties_and_typeset_text(tmp_path, monkeypatch):
    monkeypatch.setenv("SPRSS_AUTOR", "Odbor sociálních věcí")
    chapter(tmp_path, "Zkouška")
    document = docx.Document(tmp_path / "studie.docx")
    props = document.core_properties
    assert (props.title, props.subject, props.author) == ("Zkouška: ORP Zkušebné", "ORP Zkušebné", "Odbor sociálních věcí")
    text = next(p.text for p in document.paragraphs if p.text.startswith("Území"))
    assert f"k{NBSP}1.{NBSP}1.{NBSP}2023" in text and f"a{NBSP}v{NBSP}obci" in text and f"19,8{NBSP}%" in text


def test_chart_source_is_in_the_picture_only_table_source_below_the_table(tmp_path):
    chapter(tmp_path, "Zkouška")
    texts = [p.text for p in docx.Document(tmp_path / "studie.docx").paragraphs]
    assert texts.count("Zdroj: zkouška") == 1  # the table's; the chart's is drawn inside its PNG


def test_wide_table_gets_a_landscape_page_and_no_word_is_broken(tmp_path):
    s = Study(tmp_path)
    s.title("Zkouška: ORP Zkušebné")
    frame = pd.DataFrame({f"Sloupec {n}": [" ".join(LONG_WORDS)] for n in range(4)})
    s.table(frame, "siroka", "Široká", "Zdroj: zkouška")
    s.finish()
    document = docx.Document(tmp_path / "studie.docx")
    assert [section.orientation for section in document.sections] == [0, 1, 0]  # portrait, landscape, portrait
    widths = [cell.width.cm for cell in document.tables[0].rows[0].cells]
    assert all(w >= width_cm(LONG_WORDS[0], 9) for w in widths)  # the longest word fits its column


def test_addresses_do_not_widen_a_table_beyond_the_page(tmp_path):
    """A URL is no word: it breaks at the cell's edge (fixed layout), so a table of sources stays on the page."""
    s = Study(tmp_path)
    s.title("Zkouška: ORP Zkušebné")
    url = "https://data.csu.gov.cz/api/dotaz/v1/data/vybery/OBY02AT02?format=JSON_STAT&rozsah=CELY_VYBER"
    frame = pd.DataFrame({"Zdroj": ["ČSÚ, DataStat (výběry a datové sady)"], "Vydavatel": ["Český statistický úřad (ČSÚ)"],
                          "Oficiální adresa": [url], "Licence": [f"podmínky užívání a dalšího šíření údajů ČSÚ ({url})"]})
    s.table(frame, "zdroje", "Zdroje", "Zdroj: zkouška")
    s.finish()
    document = docx.Document(tmp_path / "studie.docx")
    text_width = max(s.page_width - s.left_margin - s.right_margin for s in document.sections) / 360000  # EMU/cm
    widths = [cell.width.cm for cell in document.tables[0].rows[0].cells]
    assert sum(widths) <= text_width + 0.01
    assert document.tables[0].rows[1].cells[2].text == url  # the address itself is untouched


def test_a_table_too_wide_even_for_landscape_is_split_by_columns_with_its_names_repeated(tmp_path):
    """13 indicators per obec ran off both edges of the landscape page."""
    s = Study(tmp_path)
    s.title("Zkouška: ORP Zkušebné")
    values = {f"Podíl příjemců příspěvku číslo {n} (%)": [1.5, 2.25] for n in range(12)}
    frame = pd.DataFrame({"Obec": ["Cerekvička-Rosice", "Aš"], "Kód": ["586986", "554499"], **values})
    s.table(frame, "obce", "Ukazatele obcí", "Zdroj: zkouška", {c: 2 for c in values})
    s.finish()
    document = docx.Document(tmp_path / "studie.docx")
    text_width = max(s.page_width - s.left_margin - s.right_margin for s in document.sections) / 360000
    parts = [[cell.text for cell in t.rows[0].cells] for t in document.tables]
    assert len(parts) > 1 and all(part[:2] == ["Obec", "Kód"] for part in parts)
    assert [h for part in parts for h in part[2:]] == [typeset(c) for c in values]  # every column once, in order
    assert all(sum(c.width.cm for c in t.rows[0].cells) <= text_width + 0.01 for t in document.tables)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Tabulka 1: Ukazatele obcí"] + ["Tabulka 1 (pokračování): Ukazatele obcí"] * (len(parts) - 1)
    assert [p.text for p in document.paragraphs].count("Zdroj: zkouška") == 1


def test_workbook_has_shares_as_percent_filters_and_dates(tmp_path):
    chapter(tmp_path, "Zkouška")
    ws = load_workbook(tmp_path / "tabulky.xlsx")["01_obce"]
    assert ws["B3"].value == 0.12345 and ws["B3"].number_format == "0.0 %"
    assert ws.auto_filter.ref == "A2:C4"
    assert ws["C3"].is_date and ws["C3"].number_format == "d. m. yyyy"


def test_combined_document_numbers_continuously_with_contents_and_one_appendix(tmp_path):
    first, second = chapter(tmp_path / "a", "Sociodemografická analýza"), chapter(tmp_path / "b", "Analýza služeb")
    assert first.items and second.items
    paths = combined.combine([tmp_path / "a", tmp_path / "b"], tmp_path, "Analytická část: ORP Zkušebné", "Podklad")
    document = docx.Document(paths["docx"])
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    front = [p.text for p in document.paragraphs if p.style.name == "TOC Heading"]  # not itself in the contents
    assert front == ["Obsah", "Seznam grafů", "Seznam tabulek"]
    assert "1. Sociodemografická analýza" in headings and "2. Analýza služeb" in headings
    assert headings[-3:] == [combined.APPENDIX, "Sociodemografická analýza", "Analýza služeb"]
    assert "Graf 1: Graf kapitoly" in texts and "Graf 2: Graf kapitoly" in texts
    assert "Tabulka 2: Obce" in texts and "Tabulka 4: Ukazatele" in texts  # the appendix tables come last
    xml = zipfile.ZipFile(paths["docx"]).read("word/document.xml").decode()
    assert 'TOC \\o "1-3"' in xml and 'TOC \\h \\z \\c "Graf"' in xml
    book = load_workbook(paths["xlsx"])
    assert book.sheetnames == ["Obsah", "01_obce", "02_obce", "03_metodika", "04_metodika"]
    assert book["Obsah"]["C3"].hyperlink.location == "'01_obce'!A1" or "01_obce" in book["Obsah"]["C3"].hyperlink.target
    page = paths["html"].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2 and "Tabulka 4: Ukazatele" in page and "<nav>" in page


def test_tidy_xlsx_has_titles_beside_codes_dates_and_filters(tmp_path):
    table = pd.DataFrame({"uzemi_kod": ["1", "1"], "obdobi": ["2023-01-01", "2023-01-01"],
                          "ukazatel": ["obyvatel_celkem", "podil_65_plus"], "hodnota": [1000.0, 19.8],
                          "jednotka": ["osoby", "%"]})
    write_table(table, export.Format.xlsx, tmp_path / "u.xlsx", "ukazatele", "Zdroj: zkouška")
    ws = load_workbook(tmp_path / "u.xlsx")["ukazatele"]
    assert [c.value for c in ws[1]] == ["uzemi_kod", "obdobi", "ukazatel", "ukazatel_nazev", "hodnota", "jednotka"]
    assert ws["D3"].value == "Podíl seniorů 65+ let" and ws["B2"].is_date
    assert ws["E3"].number_format.endswith('" %"') and ws.auto_filter.ref == "A1:F3"
    assert io.BytesIO(export.to_csv_bytes(table)).read().decode().startswith("uzemi_kod,obdobi,ukazatel,hodnota")


def test_body_rows_copied_from_the_first_are_the_rows_python_docx_builds_cell_by_cell():
    """document._word_table copies the first body row's XML for the others (speed): every row must equal the row
    the python-docx calls of _cell make, whatever the text (tabs, line breaks, edge spaces, nothing, numbers)."""
    frame = pd.DataFrame({"Text": ["první", "a\tb", " okraj ", "řádek\nzlom", "", "x"],
                          "Počet": [1, 2.5, None, 4, 5, 6]})
    table = document._Table(1, "t", "Titulek", "Zdroj", frame, {"Počet": 1})
    widths = document._widths(table, document.TEXT_WIDTH_CM)
    written = docx.Document()
    document._word_table(written, table, widths)
    expected = docx.Document()
    grid = expected.add_table(rows=1, cols=2)
    for values in frame.itertuples(index=False):
        for cell, column, value, width in zip(grid.add_row().cells, frame.columns, values, widths, strict=True):
            document._cell(cell, table.text(column, value), column in table.decimals, Cm(width))
    rows = [etree.tostring(row._tr) for row in written.tables[0].rows[1:]]
    assert rows == [etree.tostring(row._tr) for row in grid.rows[1:]]
    assert [row.cells[0].text for row in written.tables[0].rows[1:]] == ["první", "a\tb", " okraj ", "řádek\nzlom", "", "x"]


def test_a_caption_is_kept_with_its_picture_but_the_picture_not_with_what_follows(tmp_path):
    """A page of maps was one chain of kept paragraphs (caption, picture, caption, …); Word and LibreOffice break
    such a chain anywhere, and a caption ended a page without its map."""
    chapter(tmp_path, "Zkouška")
    paragraphs = docx.Document(tmp_path / "studie.docx").paragraphs
    pictures = [n for n, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]
    assert pictures and all(paragraphs[n - 1].style.name == "Caption" for n in pictures)
    assert all(paragraphs[n - 1].paragraph_format.keep_with_next for n in pictures)
    assert not any(paragraphs[n].paragraph_format.keep_with_next for n in pictures)
