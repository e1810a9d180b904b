"""Codebook YAML and `sprss survey init`: the draft for an ordinary Google Forms export is right without edits."""
import pytest

from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.sources.pruzkum import codebook as cb
from pipeline.sources.pruzkum.codebook import Option
from pipeline.sources.pruzkum.infer import draft
from pipeline.sources.pruzkum.readers import Export, read_export
from survey_support import GOOGLE_CODEBOOK, GOOGLE_CSV, GOOGLE_XLSX, PLAIN_CODEBOOK, SURVIO_XLSX, one_czech_error_line, sprss


def export_of(path) -> Export:
    return read_export(path.read_bytes(), path.name)


def column(header: str, answers: list[str]) -> Export:
    return Export("x.csv", [header], [(i + 2, [a]) for i, a in enumerate(answers)])


# --- init on the fixtures --------------------------------------------------------------------------------


def test_init_on_google_csv_writes_the_reviewed_codebook(tmp_path):
    output = tmp_path / "kodovnik.yaml"
    result = sprss("survey", "init", GOOGLE_CSV, "--output", output, data=DataDir(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == GOOGLE_CODEBOOK.read_text(encoding="utf-8")
    assert "9 otázek" in result.stderr


def test_google_codebook_content():
    book = cb.parse(GOOGLE_CODEBOOK.read_text(encoding="utf-8"), GOOGLE_CODEBOOK.name)
    types = {q.id: (q.type, q.required) for q in book.questions}
    assert types == {
        "obec": ("obec", True), "vek": ("single", True), "pecujete_nekoho_blizkeho": ("single", True),
        "socialni_sluzby_vyuzivate_nekdo": ("multi", False), "sluzby_obci_chybi": ("multi", False),
        "dostatek_informaci_socialnich_sluzbach": ("likert", True), "spokojen_socialnimi_sluzbami_obci": ("likert", False),
        "korun_mesicne_ochoten_ochotna": ("number", False), "dalsi_pripominky_namety": ("text", False)}
    # options with a comma stay whole; 'Jiné:' free text is not an option but allowed
    missing = book.by_id["sluzby_obci_chybi"]
    assert [o.text for o in missing.options] == ["Odlehčovací služby", "Sociální bydlení", "Domov pro seniory",
                                                 "Pečovatelská služba", "Odborné sociální poradenství (dluhy, bydlení)"]
    assert missing.other
    assert [o.text for o in book.by_id["pecujete_nekoho_blizkeho"].options] == ["Ne", "Ano, občas", "Ano, denně"]
    # the 4-step scale is completed with 'Rozhodně ne' (nobody chose it); 'Nevím' is off the scale
    info = book.by_id["dostatek_informaci_socialnich_sluzbach"].options
    assert [(o.text, o.value, o.dont_know) for o in info] == [
        ("Rozhodně ano", 4, False), ("Spíše ano", 3, False), ("Spíše ne", 2, False), ("Rozhodně ne", 1, False),
        ("Nevím", None, True)]
    assert [(o.text, o.ages) for o in book.age_question().options] == [
        ("do 29 let", (18, 29)), ("30–49 let", (30, 49)), ("50–64 let", (50, 64)), ("65–79 let", (65, 79)),
        ("80 let a více", (80, None))]


def test_init_on_google_xlsx_gives_the_same_codebook():
    expected = cb.parse(GOOGLE_CODEBOOK.read_text(encoding="utf-8"), "x")
    assert draft(export_of(GOOGLE_XLSX)) == expected


def test_init_on_coded_export_uses_labels_sheet():
    book = draft(export_of(SURVIO_XLSX))
    assert [(q.id, q.type, q.column) for q in book.questions] == [
        ("obec", "obec", "Q1"), ("vek", "single", "Q2"), ("sluzby_obci_chybi", "multi", None),
        ("dostatek_informaci_socialnich_sluzbach", "likert", "Q4"), ("pripominky", "text", "Q5")]
    assert [(o.text, o.code) for o in book.by_id["vek"].options][:2] == [("do 29 let", "1"), ("30–49 let", "2")]
    assert [(o.text, o.column) for o in book.by_id["sluzby_obci_chybi"].options] == [
        ("Pečovatelská služba", "Q3_1"), ("Odlehčovací služby", "Q3_2"), ("Sociální bydlení", "Q3_3"),
        ("Domov pro seniory", "Q3_4")]


def test_init_recognises_obec_column_by_answers_when_names_are_known():
    export = column("Bydlíte kde?", ["Jihlava", "Polná", "Jihlava"])  # header alone says little
    assert draft(export).questions[0].type != "obec"
    assert draft(export, {"jihlava", "polna"}).questions[0].type == "obec"


# --- Likert and other inference rules ---------------------------------------------------------------------


@pytest.mark.parametrize("answers, expected", [
    (["Zcela souhlasím", "Spíše souhlasím", "Ani souhlas, ani nesouhlas", "Spíše nesouhlasím", "Zcela nesouhlasím"],
     [("Zcela souhlasím", 5), ("Spíše souhlasím", 4), ("Ani souhlas, ani nesouhlas", 3), ("Spíše nesouhlasím", 2),
      ("Zcela nesouhlasím", 1)]),
    (["Velmi spokojen", "Spokojen", "Nespokojen"],  # plain steps; 'Velmi nespokojen' is completed
     [("Velmi spokojen", 4), ("Spokojen", 3), ("Nespokojen", 2), ("Velmi nespokojen", 1)]),
    (["1 – Zcela souhlasím", "2", "3", "5 – Zcela nesouhlasím"],
     [("1 – Zcela souhlasím", 1), ("2", 2), ("3", 3), ("4", 4), ("5 – Zcela nesouhlasím", 5)]),
])
def test_likert_scales(answers, expected):
    question = draft(column("Jak to hodnotíte?", answers + answers)).questions[0]
    assert question.type == "likert"
    assert [(o.text, o.value) for o in question.options] == expected


def test_likert_dont_know_variants_and_plain_yes_no():
    scale = draft(column("Q", ["Spíše ano", "Nedokážu posoudit", "Rozhodně ne", "Spíše ano"])).questions[0]
    assert scale.type == "likert" and scale.options[-1] == Option("Nedokážu posoudit", dont_know=True)
    assert draft(column("Q", ["Ano", "Ne", "Ano", "Nevím", "Ne"])).questions[0].type == "single"


@pytest.mark.parametrize("answers, kind", [
    (["200", "1 000", "350 Kč", "0"], "number"),
    (["Chodníky, lavičky a lepší osvětlení", "Nic", "Víc autobusů, hlavně večer"], "text"),
    (["A, B", "A", "B, C", "C"], "multi"),
])
def test_other_types(answers, kind):
    assert draft(column("Otázka", answers)).questions[0].type == kind


def test_age_band_forms():
    options = draft(column("Věk", ["méně než 30", "30-64", "65 a více", "30-64"])).questions[0].options
    assert [o.ages for o in options] == [(18, 29), (30, 64), (65, None)]


# --- parsing the YAML ---------------------------------------------------------------------------------------


def test_dump_and_parse_round_trip():
    book = cb.parse(PLAIN_CODEBOOK.read_text(encoding="utf-8"), "x")
    assert cb.parse(cb.dump(book), "y") == book
    assert book.title == "Dotazník pro starosty obcí ORP Jihlava"


@pytest.mark.parametrize("text, message", [
    ("otazky: []", "očekáván klíč 'otazky'"),
    ("otazky: [{id: a, text: A, typ: volba}]", "neznámý typ 'volba'"),
    ("otazky: [{id: A-1, text: A, typ: text}]", "id smí obsahovat"),
    ("otazky: [{id: a, text: A, typ: single}]", "potřebuje seznam 'moznosti'"),
    ("otazky: [{id: a, text: A, typ: likert, moznosti: [Ano, Ne]}]", "číselnou 'hodnota'"),
    ("otazky: [{id: a, text: A, typ: text}, {id: a, text: B, typ: text}]", "id otázky 'a' je uvedena vícekrát"),
    ("otazky: [{id: a, text: A, typ: single, moznosti: [{text: X, vek: [18]}]}]", "'vek' možnosti 'X'"),
    ("otazky: [{id: a", "neplatný YAML"),
])
def test_bad_codebooks(text, message):
    with pytest.raises(SprssError, match=message) as caught:
        cb.parse(text, "k.yaml")
    assert str(caught.value).startswith("Kódovník k.yaml")
    assert "\n" not in str(caught.value)


def test_init_on_unreadable_file_is_one_czech_line(tmp_path):
    bad = tmp_path / "odpovedi.pdf"
    bad.write_bytes(b"%PDF-1.7 ...")
    message = one_czech_error_line(sprss("survey", "init", bad, data=DataDir(tmp_path / "data")))
    assert "odpovedi.pdf" in message and "CSV nebo XLSX" in message
