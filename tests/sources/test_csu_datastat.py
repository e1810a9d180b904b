"""ČSÚ DataStat: the real JSON-stat population, schemas.zip and label-only CSVs; the synthetic coded CSV
(kodCiselniku=true); small JSON-stat documents and label CSVs written here for the traps and the errors."""
from datetime import date
import json
from pathlib import Path
import re

import pandas as pd
import pytest

from builders import FIXTURES, SHARED_REAL, copy_data_dir, query, raw_listing, real, run_sprss
from pipeline.core.config import DataDir
from pipeline.core.errors import FormatError
from pipeline.sources import csu_datastat, detect
from pipeline.sources.csu_datastat import parse, period, sniff

POPULATION = SHARED_REAL / "csu" / "waiff-sreality" / "csu_population.json"
SELECTIONS = SHARED_REAL / "csu" / "michaelmiscanuk-czsu-multi-agent-text-to-sql"
SCHEMAS = SELECTIONS / "schemas.zip"
LABEL_CSVS = sorted((SELECTIONS / "CSVs").glob("*.csv")) if (SELECTIONS / "CSVs").exists() else []
CODED = FIXTURES / "synthetic_datastat_SYN01T1.csv"


def jsonstat(value: list, *, praha_twice: bool = False, index_as_list: bool = False, **extra) -> dict:
    """A small JSON-stat 2.0 response: indicator × territory (ČR, Praha kraj/okres, Vysočina) × 2 years."""
    territory = ["CZ", "CZ010", "CZ0100", "CZ063"] if praha_twice else ["CZ", "CZ010", "CZ063"]
    labels = {"CZ": "Česko", "CZ010": "Hlavní město Praha", "CZ0100": "Hlavní město Praha", "CZ063": "Kraj Vysočina"}
    return {
        "version": "2.0", "class": "dataset", "label": "Počet obyvatel podle krajů k 1. 1.",
        "href": "https://data.csu.gov.cz/api/dotaz/v1/data/vybery/SYN02T1", "updated": "2026-03-01T10:00:00Z",
        "id": ["IndicatorType", "UZ", "CasR"], "size": [1, len(territory), 2],
        "role": {"geo": ["UZ"], "metric": ["IndicatorType"], "time": ["CasR"]},
        "dimension": {
            "IndicatorType": {"label": "Ukazatel", "category": {"index": {"2406P": 0},
                                                                "label": {"2406P": "Počet obyvatel"},
                                                                "unit": {"2406P": {"decimals": 0, "symbol": "os."}}}},
            "UZ": {"label": "ČR, kraje, okresy", "category": {
                "index": territory if index_as_list else {code: i for i, code in enumerate(territory)},
                "label": {code: labels[code] for code in territory},
                "child": {"CZ": ["CZ010", "CZ063"], **({"CZ010": ["CZ0100"]} if praha_twice else {})}}},
            "CasR": {"label": "Roky", "category": {"index": {"2026": 0, "2025": 1}, "label": {"2026": "2026", "2025": "2025"}}},
        },
        "value": value, **extra,
    }


def encoded(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=4).encode("utf-8")


def schema_of(document: dict) -> dict:
    """The metadata of a selection as schemas.zip holds it: everything except the values."""
    return {key: item for key, item in document.items() if key not in ("value", "status", "extension")}


# --- JSON-stat responses -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("index_as_list", [False, True], ids=["index-dict", "index-list"])
def test_jsonstat_values_are_row_major_over_id_and_size(index_as_list):
    parsed = parse(encoded(jsonstat([300, 290, 20, 19, 30, 29], index_as_list=index_as_list)), "odpoved.json")
    hodnoty, polozky = parsed.tables["datastat_hodnoty"], parsed.tables["datastat_polozky"]
    assert set(hodnoty["vyber"]) == {"SYN02T1"}  # from href, not from the file name
    rows = hodnoty.merge(polozky, on=["vyber", "radek"])
    value = rows.set_index(["kod", "obdobi"])["hodnota"]
    assert value[("CZ", "2026-01-01")] == 300 and value[("CZ", "2025-01-01")] == 290
    assert value[("CZ063", "2026-01-01")] == 30 and value[("CZ063", "2025-01-01")] == 29
    assert set(hodnoty["ukazatel_kod"]) == {"2406P"} and set(hodnoty["jednotka"]) == {"os."}
    assert hodnoty["obdobi_od"].eq(hodnoty["obdobi_do"]).all(), "a stock k 1. 1. is a moment"
    assert parsed.reference_date == date(2026, 1, 1)
    schemata = parsed.tables["datastat_schemata"].set_index(["dimenze", "kod"])
    assert schemata.loc[("UZ", "CZ063"), "rodic"] == "CZ" and pd.isna(schemata.loc[("UZ", "CZ"), "rodic"])


def test_breakdown_total_has_no_code_but_territory_and_indicator_keep_theirs():
    document = jsonstat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    document["id"].insert(1, "POHL")
    document["size"].insert(1, 2)
    document["dimension"]["POHL"] = {"label": "Pohlaví", "category": {"index": {"0": 0, "1": 1},
                                                                       "label": {"0": "Celkem", "1": "muž"}}}
    polozky = parse(encoded(document), "x.json").tables["datastat_polozky"]
    sexes = polozky[polozky["dimenze"] == "POHL"].drop_duplicates(["ciselnik", "kod", "popisek"]).astype(object)
    sexes = sexes.where(sexes.notna(), None)
    assert sexes[["ciselnik", "kod", "popisek"]].to_dict("records") == [
        {"ciselnik": "#AGG", "kod": None, "popisek": "Celkem"}, {"ciselnik": None, "kod": "1", "popisek": "muž"}]
    assert set(polozky.loc[polozky["dimenze"] == "UZ", "kod"]) == {"CZ", "CZ010", "CZ063"}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(value=[1, 2, 3, 4, 5]), "počet hodnot 5 neodpovídá součinu velikostí dimenzí (6)"),
    (lambda d: d.update(value=[1, 2, "x", 4, 5, 6]), "hodnota č. 3 ('x') není číslo"),
    (lambda d: d.update(size=[1, 3]), "neznámé uspořádání dimenzí"),
    (lambda d: d["dimension"].pop("CasR"), "dimenze CasR nemá kategorie"),
    (lambda d: d.update(size=[1, 4, 2]), "dimenze UZ má 3 kategorie, ale size uvádí 4"),
    (lambda d: d.update(extension={"published": [1, 1], "publishedCode": {"1": "2026-05-18T07:00Z"}}),
     "extension.published má 2 položky, hodnot je 6"),
])
def test_broken_jsonstat_is_one_czech_line(change, message):
    document = jsonstat([1, 2, 3, 4, 5, 6])
    change(document)
    with pytest.raises(FormatError, match=re.escape(message)):
        parse(encoded(document), "SYN02T1.json")


def test_an_api_error_is_refused_with_its_reason():
    content = encoded({"chyba": {"kod": 404, "popis": "Nenalezeno: výběr XYZ01 neexistuje"}})
    assert sniff(content)
    with pytest.raises(FormatError, match=re.escape("DataStat vrátil chybu místo dat: 404; Nenalezeno: výběr XYZ01 neexistuje")):
        parse(content, "XYZ01.json")


def test_periods_of_datastat_time_codes():
    assert period("2024", "Počet obyvatel k 31. 12. (koncový stav)") == period("2024-12-31")
    assert period("2024", "Živě narození", "Projektovaný pohyb obyvatel").start == date(2024, 1, 1)
    assert period("2024", "Živě narození").end == date(2024, 12, 31)
    assert period("2024", None, "Zařízení sociálních služeb k 31. 12 v SO ORP").text == "2024-12-31"
    assert (period("2024-02").start, period("2024-02").end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period("2024-03K").start == date(2024, 1, 1)
    assert (period("2023-Q4").start, period("2023-Q4").end) == (date(2023, 10, 1), date(2023, 12, 31))
    assert period("2024-W01").start == date(2024, 1, 1)
    assert period("2023-2024") == csu_datastat.Period("2023-2024", None, None)
    december = period("2024", "Příjemci příspěvku na péči", "Příjemci … podle stupně závislosti v prosinci daného roku")
    assert december == csu_datastat.Period("2024", date(2024, 12, 1), date(2024, 12, 31))


# --- coded CSV (kodCiselniku=true), synthetic in the documented layout -------------------------------------------

def coded_rows() -> pd.DataFrame:
    parsed = parse(CODED.read_bytes(), CODED.name)
    items = parsed.tables["datastat_polozky"].pivot(index="radek", columns="dimenze", values=["kod", "ciselnik"])
    items.columns = [f"{dim}_{what}" for what, dim in items.columns]
    return parsed.tables["datastat_hodnoty"].set_index("radek").join(items)


def test_coded_csv_keeps_the_deepest_territory_level_and_totals_without_code():
    assert detect(CODED.read_bytes(), CODED.name) is csu_datastat
    rows = coded_rows()
    assert set(rows["vyber"]) == {"SYN01T1"} and len(rows) == 24
    assert rows.groupby("Uz45B_kod")["Uz45B_ciselnik"].first().to_dict() == {"586846": "43", "586943": "43", "6105": "65"}
    totals = rows[rows["VekSkupZakl_kod"].isna()]
    assert set(totals["VekSkupZakl_ciselnik"]) == {"#AGG"} and len(totals) == 6
    assert set(rows["obdobi"]) == {"2023-12-31", "2024-12-31"}  # "k 31. 12." in the indicator
    parts = rows[rows["VekSkupZakl_kod"].notna()].groupby(["Uz45B_kod", "obdobi"])["hodnota"].sum(min_count=3)
    whole = totals.set_index(["Uz45B_kod", "obdobi"])["hodnota"]
    complete = parts.dropna().index
    assert len(complete) == 5  # the ORP's 65+ of 2024 is empty in the file: no data, not zero
    assert (parts[complete] == whole[complete]).all(), "age groups add up to the #AGG total in the file"
    assert rows["hodnota"].isna().sum() == 1


def test_coded_csv_dimensions_and_roles():
    dimenze = parse(CODED.read_bytes(), CODED.name).tables["datastat_dimenze"].set_index("dimenze")
    assert dimenze["role"].fillna("").to_dict() == {"IndicatorType": "metric", "VekSkupZakl": "", "CasRB": "time",
                                                    "Uz45B": "geo"}
    assert dimenze.loc["Uz45B", "popisek"] == "SO ORP a obce"


def extra_first_column(text: str) -> str:
    lines = text.splitlines()
    return "\n".join(['"Poznámka",' + lines[0]] + ['"",' + line for line in lines[1:]])


def test_coded_csv_indicator_gets_its_code_from_the_schema(tmp_path):
    schema = {"version": "2.0", "class": "dataset", "label": "Syntetický výběr", "updated": "2026-01-10T00:00:00Z",
              "href": "https://data.csu.gov.cz/api/dotaz/v1/data/vybery/SYN01T1",
              "id": ["IndicatorType"], "size": [1], "role": {"metric": ["IndicatorType"]},
              "dimension": {"IndicatorType": {"label": "Ukazatel", "category": {
                  "index": {"2406K": 0}, "label": {"2406K": "Počet obyvatel k 31. 12. (koncový stav)"}}}}}
    schema_file = write(tmp_path, "SYN01T1_schema.json", encoded(schema))
    result = run_sprss("import", CODED, schema_file, data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    data = DataDir(tmp_path / "data")
    assert query(data, "SELECT DISTINCT ukazatel_kod FROM datastat_hodnoty") == [("2406K",)]
    # the newer schema describes the indicator only: the data's other dimensions are kept
    assert query(data, "SELECT dimenze, role FROM datastat_dimenze ORDER BY poradi, dimenze") == [
        ("IndicatorType", "metric"), ("VekSkupZakl", None), ("CasRB", "time"), ("Uz45B", "geo")]


@pytest.mark.parametrize(("change", "message"), [
    (lambda text: text.replace('"51000.0"', '"51 tis."', 1), "řádek 3: hodnota '51 tis.' není číslo"),
    (extra_first_column, "sloupec 'Poznámka' nemá kódy (Poznámka.Ciselnik, .Polozka)"),
    (lambda text: text.replace('"Uz45B.OBEC.Polozka"', '"Uz45B.OBEC.Kod"', 1),
     "sloupec Uz45B.OBEC.Ciselnik nemá hned za sebou Uz45B.OBEC.Polozka"),
    (lambda text: text.replace('"2023","CAS_R","2023","Jihlava","65","6105"', '"2023","CAS_R","2023","","",""', 1),
     "řádek 2: dimenze Uz45B nemá v řádku žádnou položku"),
])
def test_broken_coded_csv_is_one_czech_line(change, message):
    text = CODED.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    with pytest.raises(FormatError, match=re.escape(message)):
        parse(changed.encode("utf-8"), CODED.name)


# --- label-only CSVs and their schema, through sprss import ------------------------------------------------------

PRAHA_TWICE = jsonstat([300, 290, 10, 9, 10, 9, 30, 29], praha_twice=True)


def label_csv(*rows: tuple[str, str, str]) -> str:
    """A selection CSV as pandas writes it from JSON-stat (labels only, then value)."""
    return "Ukazatel,\"ČR, kraje, okresy\",Roky,value\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in rows)


ROWS = [("Počet obyvatel", "Česko", "2026", "300.0"), ("Počet obyvatel", "Česko", "2025", "290.0"),
        ("Počet obyvatel", "Hlavní město Praha", "2026", "10.0"), ("Počet obyvatel", "Hlavní město Praha", "2025", "9.0"),
        ("Počet obyvatel", "Hlavní město Praha", "2026", "11.0"), ("Počet obyvatel", "Hlavní město Praha", "2025", "8.0"),
        ("Počet obyvatel", "Kraj Vysočina", "2026", "30.0"), ("Počet obyvatel", "Kraj Vysočina", "2025", "29.0")]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_label_csv_without_its_schema_is_refused_naming_the_schema(tmp_path):
    csv_file = write(tmp_path, "SYN02T1.csv", label_csv(*ROWS))
    data = DataDir(tmp_path / "data")
    result = run_sprss("import", csv_file, data=data)
    assert result.returncode == 1
    assert "Soubor SYN02T1.csv: výběr SYN02T1 má jen popisky bez kódů; nejdřív importujte jeho schéma (SYN02T1_schema.json" \
        in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and raw_listing(data) == {}


@pytest.fixture(scope="module")
def labelled(tmp_path_factory) -> DataDir:
    """Schema and label CSV of a selection with "Hlavní město Praha" twice (kraj CZ010, okres CZ0100)."""
    folder = tmp_path_factory.mktemp("labelled")
    schema = write(folder, "SYN02T1_schema.json", encoded(schema_of(PRAHA_TWICE)))
    csv_file = write(folder, "SYN02T1.csv", label_csv(*ROWS, ("Počet obyvatel", "Česko", "2024", "280.0")))
    result = run_sprss("import", csv_file, schema, data=folder / "data")
    assert result.returncode == 0, result.stderr
    return DataDir(folder / "data")


def test_a_label_twice_in_the_schema_is_told_apart_by_order(labelled):
    rows = query(labelled, "SELECT p.kod, h.obdobi, h.hodnota FROM datastat_hodnoty h JOIN datastat_polozky p "
                           "USING (vyber, radek) WHERE vyber = 'SYN02T1' ORDER BY radek")
    assert rows[2:6] == [("CZ010", "2026-01-01", 10.0), ("CZ010", "2025-01-01", 9.0),
                         ("CZ0100", "2026-01-01", 11.0), ("CZ0100", "2025-01-01", 8.0)]


def test_a_year_newer_than_the_schema_is_its_own_code(labelled):
    assert query(labelled, "SELECT hodnota FROM datastat_hodnoty WHERE vyber = 'SYN02T1' AND obdobi = '2024-01-01'") \
        == [(280.0,)]


@pytest.mark.parametrize(("rows", "message"), [
    ([*ROWS[:6], ("Počet obyvatel", "Kraj Neznámý", "2026", "1.0")],
     "soubor SYN02T1_oprava.csv, řádek 8: popisek 'Kraj Neznámý' dimenze 'ČR, kraje, okresy' (UZ) schéma výběru SYN02T1 nezná"),
    ([*ROWS[:4], *ROWS[6:]], None),  # Praha once where the schema has it twice: which one cannot be told
    ([*ROWS, *ROWS[4:6]], None),     # Praha three times
])
def test_labels_the_schema_cannot_place_are_one_czech_line(tmp_path, labelled, rows, message):
    data = copy_data_dir(labelled, tmp_path / "data")
    before = raw_listing(data)
    csv_file = write(tmp_path, "SYN02T1_oprava.csv", label_csv(*rows))  # a newer file of the same selection
    result = run_sprss("import", csv_file, data=data)
    assert result.returncode == 1, result.stdout
    expected = message or "popisek 'Hlavní město Praha' dimenze 'ČR, kraje, okresy' (UZ) má ve schématu výběru SYN02T1 kódy CZ010, CZ0100"
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert raw_listing(data) == before


def test_label_csv_reference_date_from_its_years_or_from_date():
    assert parse(label_csv(*ROWS).encode("utf-8"), "SYN02T1.csv").reference_date == date(2026, 12, 31)
    assert parse(label_csv(*ROWS).encode("utf-8"), "SYN02T1.csv", date(2026, 1, 1)).reference_date == date(2026, 1, 1)
    undated = "Ukazatel,Území,value\nPočet obyvatel,Česko,300.0\n".encode()
    with pytest.raises(FormatError, match="zadejte ho volbou --date RRRR-MM-DD"):
        parse(undated, "SYN03T1.csv")


def test_label_csv_needs_a_selection_code_in_its_name(tmp_path):
    with pytest.raises(FormatError, match="z názvu souboru nelze poznat kód výběru DataStat"):
        parse(label_csv(*ROWS).encode("utf-8"), "export.csv")


def test_sniff_recognises_every_layout_and_nothing_else():
    assert sniff(encoded(PRAHA_TWICE)) and sniff(encoded(schema_of(PRAHA_TWICE)))
    assert sniff(CODED.read_bytes()) and sniff(label_csv(*ROWS).encode("utf-8"))
    assert not sniff(b"obec_kod,pocet\n586846,50000\n")
    assert not sniff(b'{"type": "FeatureCollection", "features": []}')


# --- real files --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def population():
    return parse(real(POPULATION).read_bytes(), POPULATION.name)


def test_real_jsonstat_population_of_obce_and_kraje(population):
    hodnoty, polozky = population.tables["datastat_hodnoty"], population.tables["datastat_polozky"]
    assert len(hodnoty) == 43_904 and population.reference_date == date(2026, 1, 1)
    rows = hodnoty.merge(polozky, on=["vyber", "radek"])
    kraje = rows[rows["kod"].str.fullmatch(r"CZ0\d\d")]
    obce = rows[rows["kod"].str.fullmatch(r"\d{6}")]
    assert kraje["kod"].nunique() == 14 and obce["kod"].nunique() == 6_258
    by_year = obce.groupby("obdobi")["hodnota"].sum()
    assert by_year["2026-01-01"] == 10_915_839 and by_year["2025-01-01"] == 10_909_500
    assert by_year["2021-01-01"] == 10_494_836, "1. 1. 2021 is the census-revised figure"
    assert (kraje.groupby("obdobi")["hodnota"].sum() == by_year).all(), "kraje and obce each add up to ČR"
    jihlava = obce.set_index(["kod", "obdobi"])
    assert jihlava.loc[("586846", "2021-01-01"), "hodnota"] == 50_115
    # extension.published: the revised 1. 1. 2021 was published on 11. 4. 2024, 1. 1. 2026 on 18. 5. 2026
    assert str(jihlava.loc[("586846", "2021-01-01"), "zverejneno"].date()) == "2024-04-11"
    assert str(jihlava.loc[("586846", "2026-01-01"), "zverejneno"].date()) == "2026-05-18"
    schemata = population.tables["datastat_schemata"].set_index("kod")
    assert schemata.loc["554782", "rodic"] == "CZ010"  # Praha the obec is the child of Praha the kraj


def test_real_schemas_zip_holds_976_selections_with_their_code_lists():
    parsed = parse(real(SCHEMAS).read_bytes(), SCHEMAS.name)
    assert len(parsed.tables["datastat_vybery"]) == 976 and parsed.reference_date == date(2025, 5, 24)
    schemata = parsed.tables["datastat_schemata"].set_index(["vyber", "dimenze", "kod"])
    assert schemata.loc[("NEZ01T1", "UZ023H2U", "CZ0100"), "popisek"] == "Hlavní město Praha"
    assert schemata.loc[("NEZ01T1", "UZ023H2U", "CZ0100"), "rodic"] == "CZ010"
    assert schemata.loc[("SZB07C", "UZ4K", "4101"), "popisek"] == "Aš (Karlovarský kraj)"
    assert schemata.loc[("SZB07C", "DRUHSOCZAR", "130"), "popisek"] == "Domovy pro seniory"


@pytest.fixture(scope="module")
def selections(tmp_path_factory) -> DataDir:
    """Every real label CSV with schemas.zip, and the JSON-stat population, in one warehouse."""
    if not LABEL_CSVS:
        pytest.skip(f"potřebuje reálné soubory z ../shared: {SELECTIONS / 'CSVs'}")
    root = tmp_path_factory.mktemp("datastat")
    result = run_sprss("import", real(SCHEMAS), *LABEL_CSVS, real(POPULATION), data=root, timeout=300)
    assert result.returncode == 0, result.stderr
    return DataDir(root)


def test_every_real_label_csv_loads_with_codes(selections):
    counts = dict(query(selections, "SELECT vyber, count(*) FROM datastat_hodnoty GROUP BY 1"))
    for path in LABEL_CSVS:
        assert counts[path.stem] == len(pd.read_csv(path)), path.name
    assert query(selections, "SELECT count(*) FROM datastat_hodnoty WHERE ukazatel_kod IS NULL OR obdobi IS NULL") == [(0,)]


def value(data: DataDir, sql: str) -> float:
    rows = query(data, sql)
    assert len(rows) == 1, rows
    return rows[0][0]


def total_rows(vyber: str) -> str:
    """Rows of `vyber` whose every breakdown dimension is its total."""
    return (f"SELECT h.* FROM datastat_hodnoty h WHERE vyber = '{vyber}' AND NOT EXISTS (SELECT 1 FROM datastat_polozky p "
            f"JOIN datastat_dimenze d USING (vyber, dimenze) WHERE p.vyber = h.vyber AND p.radek = h.radek "
            f"AND d.role IS NULL AND p.kod IS NOT NULL)")


def test_projection_total_equals_its_single_years_total(selections):
    pt01 = value(selections, "SELECT hodnota FROM datastat_hodnoty WHERE vyber = 'OBY02PT01' AND ukazatel_kod = '9930WC' "
                             "AND obdobi = '2024-01-01'")
    pt03 = value(selections, f"SELECT hodnota FROM ({total_rows('OBY02PT03')}) WHERE obdobi = '2024-01-01'")
    assert pt01 == pt03 == 10_909_438
    ages = value(selections, "SELECT sum(h.hodnota) FROM datastat_hodnoty h JOIN datastat_polozky p USING (vyber, radek) "
                             "WHERE vyber = 'OBY02PT03' AND obdobi = '2024-01-01' AND p.dimenze = 'VEK1C' AND p.kod IS NOT NULL "
                             "AND radek IN (SELECT radek FROM datastat_polozky WHERE vyber = 'OBY02PT03' AND dimenze = 'POHL2' "
                             "AND kod IS NULL)")
    assert ages == pytest.approx(10_909_438)


def test_nez01t1_praha_kraj_and_okres_and_territorial_sums(selections):
    praha = query(selections, "SELECT kod, count(*) FROM datastat_polozky WHERE vyber = 'NEZ01T1' "
                              "AND popisek = 'Hlavní město Praha' GROUP BY 1 ORDER BY 1")
    assert praha == [("CZ010", 15), ("CZ0100", 15)]
    seekers = dict(query(selections, "SELECT CASE WHEN p.kod = 'CZ' THEN 'stat' WHEN length(p.kod) = 5 THEN 'kraje' "
                                     "ELSE 'okresy' END, sum(h.hodnota) FROM datastat_hodnoty h JOIN datastat_polozky p "
                                     "USING (vyber, radek) WHERE vyber = 'NEZ01T1' AND ukazatel_kod = '5973' GROUP BY 1"))
    assert seekers["stat"] == seekers["kraje"] == 279_227
    # okres Praha (CZ0100) has no values in the file (its 15 rows are empty): the okresy are ČR without Praha
    assert query(selections, "SELECT count(h.hodnota), count(*) FROM datastat_hodnoty h JOIN datastat_polozky p "
                             "USING (vyber, radek) WHERE vyber = 'NEZ01T1' AND p.kod = 'CZ0100'") == [(0, 15)]
    assert seekers["okresy"] == 279_227 - 27_425


def test_social_selections_keep_codes_and_totals(selections):
    orp = query(selections, "SELECT count(DISTINCT kod), min(length(kod)), max(length(kod)) FROM datastat_polozky "
                            "WHERE vyber = 'SZB07C' AND dimenze = 'UZ4K'")
    assert orp == [(206, 4, 4)]
    total = value(selections, f"SELECT hodnota FROM ({total_rows('SZB09B')})")
    ages = value(selections, "SELECT sum(h.hodnota) FROM datastat_hodnoty h JOIN datastat_polozky a USING (vyber, radek) "
                             "WHERE vyber = 'SZB09B' AND a.dimenze = 'VEKSZB' AND a.kod IS NOT NULL AND radek IN ("
                             "SELECT radek FROM datastat_polozky WHERE vyber = 'SZB09B' AND dimenze IN ('Pohlciz', 'sTZPRISPECE') "
                             "AND kod IS NULL GROUP BY radek HAVING count(*) = 2)")
    assert total == ages == 374_127
    sexes = query(selections, "SELECT DISTINCT kod, popisek FROM datastat_polozky WHERE vyber = 'SZB09B' "
                              "AND dimenze = 'Pohlciz' ORDER BY kod NULLS FIRST")
    assert sexes == [(None, "Celkem"), ("1", "Muži"), ("2", "Ženy")]  # schema says "muž"/"žena": same position
