"""`sprss catalogue` on the real territory plus the synthetic registry (tests/fixtures/synthetic_rpss_jihlava.json)
and the real MPSV code lists: exact entries for ORP Jihlava, every output format, the HTML page's search and
filters run in a real headless Chromium, and personal names nowhere in any output."""
from datetime import date
import html.parser
import io
from pathlib import Path
import re
import subprocess
from types import SimpleNamespace
import zipfile

import docx
from openpyxl import load_workbook
import pandas as pd
import pytest
from rich.console import Console

from builders import copy_data_dir, invoke_sprss, synthetic_territory_data_dir
from pipeline.chapters.sluzby import catalogue as catalogue_files
from pipeline.cli.context import Context
from pipeline.cli.report import warn_of_unnamed_codes
from pipeline.core import territory
from pipeline.indicators.sluzby import catalogue
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from registry_support import FIXTURE, NAMES, ON, registry_data

CHROMIUM = Path("/usr/bin/chromium")
# ORP Jihlava on 30. 6. 2025, in catalogue order (type code, then name): identifikator -> way into the territory
EXPECTED = {"1000012": "zarizeni", "1000003": "zarizeni", "1000011": "pusobnost", "1000009": "zarizeni",
            "1000001": "zarizeni", "1000004": "zarizeni", "1000008": "zarizeni"}
TYPES = dict(zip(EXPECTED, ["1", "4", "4", "8", "13", "13", "99"]))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return registry_data(tmp_path_factory, (FIXTURE, ON))


@pytest.fixture(scope="module")
def jihlava(con, orp) -> catalogue.Catalogue:
    return catalogue.load(con, orp, ON)


@pytest.fixture(scope="module")
def entries(jihlava) -> pd.DataFrame:
    return catalogue.entries(jihlava).set_index("identifikator", drop=False)


# --- which services ---------------------------------------------------------------------------------------


def test_one_entry_per_active_service_of_the_territory_in_type_order(entries):
    assert dict(zip(entries["identifikator"], entries["zahrnuti"])) == EXPECTED
    assert list(entries.columns) == catalogue.ENTRY_COLUMNS
    assert list(entries["druh_kod"]) == list(TYPES.values())
    # not: 1000002 ended, 1000005 facility without obec, 1000006/1000007 elsewhere, 1000010 facility opens
    # on 1. 7., 1000013 unknown obec code


def test_located_only_leaves_out_declared_field_services(con, orp):
    located = catalogue.entries(catalogue.load(con, orp, ON, declared=False))
    assert list(located["identifikator"]) == [k for k, way in EXPECTED.items() if way == "zarizeni"]


def test_entry_details(entries):
    home = entries.loc["1000001"]
    assert (home.nazev, home.poskytovatel, home.ico, home.druh_nazev) == (
        "Domov pro seniory Jihlava – budova A", "Domov pro seniory Jihlava, příspěvková organizace", "00090001",
        "domovy pro seniory")
    assert home.formy == "pobytová" and home.kapacita == "pobytová: 120 lůžek"
    assert home.cilove_skupiny == "senioři; neznámá skupina 30"  # unknown code kept, named as such
    assert home.vekove_skupiny == "mladší senioři (65 – 80 let); starší senioři (nad 80 let)"
    assert home.zarizeni == "Domov pro seniory Jihlava – budova A, Žižkova 1466/93, 586 01 Jihlava"  # repeated record once
    assert (home.obce, home.web, home.email, home.telefon) == (
        "Jihlava", "https://sluzba1.example.cz", "sluzba1@example.cz", "567100001")  # the service's own contacts
    assert (home.poskytovana_od, home.datum, home.registr_k) == ("2007-01-01", "2025-06-30", "2025-06-30")

    care = entries.loc["1000003"]
    assert care.formy == "ambulantní; terénní"
    assert care.kapacita == "ambulantní: 20 klientů; terénní: 150 klientů"
    assert care.zarizeni == ("Charitní pečovatelská služba Jihlava, Jiráskova 4684/61, 586 01 Jihlava; "
                             "Charitní pečovatelská služba Třešť, Luční 120, 589 01 Třešť")  # Polná ended in 2023
    assert (care.obce, care.pusobnost) == ("Jihlava; Třešť", "ORP Jihlava")

    declared = entries.loc["1000011"]
    assert (declared.zahrnuti, declared.obce) == ("pusobnost", None)
    assert declared.pusobnost == "ORP Jihlava; ORP Pelhřimov; Orp/99999 (neznámé území)"
    assert declared.zarizeni == "Pečovatelská služba Pelhřimov, Pražská 1560, 393 01 Pelhřimov"

    assert entries.loc["1000012", "zarizeni"].endswith("Havlíčkův Brod")  # ends on 30. 6.: still in provision
    assert entries.loc["1000009", "kapacita"] == "pobytová: 5 lůžek; terénní: 12 klientů"  # units never added
    assert entries.loc["1000008", ["druh_nazev", "kapacita"]].tolist() == ["neznámý druh 99", "ambulantní: 10 (mista)"]
    assert entries.loc["1000004", "zarizeni"] == "Domov Třešť, Nádražní 1007, 589 01 Třešť"


def test_services_named_after_their_first_facility_in_the_territory(entries):
    assert entries.loc["1000012", "nazev"] == "Poradna Jihlava"
    assert entries.loc["1000003", "nazev"] == "Charitní pečovatelská služba Jihlava"


def test_date_moves_the_catalogue(con, orp):
    after = catalogue.entries(catalogue.load(con, orp, date(2025, 7, 1))).set_index("identifikator")
    assert "1000010" in after.index and after.loc["1000010", "nazev"] == "Terénní programy Jihlava"
    assert after.loc["1000012", "zarizeni"] == "Poradna Jihlava, Masarykovo náměstí 1/16, 586 01 Jihlava"
    before = catalogue.entries(catalogue.load(con, orp, date(2025, 6, 29)))
    assert "1000004" not in set(before["identifikator"])


def test_provider_contacts_stand_in_for_missing_service_contacts(tmp_path_factory):
    data = registry_data(tmp_path_factory, (FIXTURE, ON))
    with warehouse.connect(data, read_only=False) as con:
        con.execute("DELETE FROM sluzby_kontakty WHERE sluzba_id = '1004' AND uroven = 'sluzba' AND typ = 'web'")
        chosen = territory.resolve("obec:588032", load_obce(con))
        entry = catalogue.entries(catalogue.load(con, chosen, ON)).set_index("identifikator").loc["1000004"]
    assert entry.web == "https://www.01990001.example.cz" and entry.email == "sluzba4@example.cz"


def test_addresses_without_street_or_with_an_evidence_number():
    def row(**given):
        empty = dict.fromkeys(["cislo_domovni", "cislo_orientacni", "ulice", "psc", "obec_nazev"])
        return SimpleNamespace(**{**empty, "typ_cisla_domovniho": "1", **given})
    assert catalogue._address(row(cislo_domovni="12", psc="58856", obec_nazev="Hodice")) == "č. p. 12, 588 56 Hodice"
    assert catalogue._address(row(cislo_domovni="7", typ_cisla_domovniho="2", obec_nazev="Brtnice")) == "č. ev. 7, Brtnice"
    assert catalogue._address(row(ulice="Luční", obec_nazev="Třešť")) == "Luční, Třešť"
    assert catalogue._address(row()) == "adresa neuvedena"


def test_only_web_addresses_become_links():
    assert catalogue_files._link("https://sluzba1.example.cz") == "https://sluzba1.example.cz"
    assert catalogue_files._link("www.charita.cz/jihlava") == "https://www.charita.cz/jihlava"
    assert catalogue_files._link("javascript:alert(1)") is None and catalogue_files._link("viz web kraje") is None


def test_notes_name_unlocated_facilities_and_unknown_codes(jihlava):
    notes = "\n".join(jihlava.notes)
    assert "1000005 (bez obce)" in notes and "druh služby 99" in notes and "DruhSocialniSluzby" not in notes


# --- formats -----------------------------------------------------------------------------------------------


def visible_text_of_docx(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_csv_command_has_one_row_per_active_service(data):
    result = invoke_sprss("catalogue", "--territory", "orp:Jihlava", "--date", "2025-06-30", "--format", "csv", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert list(table.columns) == catalogue.ENTRY_COLUMNS
    assert list(table["identifikator"]) == list(EXPECTED)
    assert table.set_index("identifikator").loc["1000003", "kapacita"] == "ambulantní: 20 klientů; terénní: 150 klientů"
    assert "1000005 (bez obce)" in result.stderr
    assert not NAMES.search(result.stdout + result.stderr)


def test_xlsx_is_formatted(data, tmp_path):
    output = tmp_path / "katalog.xlsx"
    result = invoke_sprss("catalogue", "--territory", "orp:6105", "--date", "2025-06-30", "--format", "xlsx",
                          "--output", output, data=data)
    assert result.returncode == 0, result.stderr
    assert "Zapsáno 7 služeb" in result.stderr
    sheet = load_workbook(output).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Katalog sociálních služeb: ORP Jihlava"
    assert rows[1][0].startswith("Služby v poskytování k 30. 6. 2025")
    assert rows[2][:4] == ("Kód druhu", "Druh služby", "Identifikátor", "Služba")
    assert [r[2] for r in rows[3:10]] == list(EXPECTED)
    assert rows[9][12] == "zařízení v území" and rows[5][12] == "terénní služba s působností v území"
    assert sheet.auto_filter.ref == "A3:R10" and sheet.freeze_panes == "A4" and sheet["A3"].font.bold
    assert rows[-1][0].startswith("Zdroj: MPSV, Registr poskytovatelů sociálních služeb (stav k 30. 6. 2025)")
    assert not NAMES.search(" ".join(str(v) for row in rows for v in row if v is not None))


def test_docx_groups_by_type_with_headings(jihlava, tmp_path):
    path = tmp_path / "katalog.docx"
    path.write_bytes(catalogue_files.to_docx(jihlava))
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Katalog sociálních služeb: ORP Jihlava")
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Odborné sociální poradenství (1)", "Pečovatelská služba (2)", "Odlehčovací služby (1)",
        "Domovy pro seniory (2)", "Neznámý druh 99 (1)"]
    assert [text for style, text in headings if style == "Heading 2"][:3] == [
        "Poradna Jihlava", "Charitní pečovatelská služba Jihlava", "Pečovatelská služba Pelhřimov"]
    text = visible_text_of_docx(path)
    assert "Kapacita: pobytová: 120 lůžek" in text and "V katalogu jako: terénní služba s působností v území" in text
    assert not NAMES.search(zipfile.ZipFile(path).read("word/document.xml").decode("utf-8"))


def test_html_is_one_self_contained_czech_page(jihlava):
    page = catalogue_files.to_html(jihlava).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="cs">' in page
    assert not re.search(r"""<(script|img|iframe)[^>]+src=|<link[^>]+href=|@import|url\(""", page, re.I)
    assert page.count('<article class="sluzba"') == 7
    assert "Zobrazené služby: 7 z 7" in page and "Zrušit filtry" in page
    assert '<option value="587711">Polná</option>' in page  # reached only by declared terénní services
    assert not NAMES.search(page)


def test_html_footer_ends_the_source_line_before_the_next_sentence(jihlava):
    page = catalogue_files.to_html(jihlava).decode("utf-8")
    footer = re.search(r"<footer>(.*?)</footer>", page, re.S).group(1)
    assert footer.startswith(jihlava.source_line + ". Filtry a hledání")


# --- the HTML page in a real browser --------------------------------------------------------------------------


class _Visibility(html.parser.HTMLParser):
    """Which service entries and type sections the rendered DOM leaves visible, and the counter's text."""

    def __init__(self):
        super().__init__()
        self.entries, self.sections, self.counter, self._in_counter = {}, {}, "", False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self.entries[attributes["id"].removeprefix("sluzba-")] = "hidden" not in attributes
        elif tag == "section":
            self.sections[attributes["data-druh"]] = "hidden" not in attributes
        self._in_counter = attributes.get("id") == "pocet"

    def handle_data(self, data):
        if self._in_counter:
            self.counter += data
            self._in_counter = False


def rendered(page: Path, fragment: str) -> _Visibility:
    """The DOM after the page's script ran, with the filters given in the URL hash."""
    result = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--no-first-run", "--virtual-time-budget=5000",
                             f"--user-data-dir={page.parent / 'profil'}", "--dump-dom", page.as_uri() + fragment],
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    parsed = _Visibility()
    parsed.feed(result.stdout)
    return parsed


@pytest.fixture(scope="module")
def page(jihlava, tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Chromium (/usr/bin/chromium) není nainstalován: test filtrů stránky HTML v prohlížeči se vynechává")
    path = tmp_path_factory.mktemp("html") / "katalog.html"
    path.write_bytes(catalogue_files.to_html(jihlava))
    return path


@pytest.mark.parametrize("fragment, visible", [
    ("", list(EXPECTED)),
    ("#druh=13", ["1000001", "1000004"]),
    ("#hledat=domov", ["1000001", "1000004"]),
    ("#hledat=TRESt&forma=ter", ["1000003"]),  # search ignores case and diacritics (Třešť)
    ("#hledat=charita%20luka", ["1000009"]),  # every word must match
    ("#obec=587711", ["1000003", "1000011"]),  # Polná: no facility, two terénní services declare its ORP
    ("#druh=4&obec=588032", ["1000003", "1000011"]),
    ("#skupina=19", ["1000012"]),
    ("#forma=pob&obec=586846", ["1000001"]),
    ("#hledat=neexistuje", []),
])
def test_filters_in_a_headless_browser(page, fragment, visible):
    dom = rendered(page, fragment)
    assert set(dom.entries) == set(EXPECTED)
    assert [k for k, shown in dom.entries.items() if shown] == visible
    assert dom.counter == f"Zobrazené služby: {len(visible)} z 7"
    assert {kod for kod, shown in dom.sections.items() if shown} == {TYPES[k] for k in visible}


# --- errors --------------------------------------------------------------------------------------------------


def test_command_errors(data, tmp_path_factory):
    no_file = invoke_sprss("catalogue", "--territory", "orp:6105", "--format", "html", data=data)
    assert no_file.returncode == 1 and "potřebuje soubor" in no_file.stderr
    no_registry = invoke_sprss("catalogue", "--territory", "orp:6105", "--format", "csv",
                               data=synthetic_territory_data_dir(tmp_path_factory))
    assert no_registry.returncode == 1 and "není registr poskytovatelů" in no_registry.stderr
    bad_format = invoke_sprss("catalogue", "--territory", "orp:6105", "--format", "pdf", data=data)
    assert bad_format.returncode == 2 and "Traceback" not in bad_format.stderr


def test_codes_without_a_name_are_reported_before_they_reach_the_published_text(data, con, tmp_path):
    """The real code lists lack type 99, target group 30 and capacity unit 'mista', which the registry uses; without
    the code lists every code is unnamed ('neznámý druh 13' in the study). `sprss report` says which, on stderr."""
    assert catalogue.unnamed_codes(con) == [("druh sociální služby", "99", True), ("cílová skupina", "30", True),
                                            ("typ kapacity", "mista", True)]
    without = copy_data_dir(data, tmp_path / "data")
    with warehouse.connect(without, read_only=False) as writable:
        writable.execute("DELETE FROM mpsv_ciselnik WHERE ciselnik = 'DruhSocialniSluzby'")
        unnamed = catalogue.unnamed_codes(writable)
    assert ("druh sociální služby", "13", False) in unnamed and ("cílová skupina", "30", True) in unnamed
    printed = io.StringIO()
    warn_of_unnamed_codes(Context(without, False, Console(file=io.StringIO()), Console(file=printed, width=400)))
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("Upozornění: v podkladech chybí číselníky MPSV (druh sociální služby); studie místo")
    assert "sprss fetch mpsv_ciselniky" in lines[0]
    assert lines[1] == ("Upozornění: číselníky MPSV neznají kódy, které registr používá (cílová skupina 30, typ "
                        "kapacity mista); studie je uvede jako neznámé.")
