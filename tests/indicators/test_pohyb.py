"""Movement indicators from ČSÚ open data 130141 (tests/fixtures/synthetic_csu_130141_jihlava.csv: the layout of
../shared/data/real/csu/vaclavstibor-NDBI046/130141-22schema2021.json, the real stocks k 1. 1. of three obce of ORP
Jihlava, of the ORP, the kraj and ČR, made-up flows that balance). Every value is recomputed here from the CSV."""
import csv
import io
import json

import pandas as pd
import pytest

from builders import (
    FIXTURES,
    JIHLAVA,
    JIHLAVKA,
    LUKA,
    SHARED_REAL,
    copy_data_dir,
    invoke_sprss,
    query,
    synthetic_territory_data_dir,
    write_publication,
)
from pipeline.core.territory import Area, resolve
from pipeline.indicators import pohyb
from pipeline.indicators.metadata import movement_catalogue
from pipeline.sources import csu_opendata
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

MOVEMENT = FIXTURES / "synthetic_csu_130141_jihlava.csv"
CODES = ["zive_narozeni", "zemreli", "prirozeny_prirustek", "pristehovali", "vystehovali", "prirustek_stehovanim",
         "celkovy_prirustek", "stredni_stav", "mira_porodnosti", "mira_umrtnosti", "mira_prirozeneho_prirustku",
         "mira_migracniho_salda", "mira_celkoveho_prirustku"]
STAPRO = {"5389": "b", "5393": "d", "5403": "i", "5404": "e", "9379": "m"}


def fixture_flows() -> dict[tuple[str, str, int], dict[str, float]]:
    """(vuzemi_cis, vuzemi_kod, year) -> flows and mid-year population, read with the csv module."""
    flows: dict[tuple[str, str, int], dict[str, float]] = {}
    with MOVEMENT.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["stapro_kod"] in STAPRO:
                key = (row["vuzemi_cis"], row["vuzemi_kod"], int(row["rok"]))
                flows.setdefault(key, {})[STAPRO[row["stapro_kod"]]] = float(row["hodnota"])
    return flows


def expected(values: dict[str, float], gross: bool = True) -> dict[str, float]:
    b, d, m, net = values["b"], values["d"], values["m"], values["net"]
    result = {"zive_narozeni": b, "zemreli": d, "prirozeny_prirustek": b - d, "prirustek_stehovanim": net,
              "celkovy_prirustek": b - d + net, "stredni_stav": m, "mira_porodnosti": b / m * 1000,
              "mira_umrtnosti": d / m * 1000, "mira_prirozeneho_prirustku": (b - d) / m * 1000,
              "mira_migracniho_salda": net / m * 1000, "mira_celkoveho_prirustku": (b - d + net) / m * 1000}
    if gross:
        result |= {"pristehovali": values["i"], "vystehovali": values["e"]}
    return result


@pytest.fixture(scope="module")
def movement_data(tmp_path_factory):
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("pohyb") / "data")
    result = invoke_sprss("import", MOVEMENT, data=data)
    assert result.returncode == 0, result.stderr
    return data


def table_of(data, selector: str, level: str = "vse") -> pd.DataFrame:
    result = invoke_sprss("indicators", "--territory", selector, "--level", level, data=data)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str, "obdobi": str})


def values_of(table: pd.DataFrame, typ: str, kod: str, obdobi: str) -> dict[str, float]:
    hit = table[(table.uzemi_typ == typ) & (table.uzemi_kod == kod) & (table.obdobi == obdobi)
                & table.ukazatel.isin(CODES)]
    return dict(zip(hit["ukazatel"], hit["hodnota"], strict=True))


def test_codes_are_exactly_the_issues():
    assert [i.kod for i in movement_catalogue()] == CODES


def test_obce_orp_kraj_cr_match_the_published_rows(movement_data):
    flows = fixture_flows()
    table = table_of(movement_data, "orp:6105")
    for (cis, kod, year), values in flows.items():
        typ = {"43": "obec", "65": "orp", "100": "kraj", "97": "stat"}[cis]
        shown = "CZ" if typ == "stat" else kod
        got = values_of(table, typ, shown, f"{year}-12-31")
        want = expected(values | {"net": values["i"] - values["e"]})
        assert got == pytest.approx(want, rel=1e-12), (typ, kod, year)
    # obdobi of a year's flow is its last day
    assert set(table.loc[table.ukazatel == "zive_narozeni", "obdobi"]) == {f"{y}-12-31" for y in range(2018, 2023)}


def test_custom_territory_sums_obce_and_has_net_migration_only(movement_data, tmp_path):
    flows = fixture_flows()
    selector = tmp_path / "trojice.yaml"
    selector.write_text("nazev: Trojice\nobce: [586846, 587290, 587478]\noblasti:\n  Malé: [587290]\n", encoding="utf-8")
    table = table_of(movement_data, str(selector))
    for year in range(2018, 2023):
        parts = [flows[("43", kod, year)] for kod in ("586846", "587290", "587478")]
        summed = {k: sum(p[k] for p in parts) for k in ("b", "d", "m")} | {"net": sum(p["i"] - p["e"] for p in parts)}
        got = values_of(table, "vlastni", "trojice", f"{year}-12-31")
        assert got == pytest.approx(expected(summed, gross=False), rel=1e-12)
        assert "pristehovali" not in got and "vystehovali" not in got
        small = values_of(table, "oblast", "male", f"{year}-12-31")
        assert set(small) == set(CODES) - {"pristehovali", "vystehovali"}
    area = Area("vlastni", "trojice", "Trojice", ("586846",))
    assert "jen přírůstek stěhováním" in pohyb.gross_migration_note(area)
    assert pohyb.gross_migration_note(Area("orp", "6105", "Jihlava", ("586846",))) is None
    assert pohyb.gross_migration_note(Area("pou", "41041", "Kraslice", ("560472",))).startswith(
        "Za území POÚ Kraslice se uvádí")  # 'Za území Kraslice' named no level


def test_five_year_sums_of_a_small_obec(movement_data):
    flows = fixture_flows()
    with warehouse.connect(movement_data) as con:
        obce = load_obce(con)
        counts = pohyb.counts(con, [resolve("obec:587290", obce).area, resolve("orp:6105", obce).area])
    sums = pohyb.five_year_sums(counts).set_index("uzemi_kod")
    years = [flows[("43", "587290", y)] for y in range(2018, 2023)]
    births, mid = sum(v["b"] for v in years), sum(v["m"] for v in years)
    assert (sums.loc["587290", "od"], sums.loc["587290", "do"], sums.loc["587290", "roku"]) == (2018, 2022, 5)
    assert sums.loc["587290", "zive_narozeni"] == births
    assert sums.loc["587290", "mira_porodnosti"] == pytest.approx(births / mid * 1000)
    assert sums.loc["587290", "prirustek_stehovanim"] == sum(v["i"] - v["e"] for v in years)
    assert sums.loc["6105", "roku"] == 1  # the ORP row of one year only: summed as one year, and says so


def test_failing_balance_is_one_czech_line_and_nothing_is_stored(movement_data, tmp_path):
    content = MOVEMENT.read_text(encoding="utf-8").replace('"900000006","1168"', '"900000006","1167"')
    bad = tmp_path / "synthetic_csu_130141_bad.csv"
    bad.write_text(content, encoding="utf-8")
    before = sorted(str(p) for p in movement_data.raw.rglob("*"))
    result = invoke_sprss("import", bad, data=movement_data)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "řádek 8" in lines[0] and "obec 586846 (Jihlava), rok 2018" in lines[0]
    assert ("stav k 31. 12. 50\u202f845 ≠ stav k 1. 1. 50\u202f724 + živě narození 493 − zemřelí 587 + přistěhovalí "
            "1\u202f383 − vystěhovalí 1\u202f167 (= 50\u202f846)") in lines[0]
    assert sorted(str(p) for p in movement_data.raw.rglob("*")) == before


def test_open_data_and_publication_disagreeing_on_a_date_is_one_line(movement_data, tmp_path):
    """130149 k 31. 12. 2023 says 52 601 for Jihlava, the publication k 31. 12. 2023 (written here) 52 600."""
    data = copy_data_dir(movement_data, tmp_path / "data")
    publication = write_publication(tmp_path / "synthetic_obyvatele.xlsx", [JIHLAVA, JIHLAVKA, LUKA],
                                    date_text="31. 12. 2023")
    assert invoke_sprss("import", publication, data=data).returncode == 0
    stocks = tmp_path / "synthetic_csu_130149_jihlava.csv"
    stocks.write_text(
        '"idhod","hodnota","stapro_kod","pohlavi_cis","pohlavi_kod","vuzemi_cis","vuzemi_kod","casref_do",'
        '"pohlavi_txt","vuzemi_txt"\n'
        '"1","52601","2406","","","43","586846","2023-12-31","","Jihlava"\n'
        '"2","250","2406","","","43","587290","2023-12-31","","Jihlávka"\n', encoding="utf-8")
    result = invoke_sprss("import", stocks, data=data)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "586846, 2023-12-31, celkem, csu_opendata:130149, csu_pocet_obyvatel, 1" in line
    assert query(data, "SELECT count(*) FROM opendata_hodnoty WHERE dataset = '130149'") == [(0,)]


def test_real_130141_schema_columns_are_the_fixture_header():
    schema = SHARED_REAL / "csu" / "vaclavstibor-NDBI046" / "130141-22schema2021.json"
    if not schema.exists():
        pytest.skip(f"potřebuje reálné soubory z ../shared: {schema}")
    columns = [c["name"] for c in json.loads(schema.read_text(encoding="utf-8-sig"))["tableSchema"]["columns"]]
    with MOVEMENT.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == columns
    assert csu_opendata.sniff(MOVEMENT.read_bytes())


def test_transfer_found_from_the_open_data_stock_of_31_december(movement_data, tmp_path):
    """130141 ends 2022 with Jihlava 52 548 and Luka nad Jihlavou 3 110; a publication k 1. 1. 2023 with 52 558 and
    3 100 means 10 persons moved with a boundary change, not growth (series breaks of both obce)."""
    from builders import Obec
    data = copy_data_dir(movement_data, tmp_path / "data")
    publication = write_publication(tmp_path / "synthetic_obyvatele_2023.xlsx",
                                    [Obec("586846", "Jihlava", 25_600, 26_958), Obec("587290", "Jihlávka", 95, 100),
                                     Obec("587478", "Luka nad Jihlavou", 1_550, 1_550)], date_text="1. 1. 2023")
    result = invoke_sprss("import", publication, data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT obec_kod, CAST(obdobi AS TEXT), pocet, protistrana_kod FROM obce_zlomy "
                       "WHERE druh = 'prevod' ORDER BY 1") == [("586846", "2023-01-01", 10, "587478"),
                                                                ("587478", "2023-01-01", -10, "586846")]
