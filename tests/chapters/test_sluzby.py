"""The chapter "Analýza nabídky sociálních služeb" (notebooks/sluzby.py): rendered for ORP Jihlava from the synthetic
territory, population and boundaries plus the synthetic registry (tests/fixtures/synthetic_rpss_jihlava.json) and
the MPSV code lists. Its numbers must be the services layer's (coverage, gaps, catalogue) unchanged; its
outputs are the study's set (HTML, numbered PNG + SVG charts, tabulky.xlsx, studie.docx); no personal name in any.
"""
from datetime import date
import json
from pathlib import Path
import re
import types
import zipfile

import docx
import pandas as pd
from openpyxl import load_workbook
from PIL import Image
import pytest

from builders import (
    JIHLAVSKO_OBCE,
    copy_data_dir,
    invoke_sprss,
    real,
    synthetic_population_data_dir,
    tool_internals,
    write_obec_boundaries,
    write_orp_boundary,
)
from pipeline.chapters import CHAPTERS
from pipeline.chapters.runner import render_study
from pipeline.chapters.sluzby import data as services_data
from pipeline.core import territory
from pipeline.core.territory import Area
from pipeline.core.text import typeset
from pipeline.indicators.sluzby import coverage
from pipeline.indicators.sluzby.catalogue import FORMS
from pipeline.raw import snapshots as raw
from pipeline.render.document import verify
from pipeline.sources import mpsv_ciselniky
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from registry_support import CODE_LISTS, FIXTURE, NAMES, ON, OPEN_DATA_LIST, SUPPORT

JIHLAVA = "orp:6105"
TITLES = ["Registrované sociální služby v území", "Služby podle druhu a formy",
          "Kapacita na 1 000 obyvatel cílové populace", "Rozmístění služeb v území", "Katalog služeb",
          "Zdroje a metodika"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The synthetic territory and population + square boundaries of ORP Jihlava and its obce + the synthetic
    registry + the MPSV code lists."""
    target = copy_data_dir(synthetic_population_data_dir(tmp_path_factory), tmp_path_factory.mktemp("sluzby") / "data")
    inputs = tmp_path_factory.mktemp("hranice")
    codes = [obec.kod for obec in JIHLAVSKO_OBCE]
    snapshots = [raw.stage(FIXTURE, reference_date=ON), raw.stage(OPEN_DATA_LIST, reference_date=ON),
                 *(raw.stage(path) for path in CODE_LISTS),
                 raw.stage(write_obec_boundaries(inputs / "synthetic_hranice_obci.json", codes),
                           reference_date=date(2022, 1, 1)),
                 raw.stage(write_orp_boundary(inputs / "synthetic_hranice_orp.geojson", "6105", len(codes)))]
    warehouse.build(target, snapshots, before_swap=lambda: [raw.write(s, target) for s in snapshots])
    return target


@pytest.fixture(scope="module")
def chapter(data, tmp_path_factory) -> Path:
    return render_study(JIHLAVA, tmp_path_factory.mktemp("orp-jihlava") / "sluzby", data, chapter="sluzby")


@pytest.fixture(scope="module")
def expected(data):
    """What `sprss coverage` computes for the same territory and date."""
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        return coverage.compute(con, territory.resolve(JIHLAVA, obce), obce, ON).table


def items(out: Path, typ: str) -> list[dict]:
    return [item for item in verify(out)["polozky"] if item["typ"] == typ]


def sheet(out: Path, stem: str) -> tuple[list, list[list]]:
    """(header, data rows) of the workbook sheet of one table."""
    book = load_workbook(out / "tabulky.xlsx")
    ws = book[next(name for name in book.sheetnames if name.endswith(stem))]
    table = next(t for t in items(out, "tabulka") if t["list"] == ws.title)
    rows = [list(r) for r in ws.iter_rows(min_row=2, max_row=2 + table["radku"], values_only=True)]
    return rows[0], rows[1:]


# --- the rendered chapter -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_same_output_set_as_the_study(chapter):
    assert {p.name for p in chapter.iterdir()} == {"grafy", "manifest.json", "studie.docx", "studie.html", "studie.ipynb",
                                                   "tabulky.xlsx"}
    charts = items(chapter, "graf")
    assert [Path(c["png"]).name for c in charts] == ["01_druhy_formy.png", "02_kapacita_na_1000.png",
                                                     "03_mapa_zarizeni.png", "04_mapa_dostupnosti.png"]
    assert sorted(p.name for p in (chapter / "grafy").iterdir()) == sorted(Path(c[k]).name for c in charts
                                                                           for k in ("png", "svg"))
    for item in charts:
        with Image.open(chapter / item["png"]) as image:
            assert [round(v) for v in image.info["dpi"]] == [300, 300]
            assert abs(image.width - 16 / 2.54 * 300) <= 1
    headings = [i["text"] for i in verify(chapter)["polozky"] if i["typ"] == "kapitola"]
    assert headings == [typeset(f"{n}. {t}") for n, t in enumerate(TITLES, start=1)]


@pytest.mark.slow
def test_html_page_is_clean_and_self_contained(chapter):
    page = (chapter / "studie.html").read_text(encoding="utf-8")
    assert '<html lang="cs">' in page and "<title>Analýza nabídky sociálních služeb: ORP Jihlava</title>" in page
    assert 'class="jp-InputArea' not in page and "Traceback" not in page
    assert tool_internals(page) == set()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert page.count('src="data:image/png;base64,') == 4
    assert re.findall(r"<h2[^>]*>([^<]+)", page) == [typeset(f"{n}. {t}") for n, t in enumerate(TITLES, start=1)]


@pytest.mark.slow
def test_supply_table_is_the_coverage_of_the_territory(chapter, expected):
    header, rows = sheet(chapter, "druhy_formy")
    assert header == ["Druh služby", "Forma", "Jednotka kapacity", "Počet služeb", "Kapacita"]
    own = expected[(expected.uzemi_typ == "orp") & (expected.pocet_sluzeb > 0)]
    assert [(r[3], r[4]) for r in rows] == [(p, k) for p, k in zip(own["pocet_sluzeb"], own["kapacita"])]
    assert rows[0] == ["odborné sociální poradenství", "ambulantní", "kontakty", 1, 500]
    assert ["domovy pro seniory", "pobytová", "lůžka", 2, 180] in rows


@pytest.mark.slow
def test_per_1000_table_selects_coverage_values_for_territory_kraj_and_cr(chapter, expected):
    header, rows = sheet(chapter, "kapacita_na_1000")
    assert header[4:] == ["Kapacita ORP Jihlava", "Na 1 000: ORP Jihlava", "Na 1 000: Kraj Vysočina",
                          "Na 1 000: Česká republika"]
    by_key = {(r.uzemi_typ, r.druh_nazev if isinstance(r.druh_nazev, str) else f"neznámý druh {r.druh_kod}",
               FORMS[r.forma], r.typ_kapacity): r.kapacita_na_1000 for r in expected.itertuples() if r.typ_kapacity}
    units = {"lůžka": "luzka", "klienti": "klient", "kontakty": "kontakt", "mista": "mista"}
    homes = next(r for r in rows if r[0] == "domovy pro seniory")
    assert homes[3] == "obyvatelé 80+" and homes[4] == 180
    for row in rows:
        for column, typ in zip(range(5, 8), ("orp", "kraj", "stat")):
            assert row[column] == pytest.approx(by_key[(typ, row[0], row[1], units[row[2]])], rel=1e-12), (row, typ)
    assert homes[5] == pytest.approx(180 / expected[(expected.uzemi_typ == "orp") & (expected.druh_kod == "13")]
                                     ["cilova_populace"].iloc[0] * 1000)


@pytest.mark.slow
def test_gaps_and_catalogue_tables(chapter):
    header, rows = sheet(chapter, "dostupnost_v_obcich")
    assert header == ["Obec", "Kód", "pečovatelská služba", "odlehčovací služby"]  # types located in the country
    assert len(rows) == len(JIHLAVSKO_OBCE)
    by_name = {r[0]: r[2:] for r in rows}
    assert by_name["Jihlava"] == ["se zařízením", "bez služby"]
    assert by_name["Luka nad Jihlavou"] == ["jen terénní", "se zařízením"]
    assert by_name["Polná"] == ["jen terénní", "bez služby"]  # the facility in Polná ended in 2023
    header, rows = sheet(chapter, "katalog_souhrn")
    assert rows[1] == ["pečovatelská služba", 1, 1, 2, "ambulantní: 20 klientů; terénní: 150 klientů"]
    header, rows = sheet(chapter, "katalog_sluzeb")
    assert len(rows) == 7 and rows[2][1:] == ["Pečovatelská služba Pelhřimov", "Pečovatelská služba Pelhřimov, p. o.",
                                              "terénní: 70 klientů", "terénní služba s působností v území"]
    header, rows = sheet(chapter, "obce_se_zarizenim")
    assert rows == [["Jihlava", "586846", 4, 4], ["Třešť", "588032", 2, 2], ["Luka nad Jihlavou", "587478", 1, 1]]


@pytest.mark.slow
def test_docx_mirrors_the_page(chapter):
    document = docx.Document(chapter / "studie.docx")
    assert len(document.inline_shapes) == 4 and len(document.tables) == len(items(chapter, "tabulka"))
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if re.match(r"Graf \d+:", t)] == [f"Graf {c['cislo']}: {c['popisek']}"
                                                                for c in items(chapter, "graf")]
    assert any("1000005 (bez obce)" in t for t in texts)  # the registry's traps are reported in the text


@pytest.mark.slow
def test_no_personal_name_in_any_output(chapter):
    texts = [(chapter / name).read_text(encoding="utf-8") for name in ("studie.html", "studie.ipynb", "manifest.json")]
    texts.append(zipfile.ZipFile(chapter / "studie.docx").read("word/document.xml").decode("utf-8"))
    book = load_workbook(chapter / "tabulky.xlsx")
    texts.append(" ".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v))
    for text in texts:
        assert not NAMES.search(text)


@pytest.mark.slow
def test_report_command_renders_the_chapter_into_its_own_directory(data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke_sprss("report", "--territory", "obec:Třešť", "--chapter", "sluzby", "--date", "2025-07-01", data=data)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "reports" / "obec-trest" / "sluzby"
    assert (out / "studie.html").exists() and str(out / "studie.html") in " ".join(result.stderr.split())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["polozky"][0]["text"] == "Analýza nabídky sociálních služeb: Třešť"
    assert not any(i["typ"] == "graf" and "mapa" in i["png"] for i in manifest["polozky"])  # one obec: no maps


# --- helpers, fast ---------------------------------------------------------------------------------------------


def test_chapters_are_registered():
    assert {name: c.notebook.name for name, c in CHAPTERS.items()} == {"demografie": "demografie.py", "sluzby": "sluzby.py",
                                                                      "pruzkum": "pruzkum.py", "pohyb": "pohyb.py",
                                                                      "socialni": "socialni.py", "vyhled": "vyhled.py",
                                                                      "financovani": "financovani.py", "plan": "plan.py"}
    assert all(c.notebook.is_file() for c in CHAPTERS.values())


def test_key_types_are_named_as_in_the_code_list():
    names = mpsv_ciselniky.parse(real(SUPPORT / "druh_socialni_sluzby_data.json").read_bytes(), "x").tables["mpsv_ciselnik"]
    known = dict(zip(names["kod"], names["nazev"]))
    assert {kod: known[kod] for kod in services_data.KEY_TYPES} == services_data.KEY_TYPES


def test_population_phrase():
    assert services_data.population_phrase("obyvatelé 80+") == "obyvatel 80+"
    assert services_data.population_phrase("celá populace") == "obyvatel"


def test_a_kraj_maps_facilities_summed_by_its_orp():
    """The kraj study maps its ORP (as demografie does): each circle the facilities of the ORP's obce, counted once."""
    facilities = pd.DataFrame({"obec_kod": ["1", "1", "2", "3", "3", "3", "3"],
                               "obec_nazev": ["Alfa", "Alfa", "Beta", "Gama", "Gama", "Gama", "Gama"],
                               "poradi": range(7), "sluzba_id": ["s1", "s2", "s1", "s3", "s3", "s4", "s5"],
                               "v_uzemi": True})
    orp = [Area("orp", "A", "Áčko", ("1", "2")), Area("orp", "B", "Béčko", ("3",)), Area("orp", "C", "Céčko", ("4",))]
    d = types.SimpleNamespace(catalogue=types.SimpleNamespace(facilities=facilities), map_units=orp)
    assert services_data.facilities_by_unit(d).values.tolist() == [["B", "Béčko", 4], ["A", "Áčko", 3]]
    d.map_units = [Area("obec", k, n, (k,)) for k, n in (("1", "Alfa"), ("2", "Beta"), ("3", "Gama"))]
    assert services_data.facilities_by_unit(d).values.tolist() == [["3", "Gama", 4], ["1", "Alfa", 2], ["2", "Beta", 1]]


def test_a_kraj_tabulates_its_orp_not_its_obce():
    """Facilities and gaps per ORP of a kraj: hundreds of obce would fill tens of pages (the map is by ORP too)."""
    facilities = pd.DataFrame({"obec_kod": ["1", "1", "2", "3", "3"], "obec_nazev": ["Alfa", "Alfa", "Beta", "Gama", "Gama"],
                               "poradi": range(5), "sluzba_id": ["s1", "s2", "s1", "s3", "s4"], "v_uzemi": True})
    orp = [Area("orp", "A", "Áčko", ("1", "2")), Area("orp", "B", "Béčko", ("3", "4"))]
    gaps = pd.DataFrame({"druh_kod": ["13", "13", "13"], "uzemi_kod": ["2", "3", "4"],
                         "terenni_sluzby_s_pusobnosti": [0, 2, 0]})  # obce 2 and 4 have nothing, 3 only terénní
    d = types.SimpleNamespace(catalogue=types.SimpleNamespace(facilities=facilities), map_units=orp, gaps=gaps,
                              territory=types.SimpleNamespace(obce=pd.DataFrame({"obec_kod": ["1", "2", "3", "4"]})),
                              source=lambda: "Zdroj: zkouška")
    assert services_data.facilities_table(d).frame.values.tolist() == [["Áčko", "A", 2, 3, 2], ["Béčko", "B", 1, 2, 2]]
    gaps_frame = services_data.gaps_table(d, [("13", "domovy pro seniory")]).frame
    assert list(gaps_frame.columns) == ["ORP", "Kód", "Obcí", "domovy pro seniory: obcí bez služby"]
    assert gaps_frame.values.tolist() == [["Áčko", "A", 2, 1], ["Béčko", "B", 2, 1]]
