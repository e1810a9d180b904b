"""`sprss survey import`: readers, row validation with rejects, snapshots in data/raw/pruzkum that replace on
re-import, the warehouse rebuilt from them, and bad input as one Czech line.

Expected counts are read off the fixture by hand (tests/fixtures/synthetic_survey_google_jihlava.csv, rows as a
spreadsheet numbers them, header = 1): 18 data rows; row 10 is empty; rejected are 8 (Brno: outside ORP Jihlava),
12 (exact copy of 11), 13 ('Brtnce': a typo), 15 (no obec); the 13 others are valid, among them the variants
'jihlava', 'TŘEŠŤ', 'Trest', ' Polna '.
"""
import csv
import hashlib
import io
import json

import duckdb
import pytest

from builders import copy_data_dir, query, raw_listing, write_jihlavsko_population
from pipeline.core import territory
from pipeline.core.config import DataDir
from pipeline.core.errors import FormatError, SprssError
from pipeline.sources.pruzkum import codebook as cb
from pipeline.sources.pruzkum.readers import read_export
from pipeline.sources.pruzkum.validate import ObecMatcher, Rejected, split_multi, validate
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from survey_support import (
    GOOGLE_CODEBOOK,
    GOOGLE_CSV,
    GOOGLE_XLSX,
    PLAIN_CODEBOOK,
    PLAIN_XLSX,
    SURVIO_XLSX,
    base_data_dir,
    fresh_data_dir,
    import_google,
    one_czech_error_line,
    sprss,
)

GOOGLE_REJECTS = [
    (8, "obec 'Brno' není v území ORP Jihlava"),
    (12, "duplicitní odeslání: stejné odpovědi jako řádek 11"),
    (13, "neznámá obec 'Brtnce' (nejbližší obec území: Brtnice)"),
    (15, "chybí odpověď na povinnou otázku obec"),
]
VALID_ROWS = [2, 3, 4, 5, 6, 7, 9, 11, 14, 16, 17, 18, 19]


@pytest.fixture
def data(tmp_path_factory, tmp_path):
    return fresh_data_dir(tmp_path_factory, tmp_path)


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory):
    """The Google Forms CSV imported as 'obcane' (read-only: tests take a copy)."""
    data = fresh_data_dir(tmp_path_factory, tmp_path_factory.mktemp("imported"))
    result = import_google(data)
    assert result.returncode == 0, result.stderr
    return data, result


@pytest.fixture
def imported(imported_once, tmp_path):
    return copy_data_dir(imported_once[0], tmp_path / "imported")


@pytest.fixture(scope="module")
def obce(tmp_path_factory):
    with warehouse.connect(base_data_dir(tmp_path_factory)) as con:
        return load_obce(con)


def evaluate(path, codebook_path, obce, selector="orp:Jihlava"):
    book = cb.parse(codebook_path.read_text(encoding="utf-8"), codebook_path.name)
    return validate(read_export(path.read_bytes(), path.name), book, territory.resolve(selector, obce), obce)


def google_content(encoding="utf-8") -> bytes:
    return GOOGLE_CSV.read_bytes().decode("utf-8").encode(encoding)


# --- the whole import ---------------------------------------------------------------------------------------


def test_import_google_csv(imported_once):
    data, result = imported_once
    rejects_path = data.processed / "pruzkum" / "obcane-odmitnute.csv"
    assert result.stderr.strip() == (
        f"Průzkum obcane: platných odpovědí 13, odmítnutých 4 (důvody v {rejects_path}), prázdných řádků 1 "
        f"→ {data.raw / 'pruzkum' / 'obcane'}")
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        rejects = con.execute("SELECT radek, duvod FROM pruzkum_odmitnute ORDER BY radek").fetchall()
        meta = con.execute("SELECT uzemi, uzemi_nazev, puvodni_nazev, radku, platnych, odmitnutych, prazdnych "
                           "FROM pruzkum").fetchall()
        by_obec = con.execute("SELECT obec_nazev, count(*) FROM pruzkum_respondenti JOIN obce USING (obec_kod) "
                              "GROUP BY 1 ORDER BY 1").fetchall()
        rows = [r for (r,) in con.execute("SELECT radek FROM pruzkum_respondenti ORDER BY 1").fetchall()]
        other = con.execute("SELECT radek, text FROM pruzkum_odpovedi WHERE moznost = 'Jiné' ORDER BY 1").fetchall()
    assert rejects == GOOGLE_REJECTS
    assert meta == [("orp:Jihlava", "Jihlava", "synthetic_survey_google_jihlava.csv", 18, 13, 4, 1)]
    assert by_obec == [("Brtnice", 1), ("Jihlava", 5), ("Kamenice", 1), ("Luka nad Jihlavou", 1), ("Polná", 2),
                       ("Třešť", 3)]
    assert rows == VALID_ROWS
    assert other == [(6, 'startovací byty, dostupné i pro mladé; "bez kauce"'), (16, "krizová pomoc, i v noci")]
    # the rejects file: reason and the original cells of every rejected row
    lines = rejects_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("radek,duvod,Časová značka,Ve které obci žijete?")
    assert [line.split(",")[0] for line in lines[1:]] == ["8", "12", "13", "15"]


def test_snapshot_folder_keeps_the_export_unchanged(imported_once):
    data, _ = imported_once
    folder = data.raw / "pruzkum" / "obcane"
    assert sorted(p.name for p in folder.iterdir()) == ["kodovnik.yaml", "pruzkum.json",
                                                        "synthetic_survey_google_jihlava.csv"]
    assert (folder / GOOGLE_CSV.name).read_bytes() == GOOGLE_CSV.read_bytes()
    assert (folder / "kodovnik.yaml").read_bytes() == GOOGLE_CODEBOOK.read_bytes()
    meta = json.loads((folder / "pruzkum.json").read_text(encoding="utf-8"))
    assert {k: meta[k] for k in ("nazev", "uzemi", "puvodni_nazev", "sha256", "velikost", "kodovnik")} == {
        "nazev": "obcane", "uzemi": "orp:Jihlava", "puvodni_nazev": GOOGLE_CSV.name,
        "sha256": hashlib.sha256(GOOGLE_CSV.read_bytes()).hexdigest(), "velikost": GOOGLE_CSV.stat().st_size,
        "kodovnik": GOOGLE_CODEBOOK.name}
    assert "importovano" in meta


def test_reimport_replaces_never_duplicates(imported):
    data = imported
    assert import_google(data).returncode == 0
    assert query(data, "SELECT count(*) FROM pruzkum_respondenti")[0][0] == 13
    assert import_google(data, "obcane", GOOGLE_XLSX).returncode == 0  # the same name, another file
    assert query(data, "SELECT pruzkum, puvodni_nazev, platnych FROM pruzkum") == [
        ("obcane", GOOGLE_XLSX.name, 13)]
    assert sorted(p.name for p in (data.raw / "pruzkum").iterdir()) == ["obcane"]
    assert GOOGLE_XLSX.name in {p.name for p in (data.raw / "pruzkum" / "obcane").iterdir()}
    assert import_google(data, "obcane-xlsx", GOOGLE_XLSX).returncode == 0  # another name: a second survey
    assert query(data, "SELECT pruzkum, count(*) FROM pruzkum_respondenti GROUP BY 1 ORDER BY 1") == [
        ("obcane", 13), ("obcane-xlsx", 13)]


def test_rebuild_from_data_raw_gives_the_same_answers(imported):
    data = imported
    before = query(data, "SELECT * FROM pruzkum_odpovedi ORDER BY ALL")
    assert sprss("build", data=data).returncode == 0
    assert query(data, "SELECT * FROM pruzkum_odpovedi ORDER BY ALL") == before
    # answer rows: obec, vek, péče 13 each; multi využívá 17 and chybí 22 (with 2 'Jiné'); informace 13;
    # spokojenost 11; platba 12; připomínky 5 (hand counts in test_survey_tabulate)
    assert len(before) == 13 * 3 + 17 + 22 + 13 + 11 + 12 + 5


def test_failed_build_puts_the_previous_snapshot_back(imported, monkeypatch):
    data = imported
    listing, warehouse_bytes = raw_listing(data), data.warehouse.read_bytes()

    def failing_build(*args, **kwargs):
        raise SprssError("Sestavení skladu selhalo (test).")

    monkeypatch.setattr(warehouse, "build", failing_build)
    message = one_czech_error_line(import_google(data, "obcane", GOOGLE_XLSX))
    assert "selhalo" in message
    assert raw_listing(data) == listing
    assert data.warehouse.read_bytes() == warehouse_bytes


def test_rejected_import_leaves_data_raw_and_warehouse_alone(data, tmp_path):
    listing, warehouse_bytes = raw_listing(data), data.warehouse.read_bytes()
    changed = tmp_path / "kodovnik.yaml"
    changed.write_text(GOOGLE_CODEBOOK.read_text(encoding="utf-8") + (
        "- id: pohlavi\n  text: Jste žena, nebo muž?\n  typ: single\n  moznosti: [Žena, Muž]\n"), encoding="utf-8")
    result = sprss("survey", "import", GOOGLE_CSV, "--codebook", changed, "--territory", "orp:Jihlava",
                   "--name", "obcane", data=data)
    message = one_czech_error_line(result)
    assert message == ("Chyba: soubor synthetic_survey_google_jihlava.csv: export neodpovídá kódovníku, "
                       "chybí otázky: pohlavi (Jste žena, nebo muž?)")
    assert raw_listing(data) == listing
    assert data.warehouse.read_bytes() == warehouse_bytes


# --- readers: the same answers from every shape of the export --------------------------------------------


def test_xlsx_bom_and_cp1250_exports_give_the_same_answers(obce, tmp_path):
    expected = evaluate(GOOGLE_CSV, GOOGLE_CODEBOOK, obce)
    variants = {"bom.csv": b"\xef\xbb\xbf" + google_content(), "cp1250.csv": google_content("cp1250")}
    for name, content in variants.items():
        (tmp_path / name).write_bytes(content)
    for path in [GOOGLE_XLSX, tmp_path / "bom.csv", tmp_path / "cp1250.csv"]:
        result = evaluate(path, GOOGLE_CODEBOOK, obce)
        assert result.respondents.equals(expected.respondents), path.name
        assert result.answers.equals(expected.answers), path.name
        assert list(result.rejects["duvod"]) == [reason for _, reason in GOOGLE_REJECTS]
        assert result.empty_rows == 1


def test_semicolon_csv_from_czech_excel(obce, tmp_path):
    rows = google_content().decode("utf-8").splitlines()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(csv.reader(rows))
    path = tmp_path / "strednik.csv"
    path.write_bytes(buffer.getvalue().encode("cp1250"))
    assert evaluate(path, GOOGLE_CODEBOOK, obce).answers.equals(evaluate(GOOGLE_CSV, GOOGLE_CODEBOOK, obce).answers)


def test_survio_like_export(obce):
    book_text = (SURVIO_XLSX.parent / "synthetic_survey_survio_jihlava.codebook.yaml").read_text(encoding="utf-8")
    book = cb.parse(book_text, "k")
    result = validate(read_export(SURVIO_XLSX.read_bytes(), SURVIO_XLSX.name), book,
                      territory.resolve("orp:Jihlava", obce), obce)
    assert list(result.respondents["radek"]) == [2, 3, 4, 6, 7]
    assert list(zip(result.rejects["radek"], result.rejects["duvod"])) == [
        (5, "obec 'Havlíčkův Brod' není v území ORP Jihlava"),
        (8, "odpověď '6' na otázku vek není v kódovníku"),
        (9, "hodnota '2' ve sloupci Q3_4 (otázka sluzby_obci_chybi) má být 0 nebo 1")]
    answers = result.answers
    assert list(answers.loc[answers["otazka"] == "vek", "moznost"]) == [
        "30–49 let", "65–79 let", "50–64 let", "80 let a více", "do 29 let"]
    chosen = answers[answers["otazka"] == "sluzby_obci_chybi"]
    assert list(zip(chosen["radek"], chosen["moznost"])) == [
        (2, "Pečovatelská služba"), (2, "Sociální bydlení"), (3, "Odlehčovací služby"), (4, "Pečovatelská služba"),
        (4, "Odlehčovací služby"), (6, "Domov pro seniory")]  # row 7 chose nothing
    assert result.unused_columns == ["ID"]


def test_plain_hand_made_sheet(obce):
    result = evaluate(PLAIN_XLSX, PLAIN_CODEBOOK, obce)
    assert list(result.respondents["radek"]) == [4, 5]  # header on row 3, under a title
    assert list(zip(result.rejects["radek"], result.rejects["duvod"])) == [
        (6, "odpověď 'Možná' na otázku spoluprace není v kódovníku"),
        (7, "chybí odpověď na povinnou otázku chybejici_sluzby"),
        (8, "odpověď 'pět' na otázku pocet_klientu není číslo"),
        (9, "duplicitní odeslání: stejné odpovědi jako řádek 4")]  # no timestamps: same answers = duplicate


# --- bad input: one Czech line -------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("utf16.csv", "Časová značka,Obec\n".encode("utf-16"), "nečitelné kódování UTF-16"),
    ("dos.csv", "Časová značka,Ve které obci žijete?\n2027/03/01 10:00:00,Třešť\n".encode("cp852"),
     "nečitelné kódování (ani UTF-8, ani Windows-1250)"),
    ("obrazek.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "soubor není text v kódování UTF-8 ani cp1250"),
    ("odpovedi.docx", b"PK\x03\x04 not really a workbook", "nejde o čitelný sešit XLSX"),
    ("odpovedi.xls", b"\xd0\xcf\x11\xe0 old excel", "nejde o sešit XLSX"),
    ("odpovedi.pdf", b"%PDF-1.7", "nepodporovaný typ souboru .pdf"),
    ("prazdny.csv", b"", "soubor je prázdný"),
])
def test_unreadable_exports(name, content, message):
    with pytest.raises(FormatError) as caught:
        read_export(content, name)
    assert message in str(caught.value) and str(caught.value).startswith(f"soubor {name}: ")


def test_wrong_file_names_every_missing_question(data, tmp_path):
    population = write_jihlavsko_population(tmp_path)[1]  # a ČSÚ age table passed instead of the survey
    message = one_czech_error_line(import_google(data, "obcane", population))
    assert message.startswith(f"Chyba: soubor {population.name}: export neodpovídá kódovníku, chybí otázky: obec (")
    for qid in ["obec", "vek", "pecujete_nekoho_blizkeho", "sluzby_obci_chybi", "dalsi_pripominky_namety"]:
        assert f"{qid} (" in message


@pytest.mark.parametrize("args, message", [
    (["--territory", "orp:Neexistuje", "--name", "x"], "'Neexistuje' není v územní struktuře"),
    (["--territory", "orp:Jihlava", "--name", "Občané 2027"], "Neplatný název průzkumu 'Občané 2027'"),
])
def test_bad_options(data, args, message):
    result = sprss("survey", "import", GOOGLE_CSV, "--codebook", GOOGLE_CODEBOOK, *args, data=data)
    assert message in one_czech_error_line(result)


def test_import_without_warehouse(tmp_path):
    result = sprss("survey", "import", GOOGLE_CSV, "--codebook", GOOGLE_CODEBOOK, "--territory", "orp:Jihlava",
                   "--name", "obcane", data=DataDir(tmp_path / "data"))
    assert "neexistuje; spusťte nejdřív sprss import" in one_czech_error_line(result)


# --- validation rules ------------------------------------------------------------------------------------------


def test_split_multi_keeps_options_with_commas_and_other_text_whole():
    options = tuple(cb.Option(t) for t in ["Sociální bydlení", "Odborné sociální poradenství (dluhy, bydlení)"])
    assert split_multi("Odborné sociální poradenství (dluhy, bydlení), Sociální bydlení", options) == ([1, 0], None)
    assert split_multi('Sociální bydlení, Jiné: byty, i "startovací"; hned', options) == (
        [0], 'Jiné: byty, i "startovací"; hned')
    assert split_multi("sociální  bydlení", options) == ([], "sociální  bydlení")  # not guessed


def test_obec_matching(obce):
    jihlava = ObecMatcher(territory.resolve("orp:Jihlava", obce), obce)
    assert jihlava.match("  luka nad JIHLAVOU ") == ("587478", "Luka nad Jihlavou")
    assert jihlava.match("586846") == ("586846", "Jihlava")
    assert jihlava.match("Kamenice") == ("587346", "Kamenice")  # another Kamenice lies elsewhere
    with pytest.raises(Rejected, match="neznámá obec 'Xyz'$"):
        jihlava.match("Xyz")


def test_duplicate_needs_the_same_answers_sent_close_together(obce, tmp_path):
    header = "Časová značka,Ve které obci žijete?,Kolik je Vám let?\n"
    path = tmp_path / "d.csv"
    path.write_text(header + "2027/03/01 10:00:00,Jihlava,do 29 let\n"
                             "2027/03/01 10:00:04,Jihlava,do 29 let\n"    # double click: duplicate
                             "2027/03/01 14:00:00,Jihlava,do 29 let\n", encoding="utf-8")  # another person
    book = tmp_path / "k.yaml"
    book.write_text("otazky:\n- id: obec\n  text: Ve které obci žijete?\n  typ: obec\n  povinna: true\n"
                    "- id: vek\n  text: Kolik je Vám let?\n  typ: single\n  moznosti: [do 29 let]\n", encoding="utf-8")
    result = evaluate(path, book, obce)
    assert list(result.respondents["radek"]) == [2, 4]
    assert list(result.rejects["duvod"]) == ["duplicitní odeslání: stejné odpovědi jako řádek 2"]
