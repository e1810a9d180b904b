"""Helpers for the population, warehouse, territory, indicator and CLI tests.

- paths of the real files in ../shared/data/real (SPRSS_SHARED moves ../shared; tests that need them skip with
  "potřebuje reálné soubory z ../shared: <path>" when they are missing; never copied here);
- the synthetic territory tests/fixtures/synthetic_struktura_uzemi_jihlava.csv (real format and codes, 15 obce);
- synthetic workbooks built with openpyxl in layouts the parsers have not seen (files named synthetic_*);
- running the `sprss` command line in a subprocess (to see exit codes and what reaches stderr);
- one real warehouse (territory, 4 publications, the 2020 age pair) built once per test session;
- golden images of charts (SPRSS_UPDATE_GOLDEN=1 rewrites tests/golden/*.png; look at them before committing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
import hashlib
import html
import json
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys

import docx
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
import duckdb
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from openpyxl import Workbook
import pytest

from pipeline.core.config import DataDir
from pipeline.core.text import NBSP
from pipeline.raw import snapshots as raw
from pipeline.render import style
from pipeline.warehouse import build as warehouse

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
# The real public files live outside the repository; SPRSS_SHARED points elsewhere (e.g. /nonexistent, to
# measure what runs without them).
SHARED = Path(os.environ.get("SPRSS_SHARED") or REPO.parent / "shared")
SHARED_REAL = SHARED / "data" / "real"
SYNTHETIC_STRUKTURA = FIXTURES / "synthetic_struktura_uzemi_jihlava.csv"
STRUKTURA = SHARED_REAL / "geo" / "Olbrasoft-cr" / "struktura_uzemi_cr_2025.csv"
PUBLICATIONS = {year: SHARED_REAL / "csu" / "svarnyjunak-obyvateleceska" / f"population_{year}.xlsx"
                for year in (2020, 2021, 2022, 2023)}
# every publication since 2010 (the demo imports them all; REAL_IMPORT keeps the four recent ones, cheaper to build)
ALL_PUBLICATIONS = {year: SHARED_REAL / "csu" / "svarnyjunak-obyvateleceska" / f"population_{year}.xlsx"
                    for year in range(2010, 2024)}
AGE_DIR = SHARED_REAL / "csu" / "DataRozhlas-covid-obce-mapa"
AGE_UNDER_1000 = AGE_DIR / "2020_vek_do_999.xlsx"
AGE_1000_PLUS = AGE_DIR / "2020_vek_nad_1000.xlsx"
AGE_PRAHA = AGE_DIR / "Vek_Praha2000.xlsx"
TOPOJSON = SHARED_REAL / "geo" / "pehovorka-covid-obce-frontend" / "municipalitiesTopo.json"
ORP_GEOJSON = SHARED_REAL / "geo" / "Olbrasoft-cr" / "orp_simple.geojson"
KRAJE_GEOJSON = SHARED_REAL / "geo" / "Olbrasoft-cr" / "kraje_simple.geojson"
REAL_IMPORT = [STRUKTURA, *PUBLICATIONS.values(), AGE_UNDER_1000, AGE_1000_PLUS]

FIVE_YEAR_BANDS = [f"{a}-{a + 4}" for a in range(0, 85, 5)] + ["85+"]


NEEDS_REAL = "potřebuje reálné soubory z ../shared"


def plain(text: str) -> str:
    """Published text with its no-break spaces as ordinary ones (core.text.typeset binds one-letter words, dates and
    units), for assertions about the words rather than the typesetting."""
    return text.replace(NBSP, " ")


# What must never reach a published document (issue 14): CLI commands and options, file names of the tool's
# inputs and settings, data directories, import advice. Official URLs are citations and are removed first.
TOOL_INTERNALS = re.compile(r"\bsprss [a-z]+(?= -| [A-Z]{3,})|\bsprss (?:indicators|coverage|changes|catalogue|report|"
                            r"import|fetch|build|run|survey|plan|territories|projection|financing)\b|(?<![\w-])--[a-z][a-z-]+|\b[\w-]+\.(?:ya?ml|json|csv|tsv|ipynb|"
                            r"duckdb|py)\b|\bdata/(?:raw|processed)\b|/tmp/|\bimportujte\b|\bpo importu\b|\b[Ss]klad(?:u|em)? dat\b|\b[Vv]e skladu\b|\b(?:nan|NaN|None|NaT)\b")


def tool_internals(page: str) -> set[str]:
    """Tool internals in the visible text of an HTML page or in a document's text (empty set = none); a missing
    value printed as Python writes it (nan, None) counts as one."""
    text = re.sub(r"<(style|script)\b.*?</\1>|<img[^>]*>", "", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return {m.group(0) for m in TOOL_INTERNALS.finditer(re.sub(r"https?://\S+", "", text))}


def tables_off_page(document_path: Path) -> list[str]:
    """Tables of a DOCX wider than the text of the section (portrait or landscape page) they stand in, by their
    first header cell; empty when every table fits its page."""
    document = docx.Document(str(document_path))
    sections = iter(document.sections)
    section = next(sections)
    off = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            table = Table(element, document)
            width = sum(cell.width for cell in table.rows[0].cells)
            if width > section.page_width - section.left_margin - section.right_margin + Cm(0.01):
                off.append(table.rows[0].cells[0].text)
        elif element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section = next(sections)  # this paragraph ends a section; what follows is in the next
    return off


def real(path: Path) -> Path:
    """The real file, or skip the test when ../shared (SPRSS_SHARED) does not hold it."""
    if not path.exists():
        pytest.skip(f"{NEEDS_REAL}: {path}")
    return path


# --- golden images ----------------------------------------------------------------------------------

UPDATE_GOLDEN = os.environ.get("SPRSS_UPDATE_GOLDEN") == "1"


def assert_golden(fig: Figure, name: str, tmp_path: Path) -> None:
    """`fig` looks like tests/golden/<name>.png; with SPRSS_UPDATE_GOLDEN=1 it becomes that image (and the test skips)."""
    golden = GOLDEN / f"{name}.png"
    actual = (GOLDEN if UPDATE_GOLDEN else tmp_path) / f"{name}.png"
    actual.parent.mkdir(exist_ok=True)
    with style.context():
        fig.savefig(actual, dpi=72, metadata={"Software": None})  # small: the layout matters, not the detail
    if UPDATE_GOLDEN:
        pytest.skip(f"golden image {golden} regenerated")
    assert golden.exists(), f"{golden} missing: run with SPRSS_UPDATE_GOLDEN=1 and review it"
    assert compare_images(str(golden), str(actual), tol=3) is None


# --- running the CLI -------------------------------------------------------------------------


def sprss_command() -> list[str]:
    script = Path(sys.executable).with_name("sprss")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]


def run_sprss(*args, data: DataDir | Path | None = None, cwd: Path | None = None,
              timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`sprss [--data-dir D] ARGS…` in a subprocess; text output, never raises on a non-zero exit."""
    command = sprss_command()
    if data is not None:
        root = data.root if isinstance(data, DataDir) else Path(data)
        command += ["--data-dir", str(root)]
    command += [str(a) for a in args]
    extra = env or {}
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("SPRSS_DATA_DIR", None)
    env.update(extra)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


def invoke_sprss(*args, data: DataDir | Path | None = None) -> subprocess.CompletedProcess:
    """The same as `run_sprss`, in-process (no interpreter start-up); an exception that escaped the CLI is
    written to stderr as the traceback the user would see."""
    import traceback

    from typer.testing import CliRunner

    from pipeline.cli import app

    command = []
    if data is not None:
        command += ["--data-dir", str(data.root if isinstance(data, DataDir) else data)]
    command += [str(a) for a in args]
    result = CliRunner().invoke(app, command, env={"SPRSS_DATA_DIR": None, "COLUMNS": "200", "NO_COLOR": "1"})
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(command, result.exit_code, result.stdout, stderr)


# --- fingerprints of a data dir ----------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def raw_listing(data: DataDir) -> dict[str, str]:
    """Every file under data/raw (hidden ones too) with its sha256."""
    if not data.raw.exists():
        return {}
    return {str(p.relative_to(data.raw)): sha256(p) for p in sorted(data.raw.rglob("*")) if p.is_file()}


def table_counts(data: DataDir) -> dict[str, int]:
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def differing_tables(before: Path, after: Path) -> list[str]:
    """Tables whose contents (as multisets of rows) differ between two warehouse files; [] when identical."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
        tables = {}
        for db in ("a", "b"):
            tables[db] = {t for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [db]).fetchall()}
        differing = sorted(tables["a"] ^ tables["b"])
        for table in sorted(tables["a"] & tables["b"]):
            columns = lambda db: [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_name = ? "
                "ORDER BY ordinal_position", [db, table]).fetchall()]
            if columns("a") != columns("b"):
                differing.append(table)
                continue
            extra = con.execute(f"SELECT count(*) FROM (SELECT * FROM a.{table} EXCEPT ALL SELECT * FROM b.{table})"
                                f" UNION ALL SELECT count(*) FROM (SELECT * FROM b.{table} EXCEPT ALL SELECT * FROM a.{table})"
                                ).fetchall()
            if any(n for (n,) in extra):
                differing.append(table)
        return differing
    finally:
        con.close()


def query(data: DataDir, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def copy_data_dir(data: DataDir, target: Path) -> DataDir:
    shutil.copytree(data.root, target)
    for path in target.rglob("*"):  # raw snapshots are read-only; copies must be deletable by tmp cleanup
        if path.is_file():
            path.chmod(0o644)
    return DataDir(target)


# --- warehouses built once per session ---------------------------------------------------

_DATA_DIRS: dict[str, DataDir] = {}


def real_data_dir(tmp_path_factory) -> DataDir:
    """A data dir with the real territory, the four publications and the 2020 age pair imported.

    Read-only for tests: copy it (copy_data_dir) before changing anything.
    """
    for path in REAL_IMPORT:
        real(path)
    if "real" not in _DATA_DIRS:
        root = tmp_path_factory.mktemp("real_data")
        result = run_sprss("import", *REAL_IMPORT, data=root)
        assert result.returncode == 0, result.stderr
        _DATA_DIRS["real"] = DataDir(root)
    return _DATA_DIRS["real"]


def synthetic_territory_data_dir(tmp_path_factory) -> DataDir:
    """A data dir with only tests/fixtures/synthetic_struktura_uzemi_jihlava.csv imported: the real format and codes of
    the obce the synthetic registry, surveys and publications name (and a few outside ORP Jihlava), nothing else."""
    if "synthetic_territory" not in _DATA_DIRS:
        root = tmp_path_factory.mktemp("synthetic_territory_data")
        result = run_sprss("import", SYNTHETIC_STRUKTURA, data=root)
        assert result.returncode == 0, result.stderr
        _DATA_DIRS["synthetic_territory"] = DataDir(root)
    return _DATA_DIRS["synthetic_territory"]


def territory_data_dir(tmp_path_factory) -> DataDir:
    """A data dir with only the real Struktura území ČR imported (cheap to copy and to rebuild)."""
    real(STRUKTURA)
    if "territory" not in _DATA_DIRS:
        root = tmp_path_factory.mktemp("territory_data")
        result = run_sprss("import", STRUKTURA, data=root)
        assert result.returncode == 0, result.stderr
        _DATA_DIRS["territory"] = DataDir(root)
    return _DATA_DIRS["territory"]


# --- synthetic publication "Počet obyvatel v obcích" -------------------------------------------------


@dataclass
class Obec:
    """One data row of a synthetic publication; `celkem` defaults to men + women."""
    kod: str
    nazev: str
    muzi: int
    zeny: int
    celkem: int | None = None
    vek: tuple[float, float, float] = (42.0, 40.5, 43.5)
    okres_lau: str = "CZ0632"
    okres_nazev: str = "Jihlava"

    @property
    def total(self) -> int:
        return self.muzi + self.zeny if self.celkem is None else self.celkem


# Real obce of ORP Jihlava (okres Jihlava) and Praha, with made-up counts.
JIHLAVA = Obec("586846", "Jihlava", 25600, 27000, vek=(42.8, 41.3, 44.3))
JIHLAVKA = Obec("587290", "Jihlávka", 120, 130, vek=(45.0, 44.0, 46.0))
LUKA = Obec("587478", "Luka nad Jihlavou", 1600, 1650, vek=(41.0, 40.0, 42.0))
PRAHA = Obec("554782", "Praha", 650000, 700000, vek=(41.7, 40.2, 43.1), okres_lau="CZ0100", okres_nazev="Hlavní město Praha")
DEFAULT_OBCE = [PRAHA, JIHLAVA, JIHLAVKA, LUKA]


@dataclass
class PublicationLayout:
    """Knobs of an unseen publication layout."""
    leading_blank_rows: int = 0          # empty rows above the title (the sheet does not start in A1)
    blank_rows_after_title: int = 2
    blank_rows_after_header: int = 1
    okres_column: str | None = "last"    # None (no okres column), "first" or "last"
    name_before_code: bool = True
    okres_subheaders: bool = True        # "Okres Jihlava" rows between obce when the okres changes
    subheader_before_first: bool = False  # such a row also right above the first obec
    omit: tuple[str, ...] = ()           # count columns to leave out: "celkem", "muzi", "zeny"
    footnote: bool = True
    merge_group_headers: bool = True
    sheet_title: str = "obce"
    extra_sheets: tuple[str, ...] = ("Poznámky",)


def write_publication(path: Path, obce: list[Obec] | None = None, *, date_text: str = "1. 1. 2024",
                      layout: PublicationLayout | None = None) -> Path:
    """A 2024-like "Počet obyvatel v obcích České republiky k D. M. RRRR" in a layout no real file has.

    Returns the path; the 1-based sheet row of every obec is available from `publication_rows`.
    """
    obce = DEFAULT_OBCE if obce is None else obce
    layout = layout or PublicationLayout()
    book = Workbook()
    notes = book.active
    notes.title = layout.extra_sheets[0] if layout.extra_sheets else "x"
    notes.append(["Poznámka: syntetický soubor pro testy sprss, nejde o údaje ČSÚ."])
    ws = book.create_sheet(layout.sheet_title)
    if not layout.extra_sheets:
        book.remove(notes)

    counts = [s for s in ("celkem", "muzi", "zeny") if s not in layout.omit]
    czech = {"celkem": "celkem", "muzi": "muži", "zeny": "ženy"}
    english = {"celkem": "Total", "muzi": "Men", "zeny": "Women"}
    ident = (["Název obce", "Kód obce"] if layout.name_before_code else ["Kód obce", "Název obce"])
    ident_en = (["Name of municipality", "Municipality code"] if layout.name_before_code
                else ["Municipality code", "Name of municipality"])
    if layout.okres_column == "first":
        ident, ident_en = ["Okres (LAU 1)"] + ident, ["District"] + ident_en
    trailing, trailing_en = ([], [])
    if layout.okres_column == "last":
        trailing, trailing_en = ["Okres"], ["District (LAU 1)"]

    def blank():
        ws.append([None])

    for _ in range(layout.leading_blank_rows):
        blank()
    ws.append([f"Počet obyvatel v obcích České republiky k {date_text}"])
    ws.append(["Population of municipalities of the Czech Republic, 1 January " + date_text.split()[-1]])
    for _ in range(layout.blank_rows_after_title):
        blank()
    group = ident + ["Počet obyvatel / Population"] + [None] * (len(counts) - 1) \
        + ["Průměrný věk / Average age", None, None] + trailing
    ws.append(group)
    group_row = ws.max_row
    ws.append(ident_en + [czech[s] for s in counts] + ["celkem", "muži", "ženy"] + trailing_en)
    ws.append([None] * len(ident) + [english[s] for s in counts] + ["Total", "Men", "Women"] + [None] * len(trailing))
    if layout.merge_group_headers:
        first = len(ident) + 1
        if len(counts) > 1:
            ws.merge_cells(start_row=group_row, start_column=first, end_row=group_row, end_column=first + len(counts) - 1)
        ws.merge_cells(start_row=group_row, start_column=first + len(counts), end_row=group_row,
                       end_column=first + len(counts) + 2)
    for _ in range(layout.blank_rows_after_header):
        blank()

    okres = None
    rows = {}
    for obec in obce:
        is_first = okres is None
        if layout.okres_subheaders and obec.okres_nazev != okres and (not is_first or layout.subheader_before_first):
            ws.append([f"Okres {obec.okres_nazev}" if obec.okres_lau != "CZ0100" else "Hlavní město Praha"])
        okres = obec.okres_nazev
        values = {"celkem": obec.total, "muzi": obec.muzi, "zeny": obec.zeny}
        ident_values = [obec.nazev, obec.kod] if layout.name_before_code else [obec.kod, obec.nazev]
        if layout.okres_column == "first":
            ident_values = [obec.okres_lau] + ident_values
        ws.append(ident_values + [values[s] for s in counts] + list(obec.vek)
                  + ([obec.okres_lau] if layout.okres_column == "last" else []))
        rows.setdefault(obec.kod, []).append(ws.max_row)
    if layout.footnote:
        blank()
        ws.append(["Zdroj: syntetická data pro testy (rozvržení jako v nové publikaci ČSÚ)."])
    book.active = book.index(ws)
    path = Path(path)
    book.save(path)
    _ROWS[str(path)] = rows
    return path


_ROWS: dict[str, dict[str, list[int]]] = {}


def publication_rows(path: Path) -> dict[str, list[int]]:
    """obec code -> 1-based sheet rows where `write_publication` put it."""
    return _ROWS[str(Path(path))]


# --- synthetic "Věkové složení obyvatelstva obcí" (5-year groups, like the obce under 1,000) --------


@dataclass
class AgeObec:
    """Counts per 5-year band (18 values: 0-4 … 80-84, 85+) for men and women; `celkem` overrides the total."""
    kod: str
    nazev: str
    muzi: list[int]
    zeny: list[int]
    celkem: dict[str, int] = field(default_factory=dict)  # pohlavi -> value written to the Celkem column


def flat_bands(value: int) -> list[int]:
    return [value] * len(FIVE_YEAR_BANDS)


def write_age_table(path: Path, obce: list[AgeObec], *, title: str | None = None, single_years: bool = False) -> Path:
    """Columns POH, ZUJ, Obec, Okres, Kraj, Celkem, 0-4 … 85+; rows celkem/muži/ženy per obec.

    With `single_years` the layout of the obce of 1,000+ (sheet "nad 1000"): `muzi`/`zeny` hold 86 values for the
    years 0 … 84, 85+, followed by an empty column X and the same counts in 5-year groups.
    """
    book = Workbook()
    ws = book.active
    ws.title = "nad 1000" if single_years else "do 999"
    if title:
        ws.append([title])
    header = [*range(85), "85+", "X", *FIVE_YEAR_BANDS] if single_years else FIVE_YEAR_BANDS
    ws.append(["POH", "ZUJ", "Obec", "Okres", "Kraj", "Celkem", *header])
    rows = {}
    for obec in obce:
        both = [m + z for m, z in zip(obec.muzi, obec.zeny)]
        for label, key, bands in (("celkem", "celkem", both), ("muži", "muzi", obec.muzi), ("ženy", "zeny", obec.zeny)):
            total = obec.celkem.get(key, sum(bands))
            if single_years:
                groups = [sum(bands[start:start + 5]) for start in range(0, 85, 5)] + [bands[85]]
                bands = [*bands, None, *groups]
            ws.append([label, obec.kod, obec.nazev, "Jihlava", "Kraj Vysočina", total, *bands])
            rows[(obec.kod, key)] = ws.max_row
    path = Path(path)
    book.save(path)
    _ROWS[str(path)] = rows
    return path


def age_rows(path: Path) -> dict[tuple[str, str], int]:
    """(obec code, pohlavi) -> 1-based sheet row written by `write_age_table`."""
    return _ROWS[str(Path(path))]


def small_data_dir(tmp_path_factory) -> DataDir:
    """Synthetic territory plus one synthetic publication k 1. 1. 2024 (Praha and three obce of ORP Jihlava)."""
    if "small" not in _DATA_DIRS:
        territory = synthetic_territory_data_dir(tmp_path_factory)
        root = tmp_path_factory.mktemp("small") / "data"
        data = copy_data_dir(territory, root)
        inputs = tmp_path_factory.mktemp("small_inputs")
        publication = write_publication(inputs / "synthetic_obyvatele_2024.xlsx")
        result = run_sprss("import", publication, data=data)
        assert result.returncode == 0, result.stderr
        _DATA_DIRS["small"] = data
    return _DATA_DIRS["small"]


# --- synthetic population of ORP Jihlava (the survey and coverage tests) -----------------------------------

SYNTHETIC_AGE_DATE = date(2020, 12, 31)
# the obce of ORP Jihlava in the synthetic territory, with made-up population k 1. 1. 2023 (men, women)
JIHLAVSKO_OBCE = [Obec("586846", "Jihlava", 25500, 27048), Obec("586943", "Brtnice", 1900, 1950),
                  Obec("587095", "Dušejov", 300, 310), Obec("587290", "Jihlávka", 120, 130),
                  Obec("587346", "Kamenice", 640, 650), Obec("587478", "Luka nad Jihlavou", 1600, 1650),
                  Obec("587711", "Polná", 2600, 2700), Obec("587931", "Stonařov", 600, 620),
                  Obec("588032", "Třešť", 2800, 2950)]
# the other obce of the synthetic territory, so that kraj Vysočina and ČR have a population too
ELSEWHERE_OBCE = [Obec("547492", "Pelhřimov", 7800, 8200, okres_lau="CZ0633", okres_nazev="Pelhřimov"),
                  Obec("568414", "Havlíčkův Brod", 11000, 11700, okres_lau="CZ0631", okres_nazev="Havlíčkův Brod"),
                  Obec("590266", "Třebíč", 16500, 17500, okres_lau="CZ0634", okres_nazev="Třebíč"),
                  Obec("582786", "Brno", 185000, 197000, okres_lau="CZ0642", okres_nazev="Brno-město"),
                  Obec("538299", "Kamenice", 1500, 1520, okres_lau="CZ0209", okres_nazev="Praha-východ"),
                  PRAHA]


def age_obec(obec: Obec, years: int) -> AgeObec:
    """Made-up counts per age group that fall with age and add up to about the obec's population."""
    shape = [years + 40 - age if years == 86 else 20 - age for age in range(years)]
    scale = [(obec.muzi / sum(shape)), (obec.zeny / sum(shape))]
    muzi, zeny = ([max(1, round(v * factor)) for v in shape] for factor in scale)
    return AgeObec(obec.kod, obec.nazev, muzi, zeny)


def write_jihlavsko_population(folder: Path) -> list[Path]:
    """The synthetic publication k 1. 1. 2023 and the two age tables k 31. 12. 2020 (5-year groups for the obce
    under 1,000, single years for the others) of every obec of the synthetic territory."""
    obce = JIHLAVSKO_OBCE + ELSEWHERE_OBCE
    return [write_publication(folder / "synthetic_obyvatele_2023.xlsx", obce, date_text="1. 1. 2023"),
            write_age_table(folder / "synthetic_vek_do_999_2020.xlsx", [age_obec(o, 18) for o in obce if o.total < 1000]),
            write_age_table(folder / "synthetic_vek_nad_1000_2020.xlsx",
                            [age_obec(o, 86) for o in obce if o.total >= 1000], single_years=True)]


def synthetic_population_data_dir(tmp_path_factory) -> DataDir:
    """The synthetic territory with its population k 1. 1. 2023 and ages k 31. 12. 2020, built once;
    read-only for tests: copy it (copy_data_dir) before changing anything."""
    if "synthetic_population" not in _DATA_DIRS:
        data = DataDir(tmp_path_factory.mktemp("synthetic_population"))
        inputs = write_jihlavsko_population(tmp_path_factory.mktemp("synthetic_population_inputs"))
        snapshots = [raw.stage(SYNTHETIC_STRUKTURA), raw.stage(inputs[0]),
                     *(raw.stage(path, reference_date=SYNTHETIC_AGE_DATE) for path in inputs[1:])]
        warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
        _DATA_DIRS["synthetic_population"] = data
    return _DATA_DIRS["synthetic_population"]


# --- synthetic boundaries (squares on a grid around Jihlava, WGS84) ------------------------------------------


def _square(index: int) -> list[list[float]]:
    """A closed ring: the index-th cell of a 4-column grid of 0.05° × 0.04° cells south-west of Jihlava."""
    x, y = 15.40 + 0.05 * (index % 4), 49.30 + 0.04 * (index // 4)
    return [[x, y], [x + 0.05, y], [x + 0.05, y + 0.04], [x, y + 0.04], [x, y]]


def write_obec_boundaries(path: Path, codes: list[str]) -> Path:
    """A TopoJSON Topology (unquantised arcs) with one square per obec code, object `obce`."""
    geometries = [{"type": "Polygon", "id": kod, "arcs": [[i]]} for i, kod in enumerate(codes)]
    topology = {"type": "Topology", "objects": {"obce": {"type": "GeometryCollection", "geometries": geometries}},
                "arcs": [_square(i) for i in range(len(codes))]}
    path = Path(path)
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path


def write_orp_boundary(path: Path, kod: str, cells: int) -> Path:
    """A ČSÚ-like GeoJSON FeatureCollection (dated by its name) with one ORP: the bounding box of the first
    `cells` squares of `write_obec_boundaries`."""
    points = [p for i in range(cells) for p in _square(i)]
    xmin, ymin = min(p[0] for p in points), min(p[1] for p in points)
    xmax, ymax = max(p[0] for p in points), max(p[1] for p in points)
    ring = [[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax], [xmin, ymin]]
    collection = {"type": "FeatureCollection", "name": "SO_ORP_synthetic_20250101",
                  "features": [{"type": "Feature", "properties": {"kod_orp_p": kod},
                                "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    path = Path(path)
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory connection with every table the warehouse declares (pipeline/warehouse/models/*/schema.sql)."""
    from pipeline.warehouse import declarations

    con = duckdb.connect()
    for schema in declarations.load().schemas:
        con.execute(schema.read_text(encoding="utf-8"))
    return con
