"""Demographic indicators on the real warehouse: counts are summed over obce before dividing, weighted mean
age, change against the first date, the tidy output and its levels; and partial sums never reach the output."""
import io

from openpyxl import load_workbook
import pandas as pd
import pytest

from builders import JIHLAVA, JIHLAVKA, copy_data_dir, invoke_sprss, query, synthetic_territory_data_dir, write_publication
from pipeline.core import territory
from pipeline.indicators import demografie as indicators
from pipeline.indicators import metadata
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka"]
REQUIRED = ["obyvatel_celkem", "obyvatel_muzi", "obyvatel_zeny", "obyvatel_0_14", "obyvatel_15_64", "obyvatel_65_plus",
            "obyvatel_80_plus", "obyvatel_85_plus", "podil_0_14", "podil_65_plus", "podil_80_plus", "index_stari",
            "index_ekonomickeho_zatizeni", "index_zavislosti_senioru", "prumerny_vek", "zmena_obyvatel",
            "index_vyvoje_obyvatel"]
ORP_JIHLAVA_OBCE = "SELECT obec_kod FROM obce WHERE orp_kod = '6105'"


def csv_of(result) -> pd.DataFrame:
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str, "obdobi": str})


@pytest.fixture(scope="module")
def orp_default(real_warehouse):
    return csv_of(invoke_sprss("indicators", "--territory", "orp:Jihlava", data=real_warehouse))


@pytest.fixture(scope="module")
def orp_all(real_warehouse):
    return csv_of(invoke_sprss("indicators", "--territory", "orp:6105", "--level", "vse", data=real_warehouse))


@pytest.fixture(scope="module")
def cr(real_warehouse):
    with warehouse.connect(real_warehouse) as con:
        chosen = territory.resolve("stat:CZ", load_obce(con))
        return indicators.compute(con, [chosen.area])


def value(table, typ, kod, obdobi, ukazatel) -> float:
    hit = table[(table.uzemi_typ == typ) & (table.uzemi_kod == kod) & (table.obdobi == obdobi) & (table.ukazatel == ukazatel)]
    assert len(hit) == 1, (typ, kod, obdobi, ukazatel, len(hit))
    return float(hit["hodnota"].iloc[0])


def series(table, typ, kod, ukazatel) -> dict[str, float]:
    hit = table[(table.uzemi_typ == typ) & (table.uzemi_kod == kod) & (table.ukazatel == ukazatel)]
    return dict(zip(hit["obdobi"], hit["hodnota"].astype(float)))


# --- ČR against ČSÚ's published figures --------------------------------------------------------------


def test_cr_figures_match_csu(cr):
    assert value(cr, "stat", "CZ", "2020-12-31", "obyvatel_celkem") == 10_701_777
    assert value(cr, "stat", "CZ", "2020-12-31", "obyvatel_0_14") == 1_719_741
    assert value(cr, "stat", "CZ", "2020-12-31", "obyvatel_65_plus") == 2_158_322
    assert value(cr, "stat", "CZ", "2020-12-31", "obyvatel_80_plus") == 447_526
    assert round(value(cr, "stat", "CZ", "2020-12-31", "index_stari"), 2) == 125.50  # DEMDCR1V
    assert value(cr, "stat", "CZ", "2020-12-31", "obyvatel_15_64") == 10_701_777 - 1_719_741 - 2_158_322
    assert series(cr, "stat", "CZ", "obyvatel_celkem") == {
        "2020-01-01": 10_693_939, "2020-12-31": 10_701_777, "2021-01-01": 10_701_777,
        "2022-01-01": 10_516_707, "2023-01-01": 10_827_529}


def test_cr_every_required_indicator_present(cr):
    assert set(REQUIRED) <= set(cr["ukazatel"])
    assert list(cr.columns) == COLUMNS
    podil = value(cr, "stat", "CZ", "2020-12-31", "podil_65_plus")
    assert podil == pytest.approx(2_158_322 / 10_701_777 * 100, rel=1e-12)
    zatizeni = value(cr, "stat", "CZ", "2020-12-31", "index_ekonomickeho_zatizeni")
    assert zatizeni == pytest.approx((1_719_741 + 2_158_322) / (10_701_777 - 1_719_741 - 2_158_322) * 100, rel=1e-12)
    seniori = value(cr, "stat", "CZ", "2020-12-31", "index_zavislosti_senioru")
    assert seniori == pytest.approx(2_158_322 / (10_701_777 - 1_719_741 - 2_158_322) * 100, rel=1e-12)


def test_indicator_metadata_complete():
    meta = metadata.by_code()
    assert set(REQUIRED) <= set(meta)
    for code in REQUIRED:
        assert meta[code].nazev and meta[code].jednotka and meta[code].vzorec and meta[code].zdroj
    assert meta["podil_65_plus"].jednotka == "%"


# --- aggregation: sum the counts, then divide -------------------------------------------------------


def test_orp_index_stari_from_summed_counts(real_warehouse, orp_all):
    (senior, young, obce) = query(real_warehouse, f"""
        SELECT sum(pocet) FILTER (vek_od >= 65), sum(pocet) FILTER (vek_do <= 14), count(DISTINCT obec_kod)
        FROM populace_vek WHERE obec_kod IN ({ORP_JIHLAVA_OBCE}) AND obdobi = DATE '2020-12-31'""")[0]
    assert obce == 78
    assert (senior, young) == (19_904, 16_569)
    expected = senior / young * 100
    computed = value(orp_all, "orp", "6105", "2020-12-31", "index_stari")
    assert computed == pytest.approx(expected, rel=1e-12)
    obec_indices = orp_all[(orp_all.uzemi_typ == "obec") & (orp_all.ukazatel == "index_stari")]
    assert len(obec_indices) == 78
    assert abs(obec_indices["hodnota"].mean() - computed) > 1  # 123.48 vs 120.13: averaging ratios is wrong
    # each obec's own index is its own counts' ratio
    (s, y) = query(real_warehouse, "SELECT sum(pocet) FILTER (vek_od >= 65), sum(pocet) FILTER (vek_do <= 14) "
                              "FROM populace_vek WHERE obec_kod = '586846'")[0]
    assert value(orp_all, "obec", "586846", "2020-12-31", "index_stari") == pytest.approx(s / y * 100, rel=1e-12)


def test_orp_counts_are_sums_of_obce(orp_all):
    for ukazatel in ("obyvatel_celkem", "obyvatel_muzi", "obyvatel_zeny", "obyvatel_65_plus", "obyvatel_85_plus"):
        for obdobi, total in series(orp_all, "orp", "6105", ukazatel).items():
            parts = orp_all[(orp_all.uzemi_typ == "obec") & (orp_all.ukazatel == ukazatel) & (orp_all.obdobi == obdobi)]
            assert len(parts) == 78 and parts["hodnota"].sum() == total, (ukazatel, obdobi)
    assert series(orp_all, "orp", "6105", "obyvatel_celkem") == {
        "2020-01-01": 100_653, "2020-12-31": 100_718, "2021-01-01": 100_718, "2022-01-01": 99_606, "2023-01-01": 102_996}


def test_prumerny_vek_weighted_by_population(real_warehouse, orp_default):
    (weighted, plain) = query(real_warehouse, f"""
        SELECT sum(pocet * prumerny_vek) / sum(pocet), avg(prumerny_vek) FROM populace_celkem
        WHERE obec_kod IN ({ORP_JIHLAVA_OBCE}) AND pohlavi = 'celkem' AND obdobi = DATE '2023-01-01'""")[0]
    computed = value(orp_default, "orp", "6105", "2023-01-01", "prumerny_vek")
    assert computed == pytest.approx(weighted, rel=1e-12)
    assert computed == pytest.approx(42.41587, abs=1e-5)
    assert abs(computed - plain) > 0.4
    # the age tables carry no mean age: no value at 2020-12-31
    assert "2020-12-31" not in series(orp_default, "orp", "6105", "prumerny_vek")


def test_change_against_the_first_date(orp_default):
    counts = series(orp_default, "orp", "6105", "obyvatel_celkem")
    first = counts["2020-01-01"]
    zmena = series(orp_default, "orp", "6105", "zmena_obyvatel")
    index = series(orp_default, "orp", "6105", "index_vyvoje_obyvatel")
    assert set(zmena) == set(index) == set(counts)
    for obdobi, count in counts.items():
        assert zmena[obdobi] == count - first
        assert index[obdobi] == pytest.approx(count / first * 100, rel=1e-12)
    assert zmena["2023-01-01"] == 102_996 - 100_653
    assert zmena["2020-01-01"] == 0 and index["2020-01-01"] == 100


def test_obec_without_inhabitants_has_no_ratios(real_warehouse):
    table = csv_of(invoke_sprss("indicators", "--territory", "obec:545422", "--level", "obec", data=real_warehouse))  # Boletice
    assert set(table["uzemi_kod"]) == {"545422"}
    assert series(table, "obec", "545422", "obyvatel_celkem")["2023-01-01"] == 0
    assert not {"index_stari", "podil_65_plus", "prumerny_vek", "index_vyvoje_obyvatel"} & set(table["ukazatel"])
    assert not table["hodnota"].isna().any()


# --- output: columns, levels, formats ------------------------------------------------------------------


def test_output_columns_and_values(real_warehouse, orp_default):
    result = invoke_sprss("indicators", "--territory", "orp:Jihlava", data=real_warehouse)
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert "orp,6105,Jihlava,2023-01-01,obyvatel_celkem,102996,osoby" in lines  # counts as integers
    assert list(orp_default.columns) == COLUMNS
    assert orp_default["obdobi"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(orp_default["obdobi"]) == {"2020-01-01", "2020-12-31", "2021-01-01", "2022-01-01", "2023-01-01"}
    assert set(REQUIRED) <= set(orp_default["ukazatel"])
    assert not orp_default["hodnota"].isna().any()
    units = dict(zip(orp_default["ukazatel"], orp_default["jednotka"]))
    assert units["podil_65_plus"] == "%" and units["obyvatel_celkem"] == "osoby" and units["prumerny_vek"] == "roky"
    # full precision, rounding is for display only
    index_line = next(l for l in lines if l.startswith("orp,6105,Jihlava,2020-12-31,index_stari,"))
    assert len(index_line.split(",")[5].split(".")[1]) > 6
    assert not orp_default.duplicated(["uzemi_typ", "uzemi_kod", "obdobi", "ukazatel"]).any()


def test_default_level_of_an_orp(orp_default):
    areas = set(zip(orp_default["uzemi_typ"], orp_default["uzemi_kod"], orp_default["uzemi_nazev"]))
    assert areas == {("orp", "6105", "Jihlava"), ("kraj", "3107", "Kraj Vysočina"), ("stat", "CZ", "Česká republika")}
    assert list(dict.fromkeys(orp_default["uzemi_typ"])) == ["orp", "kraj", "stat"]


def test_default_level_of_an_obec(real_warehouse):
    table = csv_of(invoke_sprss("indicators", "--territory", "obec:Jihlava", data=real_warehouse))
    assert list(dict.fromkeys(zip(table["uzemi_typ"], table["uzemi_kod"]))) == [
        ("obec", "586846"), ("orp", "6105"), ("kraj", "3107"), ("stat", "CZ")]
    assert value(table, "obec", "586846", "2023-01-01", "obyvatel_celkem") == 52_548


def test_level_obec_and_vse(orp_all, real_warehouse):
    obce = {kod for (kod,) in query(real_warehouse, ORP_JIHLAVA_OBCE)}
    assert set(orp_all.loc[orp_all.uzemi_typ == "obec", "uzemi_kod"]) == obce
    assert set(orp_all["uzemi_typ"]) == {"orp", "obec", "kraj", "stat"}
    only_obce = csv_of(invoke_sprss("indicators", "--territory", "orp:6105", "--level", "obec", data=real_warehouse))
    assert set(only_obce["uzemi_typ"]) == {"obec"}
    assert set(only_obce["uzemi_kod"]) == obce
    assert only_obce.reset_index(drop=True).equals(orp_all[orp_all.uzemi_typ == "obec"].reset_index(drop=True))


def test_xlsx_output_readable(real_warehouse, orp_default, tmp_path):
    target = tmp_path / "vystup" / "ukazatele.xlsx"
    result = invoke_sprss("indicators", "--territory", "orp:Jihlava", "--format", "xlsx", "--output", target, data=real_warehouse)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    sheet = load_workbook(target).active
    rows = [r for r in sheet.iter_rows(values_only=True)]
    title = COLUMNS.index("ukazatel") + 1  # Excel has the Czech title beside each code
    assert list(rows[0]) == [*COLUMNS[:title], "ukazatel_nazev", *COLUMNS[title:]]
    assert sheet.auto_filter.ref.startswith("A1:")
    data = [tuple(v.date().isoformat() if hasattr(v, "date") else v for v in r[:title] + r[title + 1:])
            for r in rows[1:] if r[1] is not None]  # dates are dates in Excel
    assert len(data) == len(orp_default)
    assert ("orp", "6105", "Jihlava", "2023-01-01", "obyvatel_celkem", 102996, "osoby") in data
    assert ("Index stáří" in {r[title] for r in rows[1:]})
    index = next(r for r in data if r[:5] == ("orp", "6105", "Jihlava", "2020-12-31", "index_stari"))
    assert index[5] == pytest.approx(value(orp_default, "orp", "6105", "2020-12-31", "index_stari"), rel=1e-12)
    assert any(r[0] and str(r[0]).startswith("Zdroj:") for r in rows)
    assert not list(target.parent.glob(".*"))


def test_csv_output_to_file_equals_stdout(real_warehouse, tmp_path):
    target = tmp_path / "ukazatele.csv"
    result = invoke_sprss("indicators", "--territory", "orp:Jihlava", "--output", target, data=real_warehouse)
    assert result.returncode == 0, result.stderr
    stdout = invoke_sprss("indicators", "--territory", "orp:Jihlava", data=real_warehouse).stdout
    assert target.read_text(encoding="utf-8") == stdout


def test_xlsx_without_output_is_refused(real_warehouse):
    result = invoke_sprss("indicators", "--territory", "orp:Jihlava", "--format", "xlsx", data=real_warehouse)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--output" in result.stderr
    assert result.stdout == ""


# --- an obec missing from one year: NULL, never a partial sum ------------------------------------------


@pytest.fixture(scope="module")
def gap_data(tmp_path_factory):
    """Jihlava and Jihlávka k 1. 1. 2023, only Jihlava k 1. 1. 2024 (synthetic publications)."""
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("gap") / "data")
    inputs = tmp_path_factory.mktemp("gap_inputs")
    first = write_publication(inputs / "synthetic_obyvatele_2023.xlsx", [JIHLAVA, JIHLAVKA], date_text="1. 1. 2023")
    second = write_publication(inputs / "synthetic_obyvatele_2024.xlsx", [JIHLAVA], date_text="1. 1. 2024")
    result = invoke_sprss("import", first, second, data=data)
    assert result.returncode == 0, result.stderr
    (inputs / "uzemi.yaml").write_text("nazev: Dvojice\nobce: [Jihlava, 587290]\noblasti:\n  Venkov: [Jihlávka]\n",
                                       encoding="utf-8")
    return data, inputs / "uzemi.yaml"


def test_missing_obec_gives_no_partial_sum(gap_data):
    data, selector = gap_data
    table = csv_of(invoke_sprss("indicators", "--territory", selector, "--level", "vse", data=data))
    assert series(table, "vlastni", "dvojice", "obyvatel_celkem") == {"2023-01-01": 52_600 + 250}
    assert "2024-01-01" not in series(table, "vlastni", "dvojice", "zmena_obyvatel")
    assert "2024-01-01" not in series(table, "vlastni", "dvojice", "prumerny_vek")
    assert series(table, "obec", "586846", "obyvatel_celkem") == {"2023-01-01": 52_600, "2024-01-01": 52_600}
    assert series(table, "obec", "587290", "obyvatel_celkem") == {"2023-01-01": 250}
    assert series(table, "oblast", "venkov", "obyvatel_celkem") == {"2023-01-01": 250}
    # ORP Jihlava has 78 obce, the files only two: no ORP, kraj or ČR count at all
    assert not len(table[(table.uzemi_typ.isin(["orp", "kraj", "stat"])) & (table.ukazatel == "obyvatel_celkem")])
    assert list(dict.fromkeys(table["uzemi_typ"])) == ["vlastni", "oblast", "obec"]
    assert not table["hodnota"].isna().any()


def test_custom_territory_oblasti_sum_their_obce(gap_data):
    data, selector = gap_data
    table = csv_of(invoke_sprss("indicators", "--territory", selector, "--level", "vse", data=data))
    assert set(zip(table["uzemi_typ"], table["uzemi_nazev"])) >= {("vlastni", "Dvojice"), ("oblast", "Venkov"),
                                                                 ("obec", "Jihlava"), ("obec", "Jihlávka")}
    weighted = (52_600 * 42.8 + 250 * 45.0) / 52_850
    assert value(table, "vlastni", "dvojice", "2023-01-01", "prumerny_vek") == pytest.approx(weighted, rel=1e-12)


def test_a_source_line_names_the_file_the_shown_counts_come_from(real_warehouse):
    """A table of the population at 1. 1. 2023 cited the age tables of 31. 12. too: a count may come from either,
    the warehouse knows from which at each date."""
    with warehouse.connect(real_warehouse) as con:
        found = indicators.population_sources(con)
    assert found["2023-01-01"] == ("csu_pocet_obyvatel",) and found["2020-12-31"] == ("csu_vekove_slozeni",)
    publication, age_tables = "Počet obyvatel v obcích", "Věkové složení obyvatelstva obcí"
    both = metadata.source_line(["obyvatel_celkem"])
    assert publication in both and age_tables in both  # without knowing the date, every possible source
    at_new_year = metadata.source_line(["obyvatel_celkem", "prumerny_vek"], found["2023-01-01"])
    assert publication in at_new_year and age_tables not in at_new_year
    at_year_end = metadata.source_line(["obyvatel_celkem", "podil_65_plus"], found["2020-12-31"])
    assert age_tables in at_year_end and publication not in at_year_end
    assert publication in metadata.source_line(["prumerny_vek"], found["2020-12-31"])  # none used: its own source
