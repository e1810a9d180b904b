"""Likely names of persons in free-text survey answers: flagged in tabulate's output, hidden in the chapter."""
import hashlib
import io
import json

from openpyxl import load_workbook
import pandas as pd
import pytest

from pipeline.chapters.pruzkum.data import published_answers
from pipeline.core.names import likely_names, mask_names
from survey_support import GOOGLE_CSV, GOOGLE_XLSX, fresh_data_dir, import_google, sprss


@pytest.mark.parametrize("text, names", [
    ("Paní Nováková z pečovatelské služby je skvělá.", ["Paní Nováková"]),
    ("paní Nováková z pečovatelské služby je skvělá.", ["paní Nováková"]),
    ("Jana Dvořáková nám pomáhá, s Petrem Novákem taky.", ["Jana Dvořáková", "Petrem Novákem"]),
    ("MUDr. Svoboda ordinuje jen v úterý", ["MUDr. Svoboda"]),
    ("Kontaktní osoba Jaroslava Zlámalová-Šebková", ["Jaroslava Zlámalová-Šebková"]),
    ("Pečovatelka chodí jen ve všední dny.", []),
    ("Odlehčovací služby, Sociální bydlení, Domov pro seniory Jihlava", []),
    ("V Jihlavě chybí Denní stacionář; jana je malé jméno", []),
])
def test_likely_names(text, names):
    assert [n.lower() for n in likely_names(text)] == [n.lower() for n in names]


def test_mask_names_keeps_the_rest_of_the_answer():
    assert mask_names("Děkujeme, paní Nováková, za pomoc.") == "Děkujeme, [jméno skryto], za pomoc."


def test_import_stores_free_text_without_names_and_says_so(tmp_path_factory, tmp_path):
    """A name in a free-text answer never reaches data/: masked in the stored export, the original only hashed."""
    data = fresh_data_dir(tmp_path_factory, tmp_path)
    rows = GOOGLE_CSV.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].rsplit(",", 1)[0] + ',"Paní Vondrušková z pečovatelské služby chodí pozdě."'
    export = tmp_path / "export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_google(data, "obcane", export)
    assert result.returncode == 0, result.stderr
    assert "skryto možných jmen osob 1 (řádky 2)" in " ".join(result.stderr.split())
    assert not [p for p in data.root.rglob("*") if p.is_file() and "Vondrušková".encode() in p.read_bytes()]
    meta = json.loads((data.raw / "pruzkum" / "obcane" / "pruzkum.json").read_text(encoding="utf-8"))
    assert meta["puvodni_sha256"] == hashlib.sha256(export.read_bytes()).hexdigest() and meta["skryta_jmena"] == 1
    stored = (data.raw / "pruzkum" / "obcane" / "export.csv").read_text(encoding="utf-8").splitlines()
    assert stored[1].endswith('"[jméno skryto] z pečovatelské služby chodí pozdě."')
    assert stored[2:] == [line for line in GOOGLE_CSV.read_text(encoding="utf-8").splitlines()[2:]]  # rest unchanged
    table = sprss("survey", "tabulate", "--name", "obcane", "--table", "volne", data=data)
    assert table.returncode == 0, table.stderr
    answers = pd.read_csv(io.StringIO(table.stdout), keep_default_na=False)
    assert "[jméno skryto] z pečovatelské služby chodí pozdě." in list(answers["text"])
    assert set(answers["mozna_jmena"]) == {""}


def test_import_masks_names_in_a_workbook_and_keeps_its_other_sheets(tmp_path_factory, tmp_path):
    data = fresh_data_dir(tmp_path_factory, tmp_path)
    book = load_workbook(GOOGLE_XLSX)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("Máte další připomínky nebo náměty?") + 1
    sheet.cell(row=3, column=column).value = "Děkujeme panu Novákovi a Janě Dvořákové za pomoc."
    export = tmp_path / "export.xlsx"
    book.save(export)
    result = import_google(data, "obcane", export)
    assert result.returncode == 0, result.stderr
    stored = load_workbook(data.raw / "pruzkum" / "obcane" / "export.xlsx")
    assert stored.sheetnames == book.sheetnames
    assert stored.worksheets[0].cell(row=3, column=column).value == "Děkujeme [jméno skryto] a [jméno skryto] za pomoc."
    assert stored.worksheets[0].cell(row=3, column=2).value == sheet.cell(row=3, column=2).value


def test_published_answers_hide_names_of_surveys_stored_before_masking():
    """Surveys imported by an older sprss kept free text verbatim: the chapter still hides what looks like a name."""
    answers = pd.DataFrame({"otazka": ["Q"], "radek": [2], "obec": ["Jihlava"], "text": ["Paní Vondrušková chodí pozdě."],
                            "mozna_jmena": ["Paní Vondrušková"]})
    assert list(published_answers(answers)["Odpověď"]) == ["[jméno skryto] chodí pozdě."]
