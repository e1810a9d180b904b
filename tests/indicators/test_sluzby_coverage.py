"""Activity on a date and coverage on a warehouse with the synthetic territory and population of ORP Jihlava, the
synthetic registry (tests/fixtures/synthetic_rpss_jihlava.json) and the MPSV code lists: exact counts, capacities per
unit and per 1,000 of the target population; personal names nowhere in the warehouse or the outputs. The ČR figures
of the real warehouse are checked against ČSÚ's published ones."""
from datetime import date
import io
import re

import duckdb
from openpyxl import load_workbook
import pandas as pd
import pytest
import yaml

from builders import JIHLAVSKO_OBCE, copy_data_dir, invoke_sprss, real, synthetic_population_data_dir, synthetic_territory_data_dir
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.indicators import demografie as indicators
from pipeline.indicators.sluzby import activity, coverage
from pipeline.raw import snapshots as raw
from pipeline.sources import mpsv_ciselniky
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from registry_support import CODE_LISTS, FIXTURE, ON, OPEN_DATA_LIST, PERSONAL_NAMES, SUPPORT

NAMES = re.compile("|".join(PERSONAL_NAMES))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Synthetic territory and population + the synthetic registry as of 30. 6. 2025 + the MPSV code lists."""
    target = copy_data_dir(synthetic_population_data_dir(tmp_path_factory), tmp_path_factory.mktemp("mpsv") / "data")
    snapshots = [raw.stage(FIXTURE, reference_date=ON), raw.stage(OPEN_DATA_LIST, reference_date=ON),
                 *(raw.stage(path) for path in CODE_LISTS)]
    warehouse.build(target, snapshots, before_swap=lambda: [raw.write(s, target) for s in snapshots])
    return target


def coverage_rows(table: pd.DataFrame, typ: str, kod: str) -> dict[tuple, tuple]:
    """(druh, forma, typ_kapacity) -> (pocet_sluzeb, kapacita) of one area."""
    area = table[(table.uzemi_typ == typ) & (table.uzemi_kod == kod)]
    return {(r.druh_kod, r.forma, r.typ_kapacity): (r.pocet_sluzeb, r.kapacita) for r in area.itertuples()}


def latest_population(con, area: territory.Area, column: str) -> tuple[int, str]:
    """The indicator's latest value: the independent path to the same population figures."""
    values = indicators.compute(con, [area])
    values = values[values.ukazatel == column].sort_values("obdobi")
    return int(values["hodnota"].iloc[-1]), values["obdobi"].iloc[-1]


# --- the warehouse ----------------------------------------------------------------------------------


def test_tables_loaded(con):
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in
              ("sluzby", "sluzby_poskytovatele", "sluzby_formy", "sluzby_zarizeni", "sluzby_pusobnost", "mpsv_ciselnik")}
    assert counts == {"sluzby": 13, "sluzby_poskytovatele": 10, "sluzby_formy": 15, "sluzby_zarizeni": 17,
                      "sluzby_pusobnost": 4, "mpsv_ciselnik": 8 + 9 + 8 + 3 + 3 + 3}


def test_both_code_list_shapes_share_one_table(con):
    rows = con.execute("""SELECT stav_k, kod, nazev FROM mpsv_ciselnik WHERE ciselnik = 'FormaSocialniSluzby'
                          ORDER BY stav_k, kod""").fetchall()
    web_api, open_data = rows[:3], rows[3:]
    assert [r[1:] for r in web_api] == [("amb", "Ambulantní"), ("pob", "Pobytová"), ("ter", "Terénní")]
    assert [r[1:] for r in open_data] == [("amb", "ambulantní"), ("pob", "pobytová"), ("ter", "terénní")]


def test_unknown_codes_and_traps_are_reported_not_dropped(con):
    checks = con.execute("SELECT sluzba_id, kontrola, hodnota FROM sluzby_kontrola ORDER BY ALL").fetchall()
    assert checks == [
        ("1001", "neznámý kód", "CilovaSkupinaOsoby/30"),
        ("1001", "opakovaný záznam zařízení", "Domov pro seniory Jihlava – budova A"),
        ("1004", "zařízení bez kódu adresního místa", "Domov Třešť"),
        ("1005", "zařízení bez obce", "Osobní asistence Vysočina"),
        ("1008", "neznámý kód", "DruhSocialniSluzby/99"),
        ("1008", "neznámý kód", "TypKapacitySocialniSluzby/mista"),
        ("1011", "působnost mimo známá území", "Orp/99999"),
        ("1013", "neznámý kód obce", "999999"),
    ]
    assert con.execute("SELECT druh_kod FROM sluzby WHERE sluzba_id = '1008'").fetchall() == [("99",)]


def test_no_personal_name_anywhere_in_the_warehouse(con):
    text_columns = con.execute("""
        SELECT table_name, column_name FROM information_schema.columns
        WHERE data_type = 'VARCHAR' ORDER BY ALL""").fetchall()
    assert len({t for t, _ in text_columns}) >= 10
    for table, column in text_columns:
        hits = con.execute(f'SELECT count(*) FROM "{table}" WHERE regexp_matches("{column}", ?)',
                           [NAMES.pattern]).fetchall()[0][0]
        assert hits == 0, (table, column)


# --- activity on a date -------------------------------------------------------------------------------


def active(con, on: date) -> dict[str, list[str | None]]:
    """identifikator -> obce of its active facilities."""
    found = activity.facilities(con, ON, on)
    return {k: sorted(g["obec_kod"].fillna("-")) for k, g in found.groupby("identifikator")}


def test_activity_on_the_reference_date(con):
    assert active(con, ON) == {
        "1000001": ["586846"],            # the repeated facility counts once
        "1000003": ["586846", "588032"],  # the facility in Polná ended in 2023
        "1000004": ["588032"],            # starts on 30. 6. 2025
        "1000005": ["-"],                 # facility without obec
        "1000006": ["568414"],            # ends on 30. 6. 2025
        "1000007": ["554782"],
        "1000008": ["586846"],
        "1000009": ["587478"],
        "1000011": ["547492"],
        "1000012": ["568414", "586846"],  # the facility in Havlíčkův Brod ends on 30. 6. 2025
        "1000013": ["999999"],
    }  # 1000002 ended in 2024 although its facility did not; 1000010's only facility opens on 1. 7. 2025


def test_activity_boundaries(con):
    before, after = active(con, date(2025, 6, 29)), active(con, date(2025, 7, 1))
    assert "1000004" not in before and "1000004" in after
    assert "1000006" in before and "1000006" not in after
    assert "1000010" not in before and after["1000010"] == ["586846"]
    assert after["1000012"] == ["586846"]
    assert active(con, date(2024, 12, 31))["1000002"] == ["586846"]
    assert "1000002" not in active(con, date(2025, 1, 1))
    assert "586846" in active(con, date(2023, 6, 30))["1000003"] and "587711" in active(con, date(2023, 6, 30))["1000003"]
    assert "587711" not in active(con, date(2023, 7, 1))["1000003"]


def test_unlocated_facilities(con):
    lost = activity.unlocated(con, ON, ON)
    assert lost[["identifikator", "duvod"]].values.tolist() == [
        ["1000005", "bez obce"], ["1000013", "neznámý kód obce 999999"]]


def test_edition_is_the_latest_on_or_before_the_date():
    memory = duckdb.connect()
    memory.execute("CREATE TABLE sluzby (stav_k DATE)")
    with pytest.raises(SprssError, match="není registr poskytovatelů"):
        activity.edition(memory, ON)
    memory.execute("INSERT INTO sluzby VALUES ('2025-01-31'), ('2025-06-30'), ('2025-12-31')")
    assert activity.edition(memory, date(2025, 7, 15)) == date(2025, 6, 30)
    assert activity.edition(memory, date(2025, 6, 30)) == date(2025, 6, 30)
    assert activity.edition(memory, date(2026, 3, 1)) == date(2025, 12, 31)
    assert activity.edition(memory, date(2024, 1, 1)) == date(2025, 1, 31)


# --- coverage -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def covered(con, orp):
    return coverage.compute(con, orp, load_obce(con), ON)


def test_coverage_columns_and_areas(covered):
    table = covered.table
    assert list(table.columns) == coverage.COVERAGE_COLUMNS
    assert list(dict.fromkeys(table["uzemi_typ"])) == ["orp", "obec", "kraj", "stat"]
    assert table[table.uzemi_typ == "obec"]["uzemi_kod"].nunique() == len(JIHLAVSKO_OBCE)
    assert len(table) == (1 + len(JIHLAVSKO_OBCE) + 2) * 8  # every area has every druh × forma × unit found anywhere
    assert set(table["datum"]) == {"2025-06-30"} and set(table["registr_k"]) == {"2025-06-30"}


def test_coverage_of_orp_counts_services_once_and_never_adds_units(covered):
    assert coverage_rows(covered.table, "orp", "6105") == {
        ("1", "amb", "kontakt"): (1, 500),
        ("4", "amb", "klient"): (1, 20),
        ("4", "ter", "klient"): (1, 150),    # one service in Jihlava and Třešť counts once
        ("8", "pob", "luzka"): (1, 5),       # beds and clients of one service stay apart
        ("8", "ter", "klient"): (1, 12),
        ("13", "pob", "luzka"): (2, 180),
        ("14", "pob", "luzka"): (0, 0),      # ended service; the kraj and ČR rows show what exists elsewhere
        ("99", "amb", "mista"): (1, 10),     # unknown druh and unit kept
    }


def test_coverage_of_kraj_and_cr(covered):
    kraj = coverage_rows(covered.table, "kraj", "3107")
    assert kraj[("13", "pob", "luzka")] == (3, 260)
    assert kraj[("4", "ter", "klient")] == (2, 220)
    assert kraj[("1", "amb", "kontakt")] == (1, 500)  # facilities in two ORP of the kraj: once, capacity not doubled
    assert kraj[("14", "pob", "luzka")] == (0, 0)
    cr = coverage_rows(covered.table, "stat", "CZ")
    assert cr[("14", "pob", "luzka")] == (1, 50)
    assert cr[("13", "pob", "luzka")] == (3, 260)
    assert sum(p for p, _ in cr.values()) == 11  # 9 located active services, two of them in two forms


def test_coverage_of_obce(covered):
    table = covered.table
    assert {k: v for k, v in coverage_rows(table, "obec", "586846").items() if v[0]} == {
        ("1", "amb", "kontakt"): (1, 500), ("4", "amb", "klient"): (1, 20), ("4", "ter", "klient"): (1, 150),
        ("13", "pob", "luzka"): (1, 120), ("99", "amb", "mista"): (1, 10)}
    assert {k: v for k, v in coverage_rows(table, "obec", "588032").items() if v[0]} == {
        ("4", "amb", "klient"): (1, 20), ("4", "ter", "klient"): (1, 150), ("13", "pob", "luzka"): (1, 60)}
    assert all(v == (0, 0) for v in coverage_rows(table, "obec", "587711").values())  # Polná: facility ended


def test_target_population_and_per_1000(con, orp, covered):
    table = covered.table
    kraj, cr = territory.comparisons(orp, load_obce(con))
    for area, typ, kod in [(orp.area, "orp", "6105"), (kraj, "kraj", "3107"), (cr, "stat", "CZ")]:
        for druh, forma, unit, column in [("13", "pob", "luzka", "obyvatel_80_plus"),
                                         ("4", "ter", "klient", "obyvatel_65_plus"),
                                         ("1", "amb", "kontakt", "obyvatel_celkem")]:
            population, on = latest_population(con, area, column)
            row = table[(table.uzemi_typ == typ) & (table.uzemi_kod == kod) & (table.druh_kod == druh)
                        & (table.forma == forma) & (table.typ_kapacity == unit)].iloc[0]
            assert (row.cilova_populace, row.cilova_populace_k) == (population, on)
            assert row.kapacita_na_1000 == pytest.approx(row.kapacita / population * 1000, rel=1e-12)
            assert row.cilova_populace_popis == coverage.POPULATION_LABELS[column]


@pytest.mark.parametrize(("on_date", "population_date"), [
    (date(2021, 3, 1), "2020-12-31"),    # 60 days after the age tables, 671 before the publication
    (date(2021, 12, 31), "2020-12-31"),  # 365 days after, 366 before: the last day the age tables are nearer
    (date(2022, 1, 1), "2023-01-01"),    # 366 days after, 365 before
    (date(2025, 6, 30), "2023-01-01"),   # after the latest date: the latest
])
def test_per_1000_uses_the_population_date_nearest_to_the_day(con, orp, on_date, population_date):
    """The warehouse has everybody's count at two dates (age tables k 31. 12. 2020, publication k 1. 1. 2023):
    the rate divides by the one nearer to the day of the coverage, and says which."""
    table = coverage.compute(con, orp, load_obce(con), on_date).table
    row = table[(table.uzemi_typ == "orp") & (table.druh_kod == "1") & (table.typ_kapacity == "kontakt")].iloc[0]
    expected = indicators.compute(con, [orp.area]).query("ukazatel == 'obyvatel_celkem' and obdobi == @population_date")
    assert row.cilova_populace_k == population_date
    assert row.cilova_populace == int(expected["hodnota"].iloc[0])


def test_target_populations_of_cr_are_csu_published_figures(real_warehouse):
    """The path coverage takes to the target populations, on the real warehouse: 80+ and 65+ k 31. 12. 2020 (age
    tables), everybody k 1. 1. 2023."""
    with warehouse.connect(real_warehouse) as con:
        cr = territory.comparisons(territory.resolve("orp:6105", load_obce(con)), load_obce(con))[1]
        assert latest_population(con, cr, "obyvatel_80_plus") == (447_526, "2020-12-31")
        assert latest_population(con, cr, "obyvatel_65_plus")[0] == 2_158_322
        assert latest_population(con, cr, "obyvatel_celkem") == (10_827_529, "2023-01-01")


def test_coverage_on_the_days_around(con, orp):
    obce = load_obce(con)
    day_before = coverage.compute(con, orp, obce, date(2025, 6, 29)).table
    day_after = coverage.compute(con, orp, obce, date(2025, 7, 1)).table
    assert coverage_rows(day_before, "orp", "6105")[("13", "pob", "luzka")] == (1, 120)
    assert coverage_rows(day_after, "kraj", "3107")[("13", "pob", "luzka")] == (2, 180)
    assert coverage_rows(day_after, "orp", "6105")[("32", "ter", "kontakt")] == (1, 400)
    assert coverage_rows(day_after, "kraj", "3107")[("1", "amb", "kontakt")] == (1, 500)


def test_coverage_notes_report_unlocated_and_unknown(covered):
    notes = "\n".join(covered.notes)
    assert "Registr MPSV ve stavu k 30. 6. 2025" in notes
    assert "1000005 (bez obce)" in notes and "1000013 (neznámý kód obce 999999)" in notes
    assert "druh služby 99 (služeb: 1)" in notes and "cílová skupina 30" in notes and "/30" not in notes


# --- obce without a service ---------------------------------------------------------------------------------


def test_gaps_with_declared_field_services(con, orp):
    result = coverage.gaps(con, orp, ON)
    table = result.table
    assert list(table.columns) == coverage.GAP_COLUMNS
    assert len(table) == len(JIHLAVSKO_OBCE) * 6 - 7  # druhy 1, 4, 8, 13, 14, 99 × obce, minus the 7 obec × druh pairs served
    gap = table.set_index(["uzemi_nazev", "druh_kod"])
    assert ("Jihlava", "4") not in gap.index and ("Třešť", "13") not in gap.index
    assert gap.loc[("Polná", "4"), "terenni_sluzby_s_pusobnosti"] == 2
    assert gap.loc[("Polná", "4"), "terenni_sluzby"] == \
        "1000003 (Oblastní charita Jihlava); 1000011 (Pečovatelská služba Pelhřimov, p. o.)"
    assert gap.loc[("Brtnice", "13"), "terenni_sluzby_s_pusobnosti"] == 0
    assert pd.isna(gap.loc[("Brtnice", "13"), "terenni_sluzby"])
    assert gap.loc[("Jihlava", "8"), "druh_nazev"] == "odlehčovací služby"


# --- the command -----------------------------------------------------------------------------------------------


def test_coverage_command_csv(data):
    result = invoke_sprss("coverage", "--territory", "orp:Jihlava", "--date", "2025-06-30", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert list(table.columns) == coverage.COVERAGE_COLUMNS
    row = table[(table.uzemi_typ == "orp") & (table.druh_kod == "13")].iloc[0]
    assert (row.pocet_sluzeb, row.kapacita, row.druh_nazev) == ("2", "180", "domovy pro seniory")
    assert "1000005 (bez obce)" in result.stderr
    assert not NAMES.search(result.stdout + result.stderr)


def test_coverage_command_xlsx_and_gaps(data, tmp_path):
    output = tmp_path / "pokryti.xlsx"
    result = invoke_sprss("coverage", "--territory", "orp:6105", "--date", "2025-06-30", "--format", "xlsx",
                          "--output", output, data=data)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(output).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == coverage.COVERAGE_COLUMNS
    assert values[1][:9] == ["orp", "6105", "Jihlava", "1", "odborné sociální poradenství", "amb", "kontakt", 1, 500]
    assert values[1][10] == pytest.approx(500 / values[1][9] * 1000)
    assert values[-1][0].startswith("Zdroj: MPSV, Registr poskytovatelů sociálních služeb (stav k 30. 6. 2025)")
    assert not NAMES.search(" ".join(str(v) for row in values for v in row))
    gaps = invoke_sprss("coverage", "--territory", "orp:6105", "--date", "2025-06-30", "--gaps", data=data)
    assert gaps.returncode == 0, gaps.stderr
    assert "1000003 (Oblastní charita Jihlava)" in gaps.stdout
    assert not NAMES.search(gaps.stdout + gaps.stderr)


def test_coverage_command_errors(data, tmp_path_factory):
    bad_date = invoke_sprss("coverage", "--territory", "orp:6105", "--date", "30.6.2025", data=data)
    assert bad_date.returncode == 1 and "Neplatné datum" in bad_date.stderr
    no_registry = invoke_sprss("coverage", "--territory", "orp:6105",
                               data=synthetic_territory_data_dir(tmp_path_factory))
    assert no_registry.returncode == 1 and "není registr poskytovatelů" in no_registry.stderr


# --- target populations -------------------------------------------------------------------------------------


def test_target_population_config_matches_the_real_code_list():
    spec = yaml.safe_load(coverage.TARGETS_FILE.read_text(encoding="utf-8"))
    druhy = mpsv_ciselniky.parse(real(SUPPORT / "druh_socialni_sluzby_data.json").read_bytes(), "x").tables["mpsv_ciselnik"]
    names = dict(zip(druhy["kod"], druhy["nazev"]))
    for kod, entry in spec["druhy"].items():
        assert names[kod] == entry["nazev"]
    assert coverage.targets() == coverage.Targets("obyvatel_celkem", {"13": "obyvatel_80_plus", "14": "obyvatel_80_plus",
                                                                      "4": "obyvatel_65_plus"})


@pytest.mark.parametrize("text, message", [
    ("vychozi: {populace: obyvatel_celkem, duvod: x}\ndruhy: {'13': {populace: obyvatel_90_plus, duvod: x}}",
     "položka 13: populace 'obyvatel_90_plus' není"),
    ("vychozi: {populace: obyvatel_celkem, duvod: x}\ndruhy: {'13': {populace: obyvatel_80_plus}}",
     "položka 13: chybí důvod"),
])
def test_target_population_config_errors(tmp_path, text, message):
    path = tmp_path / "cilove_populace.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SprssError, match=message):
        coverage.targets(path)
