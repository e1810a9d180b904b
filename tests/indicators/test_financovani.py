"""Social spending of obce (FIN 2-12 M) for areas: sums over the obce that have data, per inhabitant of the same obce,
per inhabitant 65+, share of total expenditure, paragraph breakdown; checked against sums computed with the csv
module from the fixtures and the real Střelice extract, and against the population written into the fixtures."""
import io

import duckdb
from openpyxl import load_workbook
import pandas as pd
import pytest

from builders import (
    JIHLAVSKO_OBCE,
    REAL_IMPORT,
    SYNTHETIC_AGE_DATE,
    age_obec,
    copy_data_dir,
    invoke_sprss,
    real,
    real_data_dir,
    run_sprss,
    synthetic_population_data_dir,
)
from finm_support import DECODED_TREST, PLACEMENT, RAW_2023, RAW_2024, STRELICE, decoded_social, raw_social
from pipeline.core import territory
from pipeline.indicators import financovani, metadata
from pipeline.warehouse.obce import load_obce

ICO_OBCE = {"00990011": "586846", "00990012": "586943", "00990013": "587290", "00990014": "588032"}
POPULATION_2023 = {o.kod: o.total for o in JIHLAVSKO_OBCE}  # k 1. 1. 2023 in the synthetic publication
# obce whose IČO has expenditure rows in the fixtures, by year (Jihlávka: none under § 43xx)
WITH_DATA = {2021: ["588032"], 2022: ["588032"], 2023: ["586846", "586943", "587290", "588032"],
             2024: ["586846", "586943", "587290"]}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    target = copy_data_dir(synthetic_population_data_dir(tmp_path_factory), tmp_path_factory.mktemp("fin") / "data")
    for args in ([RAW_2023, RAW_2024, PLACEMENT], [DECODED_TREST, "--obec", "588032"]):
        result = run_sprss("import", *args, data=target)
        assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """(obec, year) -> the three sums of § 43xx, from the fixtures with the csv module."""
    folder = tmp_path_factory.mktemp("csv")
    sums = {}
    for path in (RAW_2023, RAW_2024):
        copy = folder / path.name
        copy.write_bytes(path.read_bytes())
        sums |= raw_social(copy)
    sums |= decoded_social(DECODED_TREST)
    return {(ICO_OBCE[ico], rok): v for (ico, rok), v in sums.items() if ico in ICO_OBCE}


@pytest.fixture(scope="module")
def con(data):
    connection = duckdb.connect(str(data.warehouse), read_only=True)
    yield connection
    connection.close()


def orp_jihlava(con):
    obce = load_obce(con)
    chosen = territory.resolve("orp:6105", obce)
    return chosen, [chosen.area, *territory.comparisons(chosen, obce)]


def values(table, kod, code):
    rows = table[(table.uzemi_kod == kod) & (table.ukazatel == code)]
    return {r.obdobi: (r.hodnota, r.obci_s_udaji, r.obci_celkem) for r in rows.itertuples()}


def test_every_financing_indicator_has_metadata_and_the_rule_is_stated():
    codes = [i.kod for i in metadata.financing()]
    for base in ("vydaje_socialni_oblast", "vydaje_socialni_oblast_schvaleny", "vydaje_socialni_oblast_upraveny"):
        assert {base, f"{base}_na_obyvatele", f"{base}_na_obyvatele_65_plus"} <= set(codes)
    assert {"podil_vydaju_socialni_oblast", "podil_vydaju_socialni_oblast_schvaleny",
            "podil_vydaju_socialni_oblast_upraveny"} <= set(codes)
    rule = metadata.financing_rule()
    assert "4300–4399" in rule and "5341–5349" in rule and "5361–5369" in rule
    assert metadata.paragraph_names()["4351"].startswith("Osobní asistence, pečovatelská služba")


def test_area_sums_the_obce_with_data_and_says_how_many(con, expected):
    chosen, areas = orp_jihlava(con)
    table = financovani.compute(con, areas)
    n = len(chosen.area.obce)
    for column, code in (("skutecnost", "vydaje_socialni_oblast"), ("schvaleny_rozpocet", "vydaje_socialni_oblast_schvaleny"),
                         ("upraveny_rozpocet", "vydaje_socialni_oblast_upraveny")):
        got = values(table, "6105", code)
        for year, obce in WITH_DATA.items():
            total = sum(expected[(o, year)][column] for o in obce if (o, year) in expected)
            assert got[str(year)] == (pytest.approx(total), len(obce), n)
    assert values(table, "6105", "vydaje_socialni_oblast")["2023"][1:] == (4, 9)
    # Jihlávka has budget data but nothing under § 43xx: it counts, with zero
    obec = financovani.compute(con, territory.obec_areas(chosen))
    assert values(obec, "587290", "vydaje_socialni_oblast")["2023"] == (0.0, 1, 1)
    assert "587095" not in set(obec.uzemi_kod)  # Dušejov has no data: no row, never a zero


def test_per_inhabitant_divides_by_the_population_of_the_same_obce(con, expected):
    _, areas = orp_jihlava(con)
    table = financovani.compute(con, areas)
    with_data = WITH_DATA[2023]
    spending = sum(expected[(o, 2023)]["skutecnost"] for o in with_data if (o, 2023) in expected)
    per_capita = values(table, "6105", "vydaje_socialni_oblast_na_obyvatele")
    assert per_capita["2023"][0] == pytest.approx(spending / sum(POPULATION_2023[o] for o in with_data))
    assert "2024" not in per_capita  # no population k 1. 1. 2024 in the warehouse: no per-capita value
    # 65+ k 1. 1. 2021 = the age tables k 31. 12. 2020; only Třešť has data in 2021
    trest = next(o for o in JIHLAVSKO_OBCE if o.kod == "588032")
    bands = age_obec(trest, 86)
    seniors = sum(bands.muzi[65:]) + sum(bands.zeny[65:])
    assert SYNTHETIC_AGE_DATE.isoformat() == "2020-12-31"
    got = values(table, "6105", "vydaje_socialni_oblast_na_obyvatele_65_plus")
    assert got["2021"][0] == pytest.approx(expected[("588032", 2021)]["skutecnost"] / seniors)
    assert "2023" not in got


def test_share_of_total_expenditure_uses_the_same_rule(con):
    chosen, _ = orp_jihlava(con)
    obec = financovani.compute(con, territory.obec_areas(chosen))
    # Jihlava 2023 (synthetic 2015 layout): total = every expenditure row without 5342 and 5345
    social = 2054321.50 + 511000.00 + 8200000.00 + 350000.00 - 11718.00
    total = social + 43210987.65 + 998877.00
    assert values(obec, "586846", "vydaje_celkem")["2023"][0] == pytest.approx(total)
    assert values(obec, "586846", "podil_vydaju_socialni_oblast")["2023"][0] == pytest.approx(social / total * 100)


def test_kraj_comparison_counts_its_obce_with_data(con):
    _, areas = orp_jihlava(con)
    kraj = next(a for a in areas if a.typ == "kraj")
    table = financovani.compute(con, areas)
    assert values(table, kraj.kod, "vydaje_socialni_oblast")["2023"][1:] == (4, len(kraj.obce))


def test_paragraph_breakdown_adds_up_to_the_total(con, expected):
    chosen, areas = orp_jihlava(con)
    table = financovani.compute(con, areas)
    breakdown = financovani.paragraphs(con, [chosen.area])
    for year in ("2021", "2023", "2024"):
        rows = breakdown[breakdown.obdobi == year]
        assert rows["skutecnost"].sum() == pytest.approx(values(table, "6105", "vydaje_socialni_oblast")[year][0])
    row = breakdown[(breakdown.obdobi == "2023") & (breakdown.paragraf == "4351")].iloc[0]
    assert row.paragraf_nazev == "Osobní asistence, pečovatelská služba a podpora samostatného bydlení"
    assert row.skutecnost == pytest.approx(2054321.50 + 511000.00 + 415500.00 + 1234567.89 * 1.2 + 306000.11 * 1.2)
    assert row.obci_s_udaji == 4


def test_unplaced_ico_are_listed(con):
    assert financovani.unplaced(con) == ["00990099"]


@pytest.mark.slow
def test_strelice_per_inhabitant_on_the_real_population(tmp_path_factory):
    for path in (*REAL_IMPORT, STRELICE):
        real(path)
    data = copy_data_dir(real_data_dir(tmp_path_factory), tmp_path_factory.mktemp("strelice") / "data")
    result = run_sprss("import", STRELICE, "--obec", "583910", data=data)
    assert result.returncode == 0, result.stderr
    sums = decoded_social(STRELICE)
    connection = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        obce = load_obce(connection)
        chosen = territory.resolve("obec:583910", obce)
        table = financovani.compute(connection, [chosen.area])
        population = dict(connection.execute(
            "SELECT year(obdobi), pocet FROM populace_celkem WHERE obec_kod = '583910' AND pohlavi = 'celkem' "
            "AND zdroj = 'csu_pocet_obyvatel'").fetchall())
    finally:
        connection.close()
    spending = values(table, "583910", "vydaje_socialni_oblast")
    assert {int(y) for y in spending} == set(range(2013, 2026))
    for year in range(2013, 2026):
        assert spending[str(year)][0] == pytest.approx(sums[("00282618", year)]["skutecnost"], abs=1e-6)
    per_capita = values(table, "583910", "vydaje_socialni_oblast_na_obyvatele")
    assert sorted(per_capita) == [str(y) for y in sorted(population)] == ["2020", "2021", "2022", "2023"]
    for year, inhabitants in population.items():
        assert per_capita[str(year)][0] == pytest.approx(sums[("00282618", year)]["skutecnost"] / inhabitants)


def test_financing_command_writes_the_same_tidy_tables(data, con, tmp_path):
    _, areas = orp_jihlava(con)
    result = invoke_sprss("financing", "--territory", "orp:6105", data=data)
    assert result.returncode == 0, result.stderr
    printed = pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str, "obdobi": str})
    chosen, _ = orp_jihlava(con)
    expected = financovani.compute(con, [chosen.area, *territory.obec_areas(chosen), *areas[1:]])
    pd.testing.assert_frame_equal(printed, expected, check_dtype=False)
    book = tmp_path / "financovani.xlsx"
    result = invoke_sprss("financing", "--territory", "obec:588032", "--format", "xlsx", "--output", book, data=data)
    assert result.returncode == 0, result.stderr
    assert load_workbook(book).sheetnames == ["ukazatele", "paragrafy"]
    paragraphs = invoke_sprss("financing", "--territory", "obec:588032", "--table", "paragrafy", data=data)
    assert pd.read_csv(io.StringIO(paragraphs.stdout), dtype=str)["paragraf"].tolist() == ["4351", "4371"] * 3
