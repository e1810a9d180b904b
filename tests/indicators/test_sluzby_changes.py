"""`sprss changes` between two editions of the synthetic registry: tests/fixtures/synthetic_rpss_jihlava.json
(30. 6. 2025) and tests/fixtures/synthetic_rpss_jihlava_2025_12.json (31. 12. 2025), which differs by:

- 1000001 domov pro seniory: 120 -> 130 beds;            - 1000002 (ended in 2024) is gone from the file;
- 1000003 pečovatelská služba: the ambulantní form ended, a facility in Brtnice opened on 1. 9. 2025;
- 1000008 (unknown type 99) ends on 30. 9. 2025;        - 1000009 odlehčovací služby: terénní 12 -> 15 clients;
- 1000011 (Pelhřimov) no longer declares ORP Jihlava;   - 1000014 osobní asistence in Jihlava is new (from 1. 10. 2025).
Changes that come from dates alone: 1000010's facility opens on 1. 7. 2025; 1000012's facility in Havlíčkův Brod
ends on 30. 6. 2025. The new edition's provider has a statutory body too: no name may appear in any output.
"""
from datetime import date
import io

from openpyxl import load_workbook
import pandas as pd
import pytest

from builders import FIXTURES, copy_data_dir, invoke_sprss
from pipeline.core.errors import SprssError
from pipeline.indicators.sluzby import changes
from pipeline.warehouse import build as warehouse
from registry_support import FIXTURE, NAMES, ON, registry_data

LATER = FIXTURES / "synthetic_rpss_jihlava_2025_12.json"
END = date(2025, 12, 31)
SHOWN = ["zmena", "identifikator", "polozka", "forma", "typ_kapacity", "pred", "po", "detail"]
BRTNICE = "Charitní pečovatelská služba Brtnice, Náměstí Svobody 21, 588 32 Brtnice"
HAVLICKUV_BROD = "Poradna Havlíčkův Brod, Dobrovského 2018, 580 01 Havlíčkův Brod"
EXPECTED = [
    ("pridana", "1000014", "sluzba", None, None, None, None,
     "v registru ve stavu k 30. 6. 2025 nebyla, poskytována od 1. 10. 2025"),
    ("pridana", "1000010", "sluzba", None, None, None, None, "zařízení v území v provozu od 1. 7. 2025"),
    ("ukoncena", "1000011", "sluzba", None, None, None, None, "už nedeklaruje působnost v území"),
    ("ukoncena", "1000008", "sluzba", None, None, None, None, "poskytování ukončeno k 30. 9. 2025"),
    ("zmenena", "1000012", "zarizeni", None, None, HAVLICKUV_BROD, None, f"zařízení ukončeno: {HAVLICKUV_BROD}"),
    ("zmenena", "1000003", "forma", "amb", None, "ambulantní: 20 klientů", None,
     "forma ukončena: ambulantní: 20 klientů"),
    ("zmenena", "1000003", "zarizeni", None, None, None, BRTNICE, f"nové zařízení: {BRTNICE}"),
    ("zmenena", "1000009", "kapacita", "ter", "klient", "12", "15", "kapacita (terénní, klienti): 12 → 15"),
    ("zmenena", "1000001", "kapacita", "pob", "luzka", "120", "130", "kapacita (pobytová, lůžka): 120 → 130"),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return registry_data(tmp_path_factory, (FIXTURE, ON), (LATER, END))


def shown(table: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in table[SHOWN].itertuples(index=False)]


def test_changes_between_two_editions(con, orp):
    result = changes.compare(con, orp, ON, END)
    assert list(result.table.columns) == changes.CHANGE_COLUMNS
    assert shown(result.table) == EXPECTED
    first = result.table.iloc[0]
    assert (first.druh_kod, first.druh_nazev, first.sluzba, first.poskytovatel, first.ico) == (
        "3", "osobní asistence", "Osobní asistence Jihlavsko", "Asistence Jihlavsko, z. ú.", "06990014")
    assert result.table.iloc[3][["druh_nazev", "sluzba"]].tolist() == ["neznámý druh 99", "Klubovna Klubko"]
    assert set(zip(result.table["datum_pred"], result.table["datum_po"], result.table["registr_pred"],
                   result.table["registr_po"])) == {("2025-06-30", "2025-12-31", "2025-06-30", "2025-12-31")}
    assert result.notes[0] == ("Porovnání služeb k 30. 6. 2025 (registr MPSV ve stavu k 30. 6. 2025) a k 31. 12. 2025 "
                               "(registr ve stavu k 31. 12. 2025).")


def test_located_only_ignores_declared_scope(con, orp):
    table = changes.compare(con, orp, ON, END, declared=False).table
    assert shown(table) == [row for row in EXPECTED if row[1] != "1000011"]


def test_one_edition_shows_only_dated_starts_and_ends(con, orp):
    result = changes.compare(con, orp, ON, date(2025, 7, 1))  # both dates answered from the June edition
    assert shown(result.table) == [EXPECTED[1], EXPECTED[4]]
    assert "z téhož vydání registru" in result.notes[1]


def test_later_date_must_follow(con, orp):
    with pytest.raises(SprssError, match="musí být pozdější"):
        changes.compare(con, orp, END, ON)


def test_command_csv_and_xlsx(data, tmp_path):
    result = invoke_sprss("changes", "--territory", "orp:Jihlava", "--from", "2025-06-30", "--to", "2025-12-31", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str)
    assert shown(table.astype(object).where(table.notna(), None)) == EXPECTED
    assert "Porovnání služeb k 30. 6. 2025" in result.stderr
    output = tmp_path / "zmeny.xlsx"
    result = invoke_sprss("changes", "--territory", "orp:6105", "--from", "2025-06-30", "--to", "2025-12-31",
                          "--format", "xlsx", "--output", output, data=data)
    assert result.returncode == 0, result.stderr
    rows = list(load_workbook(output).active.iter_rows(values_only=True))
    assert rows[0] == tuple(changes.CHANGE_COLUMNS) and len(rows) == 1 + len(EXPECTED) + 2
    assert rows[-1][0] == ("Zdroj: MPSV, Registr poskytovatelů sociálních služeb (stav k 30. 6. 2025 a k 31. 12. 2025); "
                           "výpočet sprss")
    assert not NAMES.search(" ".join(str(v) for row in rows for v in row if v is not None))


def test_second_registry_file_through_sprss_import(tmp_path_factory):
    """Two registry files compared the way an analyst does it: import the newer one with its date, then compare."""
    data = copy_data_dir(registry_data(tmp_path_factory, (FIXTURE, ON)), tmp_path_factory.mktemp("import") / "data")
    imported = invoke_sprss("import", LATER, "--date", "2025-12-31", data=data)
    assert imported.returncode == 0, imported.stderr
    result = invoke_sprss("changes", "--territory", "orp:6105", "--from", "2025-06-30", "--to", "2025-12-31", data=data)
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(io.StringIO(result.stdout))) == len(EXPECTED)
    assert not NAMES.search(imported.stdout + imported.stderr + result.stdout + result.stderr)
    with warehouse.connect(data) as con:
        for table, column in (("sluzby_poskytovatele", "nazev"), ("sluzby_kontakty", "hodnota"),
                              ("sluzby_zarizeni", "nazev")):
            values = " ".join(v for (v,) in con.execute(f"SELECT {column} FROM {table}").fetchall() if v)
            assert not NAMES.search(values), table


def test_command_errors(data):
    reversed_dates = invoke_sprss("changes", "--territory", "orp:6105", "--from", "2025-12-31", "--to", "2025-06-30",
                                  data=data)
    assert reversed_dates.returncode == 1 and "musí být pozdější" in reversed_dates.stderr
    bad_date = invoke_sprss("changes", "--territory", "orp:6105", "--from", "31.12.2025", data=data)
    assert bad_date.returncode == 1 and "Neplatné datum" in bad_date.stderr
