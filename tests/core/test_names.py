"""Likely names of persons in free-text survey answers: flagged in tabulate's output, hidden in the chapter."""
import io

import pandas as pd
import pytest

from pipeline.chapters.pruzkum.data import published_answers
from pipeline.core.names import likely_names, mask_names
from survey_support import GOOGLE_CSV, fresh_data_dir, import_google, sprss


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


def test_tabulate_flags_an_answer_with_a_name_and_the_chapter_hides_it(tmp_path_factory, tmp_path):
    data = fresh_data_dir(tmp_path_factory, tmp_path)
    rows = GOOGLE_CSV.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].rsplit(",", 1)[0] + ',"Paní Vondrušková z pečovatelské služby chodí pozdě."'
    export = tmp_path / "export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert import_google(data, "obcane", export).returncode == 0
    result = sprss("survey", "tabulate", "--name", "obcane", "--table", "volne", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    flagged = table[table["mozna_jmena"] != ""]
    assert list(flagged["radek"]) == [2] and list(flagged["mozna_jmena"]) == ["Paní Vondrušková"]
    assert "Pozor: 1 volná odpověď možná obsahuje jméno osoby (řádky 2;" in result.stderr
    published = published_answers(flagged)
    assert list(published["Odpověď"]) == ["[jméno skryto] z pečovatelské služby chodí pozdě."]
