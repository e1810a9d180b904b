"""The study (issue 3): notebook -> HTML page, charts, tabulky.xlsx and studie.docx, checked on content.

Slow tests render real studies (ORP Jihlava, a custom microregion, the ORP of okres Jihlava) from the real
warehouse plus real boundaries; the fast ones check the collector and the findings on small made-up tables.
"""
from datetime import date
import json
import math
from pathlib import Path
import re

import docx
import duckdb
from matplotlib.figure import Figure
from openpyxl import load_workbook
import pandas as pd
from PIL import Image
import pytest

from builders import (ORP_GEOJSON, TOPOJSON, copy_data_dir, invoke_sprss, plain, real, small_data_dir, tables_off_page,
                      tool_internals)
from pipeline.chapters.demografie import data as study_data
from pipeline.chapters.demografie import findings, tables
from pipeline.chapters.runner import render_batch, render_study
from pipeline.core.errors import SprssError
from pipeline.core import territory
from pipeline.core.territory import Area, label
from pipeline.core.text import czech_date, typeset
from pipeline.indicators import demografie as indicators
from pipeline.indicators import metadata, small_bases
from pipeline.render import combined
from pipeline.render.document import Study, verify
from pipeline.sources import geo_hranice_obci, geo_hranice_uzemi
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

JIHLAVA = "orp:6105"
CHAPTERS = ["Vymezení území", "Počet obyvatel a jeho vývoj", "Věková struktura", "Demografické indexy",
            "Shrnutí", "Zdroje a metodika"]
TRESTSKO = """nazev: Mikroregion Třešťsko
obce: [588032, 587290, Hodice, 587338, 588041]
oblasti:
  Třešť: [588032, 587290, 588041]
  Hodice: [Hodice, 587338]
"""


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data(real_warehouse, tmp_path_factory):
    """The real warehouse plus the real obec and ORP boundaries, so the maps are drawn as well."""
    for path in (TOPOJSON, ORP_GEOJSON):
        real(path)
    copy = copy_data_dir(real_warehouse, tmp_path_factory.mktemp("report") / "data")
    con = duckdb.connect(str(copy.warehouse))
    try:
        for frame in (geo_hranice_obci.parse(TOPOJSON.read_bytes(), TOPOJSON.name, date(2022, 1, 1)).tables["hranice"],
                      geo_hranice_uzemi.parse(ORP_GEOJSON.read_bytes(), ORP_GEOJSON.name).tables["hranice"]):
            con.register("incoming", frame)
            con.execute("INSERT INTO hranice BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
    finally:
        con.close()
    return copy


@pytest.fixture(scope="module")
def jihlava(data, tmp_path_factory) -> Path:
    return render_study(JIHLAVA, tmp_path_factory.mktemp("jihlava") / "orp-jihlava", data)


def manifest_items(out_dir: Path, typ: str) -> list[dict]:
    return [item for item in verify(out_dir)["polozky"] if item["typ"] == typ]


def expected_indicators(data, selector: str) -> pd.DataFrame:
    """What `sprss indicators --level vse` computes for the same territory."""
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        areas = [chosen.area, *chosen.oblasti, *territory.obec_areas(chosen), *territory.comparisons(chosen, obce)]
        return indicators.compute(con, areas)


# ---------------------------------------------------------------- one study, real data


@pytest.mark.slow
def test_workbook_numbers_equal_the_indicators(jihlava, data):
    expected = expected_indicators(data, JIHLAVA)
    lookup = {(k, c, o): v for k, c, o, v in expected[["uzemi_kod", "ukazatel", "obdobi", "hodnota"]].itertuples(index=False)}
    by_title = {tables.column_title(c): c for c in metadata.by_code()}
    by_label = {}
    for typ, kod, nazev in expected[["uzemi_typ", "uzemi_kod", "uzemi_nazev"]].drop_duplicates().itertuples(index=False):
        by_label[label(Area(typ, kod, nazev, ()))] = kod
    book = load_workbook(jihlava / "tabulky.xlsx")
    sheets = {item["list"]: item for item in manifest_items(jihlava, "tabulka")}
    assert list(book.sheetnames) == list(sheets)
    checked = 0
    for name in book.sheetnames:
        ws = book[name]
        assert ws["A1"].value == f"Tabulka {sheets[name]['cislo']}: {sheets[name]['popisek']}"
        assert ws.freeze_panes == "A3" and all(cell.font.bold for cell in ws[2])
        header = [cell.value for cell in ws[2]]
        rows = [list(row) for row in ws.iter_rows(min_row=3, max_row=2 + sheets[name]["radku"])]
        assert ws.cell(ws.max_row, 1).value.startswith("Zdroj:")
        if "Kód" in header:  # one area per row, one indicator per column, all at the date in the caption
            columns = {i: by_title[h] for i, h in enumerate(header) if h in by_title}
            cells = [(row[header.index("Kód")].value, columns[i], row[i]) for row in rows for i in columns]
            dates = {o for _, _, o in lookup}

            def shown(cell):  # shares are fractions in a percent format; small obce's rates are left out
                return cell.value * 100 if cell.number_format.endswith("%") else cell.value
            matching = [o for o in sorted(dates)
                        if all(math.isclose(shown(cell), lookup.get((kod, code, o), math.nan), rel_tol=1e-12)
                               if cell.value is not None else
                               (code not in small_bases.rate_codes() or lookup[(kod, "obyvatel_celkem", o)] < 100)
                               for kod, code, cell in cells)]
            assert matching, f"sheet {name}: no date at which every value equals the indicators"
            assert typeset(f"k {czech_date(date.fromisoformat(matching[-1]))}") in ws["A1"].value
            assert ws.auto_filter.ref.startswith("A2:")
            checked += len(cells)
        elif "Stav k datu" in header and "Poznámka" in header:  # population over time, one column per area
            for row in rows:
                obdobi = row[0].value.date().isoformat()
                for i, h in enumerate(header):
                    if h in by_label:
                        assert row[i].value == lookup[(by_label[h], "obyvatel_celkem", obdobi)]
                        checked += 1
        for row in rows:
            for cell in row:
                if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                    assert cell.number_format.startswith(("#,##0", "0.0")), (name, cell.coordinate, cell.number_format)
    assert checked > 78 * 5


@pytest.mark.slow
def test_html_page_is_clean_and_self_contained(jihlava):
    page = (jihlava / "studie.html").read_text(encoding="utf-8")
    assert 'class="jp-InputArea' not in page and "input_area" not in page
    assert "Traceback" not in page and "Warning" not in page
    visible = re.sub(r"<[^>]*>", " ", re.sub(r"<style.*?</style>", "", page, flags=re.S))  # text, not CSS or images
    assert not re.search(r"warn|error|exception", visible, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert page.count('src="data:image/png;base64,') == len(manifest_items(jihlava, "graf"))
    assert '<html lang="cs">' in page
    assert re.findall(r"<h2[^>]*>([^<]+)", page) == [typeset(f"{n}. {c}") for n, c in enumerate(CHAPTERS, start=1)]


@pytest.mark.slow
def test_charts_are_numbered_300_dpi_png_and_svg(jihlava):
    charts = manifest_items(jihlava, "graf")
    assert len(charts) >= 8  # 3 maps, trend, pyramid, age groups, seniors, index stáří per obec
    files = sorted(p.name for p in (jihlava / "grafy").iterdir())
    assert files == sorted(Path(c[k]).name for c in charts for k in ("png", "svg"))
    for number, chart in enumerate(charts, start=1):
        assert Path(chart["png"]).name.startswith(f"{number:02d}_")
        with Image.open(jihlava / chart["png"]) as image:
            assert [round(v) for v in image.info["dpi"]] == [300, 300]
            assert abs(image.width - 16 / 2.54 * 300) <= 1  # 16 cm wide: pasted at 100 %
    assert any("mapa" in c["png"] for c in charts)


@pytest.mark.slow
def test_docx_holds_every_chart_and_table_with_captions_in_chapter_order(jihlava):
    document = docx.Document(jihlava / "studie.docx")
    charts, tables_ = manifest_items(jihlava, "graf"), manifest_items(jihlava, "tabulka")
    assert len(document.inline_shapes) == len(charts)
    assert all(abs(shape.width.cm - 16) < 0.01 for shape in document.inline_shapes)
    assert len(document.tables) == len(tables_)
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if re.match(r"Graf \d+:", t)] == [f"Graf {c['cislo']}: {c['popisek']}" for c in charts]
    assert [t for t in texts if re.match(r"Tabulka \d+:", t)] == [f"Tabulka {t['cislo']}: {t['popisek']}" for t in tables_]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [typeset(f"{n}. {c}") for n, c in enumerate(CHAPTERS, start=1)]
    first = document.tables[0]
    total = [row for row in first.rows if row.cells[0].text.startswith("Celkem")][0]
    population = total.cells[2].text
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})+", population)  # '102 996' with a narrow no-break space
    assert "," in first.rows[1].cells[3].text  # mean age with a decimal comma
    sources = [t for t in texts if t.startswith("Zdroj:")]
    assert len(sources) == len(tables_)  # a chart's source line is inside its PNG, not repeated below it


@pytest.mark.slow
def test_findings_never_call_a_series_break_growth(jihlava):
    summary = json.loads((jihlava / "manifest.json").read_text(encoding="utf-8"))
    bullets = [i for i in summary["polozky"] if i["typ"] == "odrazky"]
    text = " ".join(line for item in bullets for line in item["polozky"])
    assert typeset("V období bez zlomu řady (1. 1. 2020–1. 1. 2021) počet obyvatel vzrostl o 65 osob") in text
    assert "revize podle SLDB 2021" in text and typeset("osoby s dočasnou ochranou") in text
    assert "nelze je proto číst jako skutečný přírůstek ani úbytek" in text


@pytest.mark.slow
def test_custom_territory_with_sub_areas(data, tmp_path):
    spec = tmp_path / "trestsko.yaml"
    spec.write_text(TRESTSKO, encoding="utf-8")
    out = render_study(str(spec), tmp_path / "trestsko", data)
    book = load_workbook(out / "tabulky.xlsx")
    names = {name: [row[0] for row in book[name].iter_rows(min_row=3, values_only=True)] for name in book.sheetnames}
    indices = next(v for k, v in names.items() if "indexy" in k)
    ages = next(v for k, v in names.items() if "vekove_skupiny" in k)
    for rows in (indices, ages):
        assert "oblast Třešť" in rows and "oblast Hodice" in rows
    assert {"Třešť", "Jihlávka", "Hodice", "Kaliště", "Třeštice"} <= set(indices)
    assert "ORP Jihlava" in indices  # a custom territory is compared with the ORP it lies in
    members = next(v for k, v in names.items() if k.endswith("_obce"))
    assert members[0:5] == ["Hodice", "Jihlávka", "Kaliště", "Třešť", "Třeštice"]
    document = docx.Document(out / "studie.docx")
    assert len(document.inline_shapes) == len(manifest_items(out, "graf"))


@pytest.mark.slow
def test_batch_renders_every_orp_with_an_index_page(data, tmp_path):
    studies = render_batch("okres:Jihlava", "orp", tmp_path / "reports", data, jobs=2)
    assert [p.name for p in studies] == ["orp-jihlava", "orp-telc"]
    for out in studies:
        verify(out)
        assert (out / "studie.html").exists()
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="orp-jihlava/studie.html"' in index and 'href="orp-telc/studie.html"' in index
    assert "ORP Telč" in index and "102\u202f996" in index
    assert 'href="orp-jihlava/studie.docx"' in index and 'href="orp-jihlava/tabulky.xlsx"' in index
    assert "Index stáří" in index and "<script>" in index and "http" not in index  # sortable, offline


@pytest.mark.slow
def test_combined_report_of_a_tiny_obec_without_children(data, tmp_path):
    """Vysoká Lhota (14 inhabitants, no child): keeps its age chapters, its rates are shown but not compared."""
    out = tmp_path / "lhota"
    result = invoke_sprss("report", "--territory", "obec:561771", "--out", str(out), data=data)
    assert result.returncode == 0, result.stderr
    document = docx.Document(out / "analyticka-cast.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1.3 Věková struktura" in text and "neobsahuje věkové složení" not in text
    assert "Analýza se týká území obce Vysoká Lhota se 16 obyvateli k 1. 1. 2023." in text.replace("\xa0", " ")
    assert "Index stáří nelze" in text and "neporovnává" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    appendix = headings.index(combined.APPENDIX)  # every chapter's sources and methods, socialni's too
    assert not [h for h in headings[:appendix] if "metodika" in h.lower()] and len(headings) > appendix + 1
    assert tool_internals((out / "analyticka-cast.html").read_text(encoding="utf-8")) == set()
    assert tables_off_page(out / "analyticka-cast.docx") == []  # the sources table with its addresses too
    assert document.core_properties.title == "Analytická část: Vysoká Lhota"
    assert (out / "demografie" / "studie.docx").exists() and (out / "tabulky.xlsx").exists()
    assert load_workbook(out / "tabulky.xlsx").sheetnames[0] == "Obsah"


@pytest.mark.slow
def test_report_command_fails_cleanly_on_unknown_territory(data):
    result = invoke_sprss("report", "--territory", "orp:Neexistuje", data=data)
    assert result.returncode == 1
    assert "Chyba:" in result.stderr and "Neexistuje" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- fast: collector and findings


def small_figure() -> Figure:
    fig = Figure(figsize=(16 / 2.54, 6 / 2.54))
    fig.subplots().plot([1, 2, 3], [3, 1, 2])
    return fig


def test_study_numbers_charts_and_tables_and_writes_all_outputs(tmp_path):
    out = tmp_path / "studie"
    (out / "grafy").mkdir(parents=True)
    (out / "grafy" / "07_stary_graf.png").write_bytes(b"old")  # from an earlier run with more charts
    s = Study(out)
    s.title("Sociodemografická analýza: Zkušební území")
    s.chapter("Vymezení území")
    s.text("Odstavec s **tučným** slovem.")
    s.chart(small_figure(), "prvni", "První graf", "Zdroj: zkouška")
    s.table(pd.DataFrame({"Obec": ["A", "B"], "Počet obyvatel": [12345, 678], "Podíl (%)": [12.345, 7.0]}),
            "obce", "Obce", "Zdroj: zkouška", {"Podíl (%)": 1})
    s.chapter("Počet obyvatel")
    s.chart(small_figure(), "druhy", "Druhý graf", "Zdroj: zkouška")
    s.finish()
    assert sorted(p.name for p in (out / "grafy").iterdir()) == ["01_prvni.png", "01_prvni.svg", "02_druhy.png", "02_druhy.svg"]
    ws = load_workbook(out / "tabulky.xlsx")["01_obce"]
    assert ws["A1"].value == "Tabulka 1: Obce" and ws["B2"].value == "Počet obyvatel"
    assert ws["B3"].value == 12345 and ws["B3"].number_format == "#,##0"
    assert ws["C3"].value == 0.12345 and ws["C3"].number_format == "0.0 %" and ws["A6"].value == "Zdroj: zkouška"
    document = docx.Document(out / "studie.docx")
    texts = [p.text for p in document.paragraphs]
    assert "Graf 1: První graf" in texts and "Graf 2: Druhý graf" in texts and "Tabulka 1: Obce" in texts
    assert [c.text for c in document.tables[0].rows[1].cells] == ["A", "12\u202f345", "12,3"]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "tučným" in bold
    assert texts.index("Graf 1: První graf") < texts.index("2. Počet obyvatel") < texts.index("Graf 2: Druhý graf")


def test_verify_names_missing_files(tmp_path):
    s = Study(tmp_path)
    s.chart(small_figure(), "graf", "Graf", "Zdroj: zkouška")
    s.finish()
    (tmp_path / "grafy" / "01_graf.svg").unlink()
    with pytest.raises(Exception, match="01_graf.svg"):
        verify(tmp_path)


def indicator_rows(area: Area, code: str, values: dict[str, float]) -> list[dict]:
    return [{"uzemi_typ": area.typ, "uzemi_kod": area.kod, "uzemi_nazev": area.nazev, "obdobi": o, "ukazatel": code,
             "hodnota": v, "jednotka": ""} for o, v in values.items()]


ORP = Area("orp", "1", "Zkušebné", ())
KRAJ = Area("kraj", "2", "Zkušební kraj", ())
STAT = Area("stat", "CZ", "Česká republika", ())


def test_population_change_sets_series_breaks_apart():
    ind = pd.DataFrame(indicator_rows(ORP, "obyvatel_celkem", {
        "2020-01-01": 1000, "2020-12-31": 1010, "2021-01-01": 1010, "2022-01-01": 900, "2023-01-01": 1100,
        "2024-01-01": 1113}))
    assert findings.population_change(ind, ORP) == [
        "Území ORP Zkušebné mělo k 1. 1. 2024 celkem 1\u202f113 obyvatel.",
        "V obdobích bez zlomu řady (1. 1. 2020–1. 1. 2021 a 1. 1. 2023–1. 1. 2024) počet obyvatel vzrostl o 23\u00a0osob.",
        "Změny přes zlom řady zahrnují i změnu metodiky, a nelze je proto číst jako skutečný přírůstek ani úbytek obyvatel: "
        "1. 1. 2021 → 1. 1. 2022 \u2212110\u00a0osob (revize podle SLDB 2021); "
        "1. 1. 2022 → 1. 1. 2023 +200\u00a0osob (osoby s dočasnou ochranou).",
    ]


def test_breaks_between_treats_31_december_as_the_next_stock():
    assert [b.popisek for b in findings.breaks_between("2020-12-31", "2021-12-31")] == ["revize podle SLDB 2021"]
    assert findings.breaks_between("2020-01-01", "2020-12-31") == []


def test_compare_and_extremes_sentences():
    obce = [Area("obec", str(n), name, ()) for n, name in enumerate(["Alfa", "Beta", "Gama", "Delta"], start=10)]
    rows = indicator_rows(ORP, "podil_65_plus", {"2020-12-31": 19.76}) + indicator_rows(KRAJ, "podil_65_plus", {"2020-12-31": 20.78}) \
        + indicator_rows(STAT, "podil_65_plus", {"2020-12-31": 20.17})
    for area, index, people in zip(obce, [150.0, 90.0, 300.0, 120.0], [500, 800, 60, 1000]):
        rows += indicator_rows(area, "index_stari", {"2020-12-31": index})
        rows += indicator_rows(area, "obyvatel_celkem", {"2020-12-31": people})
    rows += indicator_rows(KRAJ, "index_stari", {"2020-12-31": 130.0})
    ind = pd.DataFrame(rows)
    sentence = findings.compare(ind, ORP, [KRAJ, STAT], "podil_65_plus", "2020-12-31")
    assert sentence == ("Podíl seniorů 65+ let činil k 31. 12. 2020 v území ORP Zkušebné 19,8\u00a0%, o 1,0 procentního bodu "
                        "méně než v kraji (Zkušební kraj: 20,8\u00a0%) a o 0,4 procentního bodu méně než v ČR "
                        "(Česká republika: 20,2\u00a0%).")
    extremes = findings.extremes(ind, obce, "index_stari", "2020-12-31", n=1)
    assert "nejvyšší v obcích Alfa (150,0)" in extremes and "nejnižší v obcích Beta (90,0)" in extremes
    assert "Gama" not in extremes  # 60 inhabitants: below the ranking threshold
    assert findings.above_reference(ind, obce, KRAJ, "index_stari", "2020-12-31") == \
        "Index stáří vyšší než kraj (Zkušební kraj: 130,0) má 1 ze 3 srovnávaných obcí. Nesrovnává se 1 obec " \
        "(méně než 100 obyvatel): Gama."


def test_one_stock_of_the_population_is_no_development(tmp_path_factory, tmp_path):
    """With one publication imported, 'Vývoj počtu obyvatel' was a chart of one point under a caption promising
    a development, after a sentence on the breaks 'marked in the chart'."""
    data = small_data_dir(tmp_path_factory)  # one synthetic publication: Praha and three obce of ORP Jihlava
    with pytest.raises(SprssError, match=r"^Počet obyvatel ORP Jihlava není v podkladech k žádnému datu úplný: "
                                         r"chybí u obcí Brtnice, .+ a 1 další\. Importujte publikaci"):
        render_study("orp:6105", tmp_path / "orp", data, chapter="demografie")
    out = render_study("obec:586846", tmp_path / "jedna", data, chapter="demografie")
    items = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["polozky"]
    texts = [plain(i["text"]) for i in items if i["typ"] in ("text", "poznamka")]
    assert "Vývoj počtu obyvatel nelze ukázat: podklady analýzy obsahují počet obyvatel jen k 1. 1. 2024." in texts
    assert not [i for i in items if i["typ"] == "graf" and "vyvoj" in i["png"]]
    assert not [t for t in texts if "v grafu" in t]


def test_the_list_of_obce_shows_an_average_age_only_where_the_date_has_one(real_warehouse):
    """The age tables of 31. 12. give no average age: a column of dashes under 'počet obyvatel a průměrný věk',
    sourced to the publication, was what a warehouse without publications printed."""
    d = study_data.load(JIHLAVA, real_warehouse.root)
    at_new_year, at_year_end = tables.members(d, "2023-01-01"), tables.members(d, "2020-12-31")
    assert tables.column_title("prumerny_vek") in at_new_year.frame
    assert list(at_year_end.frame.columns) == ["Obec", "Kód", tables.column_title("obyvatel_celkem")]
    assert "Věkové složení" in at_year_end.source and "Počet obyvatel v obcích" not in at_year_end.source
