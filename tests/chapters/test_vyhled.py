"""The chapter "Výhled a potřeba služeb" on the real population and projection with the synthetic registry."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from builders import FIXTURES, SHARED_REAL, assert_golden, copy_data_dir, plain, real, run_sprss, tool_internals
from pipeline.chapters.vyhled import charts, data
from pipeline.core import territory
from pipeline.indicators import projekce, vyznamnost
from pipeline.indicators.sluzby import coverage
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from registry_support import CODE_LISTS, FIXTURE, ON

DATASTAT = SHARED_REAL / "csu" / "michaelmiscanuk-czsu-multi-agent-text-to-sql"


@pytest.fixture(scope="module")
def data_dir(real_warehouse, tmp_path_factory):
    copied = copy_data_dir(real_warehouse, tmp_path_factory.mktemp("vyhled") / "data")
    files = [real(DATASTAT / "schemas.zip"), real(DATASTAT / "CSVs" / "OBY02PT03.csv"),
             real(DATASTAT / "CSVs" / "OBY02PKT03.csv")]
    assert run_sprss("import", *files, data=copied).returncode == 0
    result = run_sprss("import", FIXTURE, "--date", ON.isoformat(), *CODE_LISTS, data=copied)
    assert result.returncode == 0, result.stderr
    return copied


@pytest.fixture(scope="module")
def orp(data_dir):
    return data.load("orp:6105", data_dir.root)


def test_projection_table_and_lines_are_the_projection_of_the_territory(orp, data_dir) -> None:
    with warehouse.connect(data_dir) as con:
        inputs = projekce.load(con)
    expected = projekce.compute(inputs, [orp.head], orp.horizon)
    table = data.projection_table(orp).frame
    row = table[table["Věk"] == "80 a více let"].iloc[0]
    value = expected[(expected.ukazatel == "projekce_obyvatel_80_plus") & (expected.obdobi == f"{orp.horizon}-01-01")]
    assert row[f"1. 1. {orp.horizon}"] == pytest.approx(value.hodnota.iloc[0])
    assert orp.horizon == ON.year + data.PLAN_YEARS
    lines = data.outlook_lines(orp)
    assert len(lines) == 3 and lines[1].startswith("Počet obyvatel 80+ vzroste o ")
    assert "Kraj Vysočina +" in lines[1]


def test_demand_table_holds_todays_capacity_and_the_need(orp, data_dir) -> None:
    with warehouse.connect(data_dir) as con:
        today = coverage.compute(con, orp.territory, load_obce(con), ON).table
    table = data.demand_table(orp).frame
    homes = table[(table["Druh služby"] == "domovy pro seniory") & (table["Jednotka"] == "lůžka")].iloc[0]
    own = today[(today.uzemi_typ == "orp") & (today.druh_kod == "13") & (today.typ_kapacity == "luzka")].iloc[0]
    assert homes["Kapacita dnes"] == own.kapacita
    # at the territory's own coverage the need grows exactly with the 80+ population
    target_today = own.cilova_populace
    assert homes["Potřeba: pokrytí území dnes"] == pytest.approx(own.kapacita * homes[f"Cílová populace {orp.horizon}"]
                                                                 / target_today)


def test_matrix_has_every_orp_of_the_kraj(orp) -> None:
    matrix = data.matrix_table(orp).frame
    assert len(matrix) == 15 and "Jihlava" in set(matrix["ORP"])
    assert any(c.startswith("domovy pro seniory") for c in matrix.columns)


def test_benchmark_table_is_the_significance_module(orp) -> None:
    table = data.benchmark_table(orp).frame
    marks = orp.benchmark[orp.benchmark.srovnani_typ == "stat"].set_index("ukazatel")["vysledek"]
    assert list(table["proti ČR"]) == list(marks)
    assert set(table["proti ČR"]) <= {vyznamnost.HIGHER, vyznamnost.SIMILAR, vyznamnost.LOWER}


def test_sentences_hold_for_a_tiny_obec_and_for_cr(data_dir) -> None:
    with warehouse.connect(data_dir) as con:
        tiny = con.execute("""SELECT obec_kod FROM obec_pocty WHERE obdobi = DATE '2020-12-31' AND obyvatel_celkem > 0
                              ORDER BY obyvatel_celkem, obec_kod LIMIT 1""").fetchall()[0][0]
        nobody = [k for (k,) in con.execute("""SELECT obec_kod FROM obec_pocty WHERE obdobi = DATE '2020-12-31'
                                              AND obyvatel_celkem = 0 ORDER BY obec_kod""").fetchall()]
    small = data.load(f"obec:{tiny}", data_dir.root)
    lines = data.outlook_lines(small)
    assert all("v území s méně než 100 obyvateli se změna v procentech neuvádí ani nesrovnává" in line for line in lines)
    assert any("méně než 5 000 obyvatel" in line for line in data.uncertainty_lines(small))
    assert (data.benchmark_table(small).frame.filter(like="proti") == vyznamnost.SMALL).all().all()
    cr = data.load("stat:CZ", data_dir.root)
    assert cr.benchmark.empty and data.benchmark_table(cr).frame.empty
    assert all("pro srovnání" not in line for line in data.outlook_lines(cr))
    assert data.matrix_table(cr).frame.empty
    assert nobody  # the real data have military districts nobody lives in
    for kod in nobody:  # the military districts: no "přibližně 0 (k 1. 1. 2024 0)", no "méně než 5 000 (0 …)"
        empty = data.load(f"obec:{kod}", data_dir.root)
        assert data.outlook_lines(empty) == ["Území ve výchozí věkové struktuře k 31. 12. 2020 nemělo žádné obyvatele, "
                                             "projekce proto v něm žádné obyvatele neukazuje."]
        assert not any("5 000" in line for line in data.uncertainty_lines(empty))


def test_an_obec_under_100_inhabitants_gets_no_percent_change_even_with_20_seniors(data_dir) -> None:
    """The study's one small-base rule (small_bases.MIN_POPULATION) holds here too: 24 seniors in an obec of 89 read
    as "+7 %, ORP +4 %" before."""
    with warehouse.connect(data_dir) as con:
        kod = con.execute("""SELECT obec_kod FROM obec_pocty WHERE obdobi = DATE '2020-12-31' AND obyvatel_celkem < 100
                             AND obyvatel_65_plus >= 25 ORDER BY obec_kod LIMIT 1""").fetchall()[0][0]
    small = data.load(f"obec:{kod}", data_dir.root)
    assert data.base_population(small) < 100
    line = data.outlook_lines(small)[0]
    assert line.startswith("Obyvatel 65+ bude v území") and "%" not in line and "pro srovnání" not in line
    assert line.endswith("v území s méně než 100 obyvateli se změna v procentech neuvádí ani nesrovnává.")


def test_a_custom_territory_across_two_kraje_has_no_kraj_matrix(data_dir, tmp_path) -> None:
    spec = tmp_path / "dva_kraje.yaml"
    spec.write_text("nazev: Pomezí\nobce: [586846, 547492, 582786]\n", encoding="utf-8")
    custom = data.load(str(spec), data_dir.root)
    assert custom.kraj is None and custom.kraj_matrix.empty
    assert set(custom.benchmark["srovnani_typ"]) == {"kraj", "stat"}


def test_seniors_chart_golden(tmp_path) -> None:
    years = list(range(2024, 2041))
    grow = np.linspace(1, 1.4, len(years))
    series = {name: pd.DataFrame({"stredni": base * grow, "nizka": base * grow * 0.95, "vysoka": base * grow * 1.05},
                                 index=years) for name, base in (("65+", 21000.0), ("80+", 4600.0), ("85+", 2000.0))}
    fig = charts.seniors(series, "stredni", 2030, "Projektovaný počet obyvatel 65+, 80+ a 85+: ORP Jihlava",
                         "Zdroj: ČSÚ, Projekce obyvatelstva ČR; výpočet sprss")
    assert_golden(fig, "projection_seniors", tmp_path)


def test_report_renders_the_chapter(data_dir, tmp_path) -> None:
    out = tmp_path / "vyhled"
    result = run_sprss("report", "--territory", "orp:6105", "--chapter", "vyhled", "--out", str(out), data=data_dir)
    assert result.returncode == 0, result.stderr
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    for heading in ("Projekce počtu seniorů", "Potřeba kapacit služeb v roce 2030", "Srovnání s krajem a ČR",
                    "Nejistota výhledu", "Zdroje a metodika"):
        assert heading in page
    assert "Traceback" not in page and (out / "grafy" / "01_projekce_senioru.png").exists()
    assert tool_internals(page) == set()
    assert (out / "tabulky.xlsx").exists() and (out / "studie.docx").exists()


def test_need_at_a_normative_is_the_normative_times_the_projected_target(data_dir, orp) -> None:
    from datetime import date as day

    from pipeline.indicators.sluzby import potreba

    norm = potreba.Normative("13", "luzka", 30.0, "lůžek na 1 000 obyvatel 80+", "synthetic test", day(2024, 6, 30))
    kraj, stat = orp.references
    with warehouse.connect(data_dir) as con:
        table = potreba.demand(con, orp.inputs, [orp.head], kraj, stat, ON, orp.horizon, norms=(norm,))
    row = table[(table.druh_kod == "13") & (table.typ_kapacity == "luzka") & (table.meritko == "normativ")].iloc[0]
    assert row.potreba == pytest.approx(30.0 * row.cilova_populace_vyhled / 1000)
    assert row.mezera == pytest.approx(row.potreba - row.kapacita)
    assert row.normativ_jednotka == "lůžek na 1 000 obyvatel 80+" and "2024-06-30" in row.normativ_zdroj
