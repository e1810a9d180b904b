"""Every input, every fault: one Czech line on stderr, exit code ≠ 0 and every file of the data dir byte-identical.

The table CASES runs each bad input through the command line against one data dir holding every kind of source
(territory, population, age tables, the MPSV registry and code lists, a survey). The faults of the machine are
real where the kernel allows it: a read-only data dir and a full disk in a private mount namespace (`unshare -m`,
skipped without it), a build killed with SIGKILL, two imports at once, broken mirrors on a local HTTP server.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
import errno
import fcntl
import hashlib
import io
import json
import os
from pathlib import Path
import shutil
import signal
import subprocess
import time
import zipfile

import pytest

from builders import (
    FIXTURES,
    SYNTHETIC_STRUKTURA,
    Obec,
    copy_data_dir,
    invoke_sprss,
    query,
    run_sprss,
    sprss_command,
    synthetic_population_data_dir,
    write_age_table,
    write_jihlavsko_population,
    write_publication,
)
from pipeline.core.config import DataDir
from pipeline.raw import fetch as downloads
from pipeline.raw import snapshots as raw
from pipeline.warehouse import build as warehouse
from registry_support import CODE_LISTS, NAMES, OPEN_DATA_LIST
from registry_support import FIXTURE as REGISTRY
from registry_support import ON as REGISTRY_DATE
from socialni_support import SYNTHETIC_OBCE, write_index_table
from survey_support import GOOGLE_CODEBOOK, GOOGLE_CSV

REGISTRY_2 = FIXTURES / "synthetic_rpss_jihlava_2025_12.json"
OPENDATA = FIXTURES / "synthetic_csu_opendata_obyvatele.csv"
# system and framework text that must never reach a Czech line
ENGLISH = ["Traceback", "Error:", "Usage:", "No such file", "Permission denied", "No space left", "Read-only file system",
           "Missing option", "Missing argument", "Invalid value", "is not one of", "No such option", "No such command",
           "Errno", "Exception", "Is a directory", "Not a directory"]


def tree(root: Path) -> dict[str, str]:
    """Every file under root (hidden ones too) with its sha256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}


def one_czech_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode not in (0, None), (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("Chyba: ") and "\n" not in message, result.stderr
    assert not [word for word in ENGLISH if word in message], message
    return message


# --- the data dir every case starts from ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> DataDir:
    """Territory, population 2023, ages 2020, registry 30. 6. 2025 with its code lists and the survey `obcane`."""
    data = copy_data_dir(synthetic_population_data_dir(tmp_path_factory), tmp_path_factory.mktemp("bad_input") / "data")
    snapshots = [raw.stage(REGISTRY, reference_date=REGISTRY_DATE), raw.stage(OPEN_DATA_LIST, reference_date=REGISTRY_DATE),
                 *(raw.stage(path) for path in CODE_LISTS)]
    warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    result = invoke_sprss("survey", "import", GOOGLE_CSV, "--codebook", GOOGLE_CODEBOOK, "--territory", "orp:Jihlava",
                          "--name", "obcane", data=data)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(base, tmp_path) -> DataDir:
    return copy_data_dir(base, tmp_path / "data")


# --- inputs of the cases (written into the case's folder) -----------------------------------------------------

Maker = Callable[[Path, DataDir], Path]


def text(name: str, content: str, encoding: str = "utf-8") -> Maker:
    def make(folder: Path, data: DataDir) -> Path:
        path = folder / name
        path.write_bytes(content.encode(encoding))
        return path
    return make


def binary(name: str, content: bytes) -> Maker:
    def make(folder: Path, data: DataDir) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path
    return make


def cut(source: Path, name: str, keep: float) -> Maker:
    """The first `keep` share of a real fixture: a broken download."""
    def make(folder: Path, data: DataDir) -> Path:
        content = source.read_bytes()
        path = folder / name
        path.write_bytes(content[: int(len(content) * keep)])
        return path
    return make


def stored_copy(relative: str, name: str) -> Maker:
    """A file of data/raw under another name: the same bytes imported again."""
    def make(folder: Path, data: DataDir) -> Path:
        path = folder / name
        path.write_bytes((data.raw / relative).read_bytes())
        return path
    return make


def regenerated_age_table(folder: Path, data: DataDir) -> Path:
    """The stored small-obce age table written again (other bytes, the same figures)."""
    return write_jihlavsko_population(folder)[1]


def ruian_page(kod: int, exceeded: bool = False) -> str:
    """One ArcGIS GeoJSON page of the RÚIAN MapServer with one square obec (real code, made-up shape)."""
    ring = [[15.5, 49.3], [15.55, 49.3], [15.55, 49.34], [15.5, 49.34], [15.5, 49.3]]
    page = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": 1, "properties": {"kod": kod},
                                                       "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    return json.dumps(page | ({"exceededTransferLimit": True} if exceeded else {}))


def ruian_archive(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def publication(obce: list[Obec], name: str = "synthetic_obyvatele_2024.xlsx") -> Maker:
    def make(folder: Path, data: DataDir) -> Path:
        return write_publication(folder / name, obce)
    return make


def age_table_of_unknown_obec(folder: Path, data: DataDir) -> Path:
    from builders import AgeObec
    return write_age_table(folder / "synthetic_vek_do_999_2021.xlsx", [AgeObec("999999", "Nikde", [1] * 18, [1] * 18)])


def index_count_over_base(folder: Path, data: DataDir) -> Path:
    """Brtnice with more persons in exekuce than inhabitants aged 15+ (column 13 = the count, row 2 = Brtnice)."""
    return write_index_table(folder / "synthetic_index_vylouceni.xlsx", SYNTHETIC_OBCE, {(2, 13): 99999})


def finm_before_december(folder: Path, data: DataDir) -> Path:
    """The synthetic FIN 2-12 M extract as if downloaded for September: an incomplete year."""
    path = folder / "FINM201_2023009.csv"
    path.write_text(FINM_2023.read_text(encoding="utf-8").replace(";2023012;", ";2023009;"), encoding="utf-8")
    return path


def deep_registry(folder: Path, data: DataDir) -> Path:
    path = folder / "rpss.json"
    path.write_text('{"polozky": [{"id": "1", "druhSocialniSluzby": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    return path


def territory_yaml(body: str, encoding: str = "utf-8") -> Maker:
    return text("uzemi.yaml", body, encoding)


STRUKTURA_TEXT = SYNTHETIC_STRUKTURA.read_text(encoding="utf-8")
FINM_2023 = FIXTURES / "synthetic_finm201_2023_12.csv"
NEZ01_HEADER = "idhod,hodnota,vuk,vuk_text,obdobi,rok,mesic,uzemi_cis,uzemi_kod,uzemi_txt\n"
BYTOVA_NOUZE_HEADER = ("orp\tnouze_rodiny\tnouze_osoby\tnouze_deti\tubyt_rodiny\tubyt_osoby\tubyt_deti\tazyl_rodiny\t"
                       "azyl_osoby\tazyl_deti\tbezdom\n")
NOT_A_FILE = "neexistuje.csv"


@dataclass
class Case:
    id: str
    args: list[str]  # "{input}" = the file `make` wrote, "{folder}" = the case's folder, "{data}" = the data dir
    expected: str    # part of the Czech line
    make: Maker | None = None
    slow: bool = False
    marks: list = field(default_factory=list)


CASES = [
    # files that cannot be read or recognised, any source
    Case("missing-file", ["import", "{folder}/" + NOT_A_FILE], "neexistuje"),
    Case("directory-as-file", ["import", "{folder}"], "je to adresář"),
    Case("empty-file", ["import", "{input}"], "nerozpoznán", text("prazdny.csv", "")),
    Case("binary-garbage", ["import", "{input}"], "nerozpoznán", binary("data.bin", bytes(range(256)) * 40)),
    Case("utf16-csv", ["import", "{input}"], "nerozpoznán", text("struktura.csv", STRUKTURA_TEXT, "utf-16")),
    Case("markup-in-name", ["import", "{folder}/[bold]obyvatele[/bold].csv"], "[bold]obyvatele[/bold].csv"),
    Case("unknown-source-option", ["import", "--source", "csu_neco", str(OPENDATA)], "Neznámý zdroj 'csu_neco'"),
    Case("nothing-to-import", ["import"], "Nic k importu"),
    # socio-economic, DataStat and financing sources
    Case("unemployment-share-not-a-number", ["import", "{input}"], "OD_NEZ01_2024.csv",
         text("OD_NEZ01_2024.csv", NEZ01_HEADER + '700000001,x,NEZ0004,"Podíl nezaměstnaných osob (%)",20240131,2024,1,43,'
                                                  '586846,"Jihlava"\n')),
    Case("datastat-values-short", ["import", "{input}"], "OBY99T1.json",
         text("OBY99T1.json", '{"version": "2.0", "class": "dataset", "label": "Zkouška", "id": ["UZ", "CasR"], '
                              '"size": [2, 1], "dimension": {"UZ": {"category": {"index": ["586846", "587290"]}}, '
                              '"CasR": {"category": {"index": ["2024"]}}}, "value": [1]}')),
    Case("index-count-over-base", ["import", "{input}"], "synthetic_index_vylouceni.xlsx", index_count_over_base),
    Case("housing-unknown-orp", ["import", "{input}"], "Neexistující",
         text("data.tsv", BYTOVA_NOUZE_HEADER + "Neexistující (Kraj Vysočina)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0\n")),
    Case("finm-before-december", ["import", "{input}"], "9/2023", finm_before_december),
    Case("ico-placement-unknown-obec", ["import", "{input}"], "999999",
         text("prirazeni_ico.csv", "ico;obec_kod\n00990011;999999\n")),
    # territory files
    Case("struktura-truncated", ["import", "{input}"], "struktura_uzemi_cut.csv",
         cut(SYNTHETIC_STRUKTURA, "struktura_uzemi_cut.csv", 0.5)),
    Case("struktura-header-only", ["import", "--source", "csu_struktura_uzemi", "{input}"], "struktura.csv",
         text("struktura.csv", STRUKTURA_TEXT.splitlines()[0] + "\n")),
    Case("struktura-again-other-name", ["import", "{input}"], "týž obsah",
         stored_copy("csu_struktura_uzemi/2025-01-01/synthetic_struktura_uzemi_jihlava.csv", "struktura_kopie.csv")),
    Case("ciselnik-columns-only", ["import", "{input}"], "ciselnik.csv",
         text("ciselnik.csv", "KODCIS;CHODNOTA;ZKRTEXT;TEXT;ADMPLOD;ADMNEPO\n43;x\n", "cp1250")),
    # population publications and age tables
    Case("publication-negative-count", ["import", "{input}"], "záporný",
         publication([Obec("586846", "Jihlava", -5, 27000)])),
    Case("publication-unknown-obec", ["import", "{input}"], "neznámým kódem obce, který není v územní struktuře ani není platným kódem obce ČSÚ",
         publication([Obec("999999", "Nikde", 10, 12)])),
    Case("publication-men-women-total", ["import", "{input}"], "synthetic_obyvatele_2024.xlsx",
         publication([Obec("586846", "Jihlava", 100, 100, celkem=250)])),
    Case("publication-twice-other-name", ["import", "{input}"], "týž obsah",
         stored_copy("csu_pocet_obyvatel/2023-01-01/synthetic_obyvatele_2023.xlsx", "obyvatele_kopie.xlsx")),
    Case("age-table-twice-other-date", ["import", "--date", "2021-12-31", "{input}"], "týž obsah",
         stored_copy("csu_vekove_slozeni/2020-12-31/synthetic_vek_do_999_2020.xlsx", "vek_2021.xlsx")),
    Case("age-figures-again-other-date", ["import", "--date", "2019-12-31", "{input}"], "počty (72 řádků) shodné",
         regenerated_age_table),
    Case("age-table-unknown-obec", ["import", "--date", "2021-12-31", "{input}"], "999999", age_table_of_unknown_obec),
    Case("age-table-bad-date", ["import", "--date", "31.12.2021", str(OPENDATA)], "RRRR-MM-DD"),
    Case("xlsx-truncated", ["import", "{input}"], "obyvatele_cut.xlsx",
         cut(FIXTURES / "synthetic_survey_google_jihlava.xlsx", "obyvatele_cut.xlsx", 0.6)),
    # ČSÚ open data
    Case("opendata-identical-two-names", ["import", str(OPENDATA), "{input}"], "týž obsah",
         binary("obyvatele_kopie.csv", OPENDATA.read_bytes())),
    Case("opendata-no-value-column", ["import", "--source", "csu_opendata", "{input}"], "opendata.csv",
         text("opendata.csv", "idhod,vuk,foo\n1,x,2\n")),
    # the MPSV registry and code lists
    Case("registry-nested-100000", ["import", "--date", "2025-07-31", "{input}"], "vnořená příliš hluboko", deep_registry),
    Case("registry-truncated", ["import", "--date", "2025-07-31", "{input}"], "rpss_cut.json", cut(REGISTRY, "rpss_cut.json", 0.5)),
    Case("registry-root-list", ["import", "--source", "mpsv_rpss", "{input}"], "kořen souboru není objekt",
         text("rpss.json", '[{"druhSocialniSluzby": {"id": "DruhSocialniSluzby/13"}}]')),
    Case("registry-second-edition-same-date", ["import", "--date", "2025-06-30", str(REGISTRY_2)],
         "synthetic_rpss_jihlava_2025_12.json"),
    Case("registry-not-utf8", ["import", "--source", "mpsv_rpss", "{input}"], "UTF-8",
         text("rpss.json", '{"polozky": [{"id": "1", "nazev": "Třešť"}]}', "cp1250")),
    Case("code-list-count-mismatch", ["import", "{input}"], "neúplný",
         text("druhy.json", '{"pocet": 3, "seznam": [{"id": 1, "kod": "13", "nazev": "domovy", "ciselnik": "DruhSocialniSluzby"}]}')),
    Case("code-list-broken-json", ["import", "--source", "mpsv_ciselniky", "{input}"], "neplatný JSON",
         text("druhy.json", '{"polozky": [{"id": "DruhSocialniSluzby/13"')),
    # boundaries
    Case("topojson-broken", ["import", "--source", "geo_hranice_obci", "{input}"], "hranice.json",
         text("hranice.json", '{"type": "Topology", "objects": ')),
    Case("geojson-without-features", ["import", "--source", "geo_hranice_uzemi", "{input}"], "SO_ORP.geojson",
         text("SO_ORP.geojson", '{"type": "FeatureCollection", "features": []}')),
    Case("ruian-level-not-in-name", ["import", "--source", "cuzk_ruian_hranice", "--date", "2026-12-01", "{input}"],
         "pojmenujte soubor podle úrovně: obce, orp, okresy nebo kraje", text("query.geojson", ruian_page(586846))),
    Case("ruian-one-page-of-many", ["import", "--date", "2026-12-01", "{input}"], "sprss fetch cuzk_ruian_hranice:obce",
         text("obce.geojson", ruian_page(586846, exceeded=True))),
    Case("ruian-error-page", ["import", "--source", "cuzk_ruian_hranice", "--date", "2026-12-01", "{input}"],
         "server ArcGIS vrátil chybu místo dat: Invalid token., kód 498",
         text("obce.geojson", '{"error": {"code": 498, "message": "Invalid token.", "details": []}}')),
    Case("ruian-archive-without-first-page", ["import", "--date", "2026-12-01", "{input}"], "v archivu chybí stránka 1",
         binary("obce.zip", ruian_archive({"obce-0002.geojson": ruian_page(586846)}))),
    Case("ruian-without-date", ["import", "{input}"], "zadejte ho volbou --date", text("obce.geojson", ruian_page(586846))),
    Case("ruian-unit-not-in-territory", ["import", "--date", "2026-12-01", "{input}"],
         "s jednotkou RÚIAN, kterou územní struktura (tabulka obce) nezná (např. obec, 599999)",
         text("obce.geojson", ruian_page(599999))),
    Case("ruian-fetch-mirror-folder-without-page", ["fetch", "cuzk_ruian_hranice:okresy", "--mirror", "{folder}"],
         "V zrcadle chybí soubor"),
    # the list of inputs
    Case("list-entry-without-soubor", ["import", "--list", "{input}"], "položka č. 1",
         text("params.yaml", "vstupy:\n  - zdroj: csu_opendata\n")),
    Case("list-plain-strings", ["import", "--list", "{input}"], "chybí klíč soubor",
         text("params.yaml", "vstupy:\n  - a.csv\n  - b.csv\n")),
    Case("list-not-a-list", ["import", "--list", "{input}"], "neprázdný seznam 'vstupy'", text("params.yaml", "vstupy: a.csv\n")),
    Case("list-cp1250", ["import", "--list", "{input}"], "UTF-8",
         text("params.yaml", "vstupy:\n  - soubor: Třešť.csv\n", "cp1250")),
    Case("list-invalid-yaml", ["import", "--list", "{input}"], "neplatný YAML", text("params.yaml", "vstupy: [a\n")),
    Case("list-missing", ["import", "--list", "{folder}/params.yaml"], "neexistuje"),
    Case("list-missing-file", ["import", "--list", "{input}"], "neexistuje",
         text("params.yaml", "vstupy:\n  - soubor: chybi.csv\n")),
    Case("list-root-is-list", ["import", "--list", "{input}"], "neprázdný seznam 'vstupy'", text("params.yaml", "- a\n")),
    # custom territories
    Case("territory-oblasti-list", ["indicators", "--territory", "{input}"], "'oblasti' musí být slovník",
         territory_yaml("nazev: Třešťsko\nobce: [588032]\noblasti: [588032]\n")),
    Case("territory-cp1250", ["indicators", "--territory", "{input}"], "UTF-8",
         territory_yaml("nazev: Třešťsko\nobce: [Třešť]\n", "cp1250")),
    Case("territory-no-obce", ["indicators", "--territory", "{input}"], "'obce'", territory_yaml("nazev: X\n")),
    Case("territory-unknown-obec", ["indicators", "--territory", "{input}"], "999999",
         territory_yaml("nazev: X\nobce: [999999]\n")),
    Case("territory-invalid-yaml", ["indicators", "--territory", "{input}"], "neplatný YAML", territory_yaml("nazev: [x\n")),
    Case("territory-yaml-missing", ["indicators", "--territory", "{folder}/uzemi.yaml"], "neexistuje"),
    Case("territory-oblast-outside", ["indicators", "--territory", "{input}"], "nejsou v 'obce'",
         territory_yaml("nazev: X\nobce: [588032]\noblasti:\n  A: [586846]\n")),
    Case("territory-ambiguous-name", ["indicators", "--territory", "obec:Kamenice"], "nejednoznačný"),
    Case("territory-unknown-orp", ["indicators", "--territory", "orp:Atlantida"], "není v územní struktuře"),
    Case("territory-bad-selector", ["indicators", "--territory", "mesto:Jihlava"], "Neplatné území"),
    # the framework's own errors
    Case("missing-territory", ["indicators"], "Chybí volba '--territory'"),
    Case("level-invalid", ["territories", "--level", "foo"], "není žádná z možností 'obec', 'pou', 'orp'"),
    Case("indicators-level-invalid", ["indicators", "--territory", "orp:Jihlava", "--level", "kraj"], "'uzemi', 'obec', 'vse'"),
    Case("format-invalid", ["indicators", "--territory", "orp:Jihlava", "--format", "pdf"], "'csv', 'xlsx'"),
    Case("unknown-command", ["importuj"], "Neznámý příkaz 'importuj'"),
    Case("unknown-option", ["indicators", "--teritory", "orp:Jihlava"], "Neznámá volba --teritory"),
    Case("option-without-value", ["indicators", "--territory"], "potřebuje hodnotu"),
    Case("extra-argument", ["build", "navic"], "Nadbytečné argumenty: navic"),
    Case("survey-missing-codebook", ["survey", "import", str(GOOGLE_CSV), "--territory", "orp:Jihlava", "--name", "x"],
         "Chybí volba '--codebook'"),
    # outputs
    Case("output-under-a-file", ["indicators", "--territory", "orp:Jihlava", "--output", "{input}/ukazatele.csv"],
         "soubor.txt: je to soubor", text("soubor.txt", "x")),
    Case("xlsx-to-stdout", ["indicators", "--territory", "orp:Jihlava", "--format", "xlsx"], "potřebuje soubor"),
    Case("catalogue-bad-date", ["catalogue", "--territory", "orp:Jihlava", "--date", "2025-13-01"], "RRRR-MM-DD"),
    Case("changes-without-from", ["changes", "--territory", "orp:Jihlava"], "Chybí volba '--from'"),
    Case("coverage-unknown-territory", ["coverage", "--territory", "kraj:Atlantida"], "Atlantida"),
    Case("report-unknown-chapter", ["report", "--territory", "orp:Jihlava", "--chapter", "nic"], "nic"),
    # surveys
    Case("survey-export-missing", ["survey", "import", "{folder}/export.csv", "--codebook", str(GOOGLE_CODEBOOK),
                                   "--territory", "orp:Jihlava", "--name", "obcane"], "neexistuje"),
    Case("survey-bad-name", ["survey", "import", str(GOOGLE_CSV), "--codebook", str(GOOGLE_CODEBOOK),
                             "--territory", "orp:Jihlava", "--name", "Občané 2027"], "Neplatný název průzkumu"),
    Case("survey-no-valid-row", ["survey", "import", "{input}", "--codebook", str(GOOGLE_CODEBOOK),
                                 "--territory", "orp:Jihlava", "--name", "obcane"], "žádný platný řádek",
         text("export.csv", GOOGLE_CSV.read_text(encoding="utf-8").splitlines()[0] + "\n"
              + ",".join(["2027/03/01 10:00:00"] + ["Atlantida"] * 12) + "\n")),
    Case("survey-codebook-cp1250", ["survey", "import", str(GOOGLE_CSV), "--codebook", "{input}",
                                    "--territory", "orp:Jihlava", "--name", "obcane"], "UTF-8",
         text("kodovnik.yaml", "otazky:\n  - id: obec\n    text: Obec, kde žijete\n", "cp1250")),
    Case("survey-unknown", ["survey", "tabulate", "--name", "nikdo"], "nikdo"),
    Case("survey-init-missing", ["survey", "init", "{folder}/export.csv"], "neexistuje"),
    # downloads
    Case("fetch-unknown-source", ["fetch", "csu_neco"], "Neznámý zdroj 'csu_neco'"),
    Case("fetch-unknown-edition", ["fetch", "mpsv_ciselniky:nic"], "nemá vydání 'nic'"),
    Case("fetch-no-url", ["fetch", "csu_pocet_obyvatel"], "sprss import"),
    Case("fetch-mirror-folder-without-file", ["fetch", "mpsv_ciselniky:kraje", "--mirror", "{folder}"], "kraje.json"),
]


def _arguments(case: Case, folder: Path, data: DataDir) -> list[str]:
    made = case.make(folder, data) if case.make else None
    return [a.replace("{input}", str(made)).replace("{folder}", str(folder)).replace("{data}", str(data.root))
            for a in case.args]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in CASES])
def test_bad_input_is_one_czech_line_and_changes_nothing(case, data, tmp_path):
    folder = tmp_path / "vstupy"
    folder.mkdir()
    args = _arguments(case, folder, data)
    before = tree(data.root)
    message = one_czech_line(invoke_sprss(*args, data=data))
    assert case.expected in message
    assert tree(data.root) == before


# the cases (by id prefix) of each source; a new source adds its own bad files above and its entry here
SOURCE_CASES = {"csu_struktura_uzemi": "struktura-", "csu_ciselniky": "ciselnik-", "csu_pocet_obyvatel": "publication-",
                "csu_vekove_slozeni": "age-", "csu_opendata": "opendata-", "geo_hranice_obci": "topojson-",
                "geo_hranice_uzemi": "geojson-", "mpsv_rpss": "registry-", "mpsv_ciselniky": "code-list-",
                "csu_nezamestnanost_obce": "unemployment-", "csu_datastat": "datastat-", "index_vylouceni": "index-",
                "bytova_nouze": "housing-", "mf_finm": "finm-", "prirazeni_ico": "ico-",
                "cuzk_ruian_hranice": "ruian-"}


def test_the_suite_covers_every_source_and_command():
    from pipeline import sources
    assert len(CASES) >= 60
    for module in sources.SOURCES:
        prefix = SOURCE_CASES.get(module.META.id)
        assert prefix and any(c.id.startswith(prefix) for c in CASES), f"no bad-input case for {module.META.id}"
    commands = {c.args[0] for c in CASES}
    assert {"import", "fetch", "build", "indicators", "territories", "survey", "catalogue", "changes", "coverage",
            "report"} <= commands


def test_level_is_case_insensitive(base):
    result = invoke_sprss("territories", "jihlava", "--level", "ORP", data=base)
    assert result.returncode == 0, result.stderr
    assert "orp:6105" in result.stdout


def test_code_list_in_iso_8859_2_keeps_its_names(data, tmp_path):
    """Decoded as ISO-8859-2, not as cp1250 (which would turn š and ž into ą and ľ)."""
    path = tmp_path / "CIS0043.csv"
    path.write_bytes("KODCIS;CHODNOTA;ZKRTEXT;TEXT;ADMPLOD;ADMNEPO\n"
                     "43;588032;Třešť;Třešť;01.01.2020;09.09.9999\n43;586846;Jihlava;Jihlava;01.01.2020;09.09.9999\n"
                     "43;587931;Stonařov;Stonařov;01.01.2020;09.09.9999\n43;599999;Žďárec;Žďárec;01.01.2020;09.09.9999\n"
                     .encode("iso-8859-2"))
    from pipeline.sources import csu_ciselniky
    names = set(csu_ciselniky.parse(path.read_bytes(), path.name).tables["ciselnik_polozky"]["text"])
    assert {"Třešť", "Žďárec"} <= names


# --- personal data ---------------------------------------------------------------------------------------


def test_no_personal_name_is_stored_under_data(base):
    """The registry snapshot is stored without statutarniOrgany and contact notes; provenance keeps the original's
    sha256 and size and what was removed."""
    import json
    hits = [str(p) for p in base.root.rglob("*") if p.is_file() and NAMES.search(p.read_bytes().decode("utf-8", "replace"))]
    assert hits == []
    stored = base.raw / "mpsv_rpss" / REGISTRY_DATE.isoformat() / REGISTRY.name
    provenance = json.loads(stored.with_name(stored.name + raw.PROVENANCE_SUFFIX).read_text())
    assert provenance["puvodni_sha256"] == hashlib.sha256(REGISTRY.read_bytes()).hexdigest()
    assert provenance["puvodni_velikost"] == REGISTRY.stat().st_size
    assert provenance["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert provenance["odstranene_klice"]["statutarniOrgany"] == 13


def test_an_old_snapshot_with_personal_fields_is_redacted_and_builds_the_same_tables(data, tmp_path):
    import json
    stored = data.raw / "mpsv_rpss" / REGISTRY_DATE.isoformat() / REGISTRY.name
    record = stored.with_name(stored.name + raw.PROVENANCE_SUFFIX)
    before = query(data, "SELECT * FROM sluzby ORDER BY sluzba_id")
    provenance = json.loads(record.read_text())
    for key in ("puvodni_sha256", "puvodni_velikost", "odstranene_klice"):
        del provenance[key]
    provenance |= {"sha256": hashlib.sha256(REGISTRY.read_bytes()).hexdigest(), "velikost": REGISTRY.stat().st_size}
    stored.chmod(0o644)
    stored.write_bytes(REGISTRY.read_bytes())  # as sprss stored it before this change
    record.write_text(json.dumps(provenance))
    result = run_sprss("build", data=data)
    assert result.returncode == 0, result.stderr
    assert "odstraněny osobní údaje" in result.stderr
    assert not NAMES.search(stored.read_text(encoding="utf-8"))
    assert query(data, "SELECT * FROM sluzby ORDER BY sluzba_id") == before


def test_a_refused_survey_import_keeps_the_stored_rejects_file(data, tmp_path):
    rejects = data.processed / "pruzkum" / "obcane-odmitnute.csv"
    kept = rejects.read_bytes()
    export = tmp_path / "export.csv"
    export.write_text(GOOGLE_CSV.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    one_czech_line(invoke_sprss("survey", "import", export, "--codebook", GOOGLE_CODEBOOK, "--territory", "orp:Jihlava",
                                "--name", "obcane", data=data))
    assert rejects.read_bytes() == kept


# --- faults of the machine -------------------------------------------------------------------------------


def test_full_disk_while_storing_a_snapshot_is_one_line(data, monkeypatch):
    """ENOSPC injected where the snapshot is written: the warehouse stays, data/raw stays."""
    from pipeline.raw import snapshots

    def full(target, content):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
    monkeypatch.setattr(snapshots, "atomic_write", full)
    before = tree(data.root)
    message = one_czech_line(invoke_sprss("import", OPENDATA, data=data))
    assert "na disku není volné místo" in message
    assert tree(data.root) == before


def _namespaces_work() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_namespace = pytest.mark.skipif(not _namespaces_work(), reason="potřebuje unshare -m (soukromý mount namespace)")


def _in_namespace(script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("SPRSS_DATA_DIR", None)
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env, timeout=300)


def _sprss(data: Path, *args: str) -> str:
    return " ".join(f"'{a}'" for a in [*sprss_command(), "--data-dir", str(data), *args])


@pytest.mark.slow
@needs_namespace
@pytest.mark.parametrize("args", [["import", str(OPENDATA)], ["build"], ["import", str(REGISTRY_2), "--date", "2025-12-31"],
                                  ["survey", "import", str(GOOGLE_CSV), "--codebook", str(GOOGLE_CODEBOOK),
                                   "--territory", "orp:Jihlava", "--name", "druhy"],
                                  ["indicators", "--territory", "orp:Jihlava", "--output", "{root}/ukazatele.csv"]],
                         ids=["import", "build", "registry", "survey", "output"])
def test_read_only_data_dir(args, data):
    root = data.root
    before = tree(root)
    args = [a.replace("{root}", str(root)) for a in args]
    result = _in_namespace(f"mount --bind '{root}' '{root}' && mount -o remount,bind,ro '{root}' && exec {_sprss(root, *args)}")
    message = one_czech_line(result)
    assert "jen pro čtení" in message
    assert tree(root) == before


@pytest.mark.slow
@needs_namespace
@pytest.mark.parametrize("args", [["build"], ["import", str(REGISTRY_2), "--date", "2025-12-31"]], ids=["build", "import"])
def test_full_disk_during_the_build(args, data, tmp_path):
    """A tmpfs just larger than the data dir: the new warehouse cannot be written."""
    mount, err, listing = tmp_path / "disk", tmp_path / "stderr.txt", tmp_path / "after.txt"
    mount.mkdir()
    size = sum(p.stat().st_size for p in data.root.rglob("*") if p.is_file()) + 256 * 1024
    target = mount / "data"
    hashes = f"cd '{target}' && find . -type f | LC_ALL=C sort | xargs -d '\\n' sha256sum"
    result = _in_namespace(
        f"mount -t tmpfs -o size={size} tmpfs '{mount}' && cp -a '{data.root}' '{target}' && ({hashes}) > '{tmp_path}/before.txt'"
        f" && {{ {_sprss(target, *args)} 2> '{err}'; echo $? > '{tmp_path}/rc'; ({hashes}) > '{listing}'; }}")
    assert result.returncode == 0, result.stderr
    outcome = subprocess.CompletedProcess(args, int((tmp_path / "rc").read_text()), "", err.read_text())
    assert "na disku není volné místo" in one_czech_line(outcome)
    assert listing.read_text() == (tmp_path / "before.txt").read_text()


def _popen(data: DataDir, *args: str, stderr: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("SPRSS_DATA_DIR", None)
    return subprocess.Popen([*sprss_command(), "--data-dir", str(data.root), *args], stdout=subprocess.DEVNULL,
                            stderr=stderr.open("w") if stderr else subprocess.DEVNULL, text=True, env=env)


def _wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.slow
def test_a_killed_build_leaves_nothing_the_next_command_does_not_remove(data):
    before = tree(data.root)
    build = _popen(data, "build")
    _wait_for(lambda: any(data.processed.glob(".sprss.duckdb.*.tmp")))
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert any(data.processed.glob(".sprss.duckdb.*.tmp*"))
    result = run_sprss("territories", "Jihlava", data=data)
    assert result.returncode == 0, result.stderr
    assert tree(data.root) == before  # leftovers gone, everything else as it was


@pytest.mark.slow
def test_concurrent_imports_wait_for_each_other_and_both_are_stored(data, tmp_path):
    """While another writer holds the data dir, both imports wait (and say so); then both files are in the warehouse."""
    logs = [tmp_path / "first.txt", tmp_path / "second.txt"]
    handle = os.open(data.root, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        imports = [_popen(data, "import", str(OPENDATA), stderr=logs[0]),
                   _popen(data, "import", str(REGISTRY_2), "--date", "2025-12-31", stderr=logs[1])]
        _wait_for(lambda: all("Čekám, až skončí jiný příkaz sprss" in log.read_text() for log in logs))
        assert [p.poll() for p in imports] == [None, None]
    finally:
        os.close(handle)
    for process, log in zip(imports, logs, strict=True):
        assert process.wait(timeout=300) == 0, log.read_text()
    files = {name for (name,) in query(data, "SELECT puvodni_nazev FROM provenience")}
    assert {OPENDATA.name, REGISTRY_2.name} <= files


# --- broken mirrors -------------------------------------------------------------------------------------


def _official_path(source: str, edition: str) -> str:
    from urllib.parse import urlsplit
    return urlsplit(downloads.catalogue()[source][edition].url).path


@pytest.mark.parametrize("fault, expected", [("redirect-loop", "přesměrovává dokola"), ("not-found", "HTTP 404"),
                                             ("server-error", "HTTP 500"), ("not-json", "kraje.json")])
def test_broken_mirror_is_one_czech_line(fault, expected, httpserver, data):
    from werkzeug import Response
    path = _official_path("mpsv_ciselniky", "kraje")
    if fault == "redirect-loop":
        httpserver.expect_request(path).respond_with_response(Response(status=302, headers={"Location": path}))
    elif fault == "not-found":
        httpserver.expect_request(path).respond_with_data("nic", status=404)
    elif fault == "server-error":  # retried, then given up
        httpserver.expect_request(path).respond_with_data("chyba", status=500)
    else:
        httpserver.expect_request(path).respond_with_data("<html>Údržba</html>", content_type="text/html")
    before = tree(data.root)
    result = run_sprss("fetch", "mpsv_ciselniky:kraje", "--mirror", httpserver.url_for("/").rstrip("/"), data=data)
    assert expected in one_czech_line(result)
    assert tree(data.root) == before


def test_unreachable_mirror_is_one_czech_line(data):
    before = tree(data.root)
    result = run_sprss("fetch", "mpsv_ciselniky:kraje", "--mirror", "http://127.0.0.1:9", data=data)
    assert "nelze se spojit" in one_czech_line(result)
    assert tree(data.root) == before
