"""ČSÚ open-data long format: the real ds_130185 file, a synthetic 130149-like file and broken inputs."""
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from builders import FIXTURES, REPO, SHARED_REAL, real
from pipeline.core.errors import FormatError
from pipeline.sources import csu_opendata
from pipeline.sources.csu_opendata import parse, parts_only, read_long_csv, sniff

DEATHS = SHARED_REAL / "csu" / "petrbouchal-czso-targets-test" / "ds_130185.csv"
CODE_LIST = SHARED_REAL / "csu" / "jlacko-RCzechia" / "CIS0100_CS.csv"
FIXTURE = FIXTURES / "synthetic_csu_opendata_obyvatele.csv"
SCHEMA = REPO / "pipeline" / "warehouse" / "models" / "populace" / "schema.sql"

HEADER = '"idhod","hodnota","stapro_kod","pohlavi_cis","pohlavi_kod","pohlavi_txt","rok"\r\n'


def real_bytes(path: Path) -> bytes:
    return real(path).read_bytes()


def population() -> bytes:
    return FIXTURE.read_bytes()


def small(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\r\n" for row in rows)).encode("utf-8")


def dimension(parsed, name: str) -> pd.DataFrame:
    items = parsed.tables["opendata_dimenze"]
    return items[items["dimenze"] == name].set_index("idhod")


# --- real file: deaths by week and age, ČR ---------------------------------------------------


def test_real_deaths_file_loads_every_row():
    content = real_bytes(DEATHS)
    parsed = parse(content, "ds_130185.csv")
    values = parsed.tables["opendata_hodnoty"]
    lines = content.decode("utf-8-sig").splitlines()
    assert len(values) == len(lines) - 1 == 3983
    assert list(values.columns) == csu_opendata.HODNOTY_COLUMNS
    assert list(parsed.tables["opendata_dimenze"].columns) == csu_opendata.DIMENZE_COLUMNS
    assert parsed.source_id == "csu_opendata"
    assert set(values["dataset"]) == {"130185"}
    assert parsed.reference_date == date(2021, 11, 28)
    # two dimensions (vek, vuzemi) per value
    assert parsed.tables["opendata_dimenze"].groupby("dimenze").size().to_dict() == {"vek": 3983, "vuzemi": 3983}


def test_real_deaths_spot_value():
    parsed = parse(real_bytes(DEATHS), "ds_130185.csv")
    row = parsed.tables["opendata_hodnoty"].set_index("idhod").loc["832459719"]
    assert row["hodnota"] == 9
    assert row["stapro_kod"] == "5393"
    assert row["obdobi"] == "2011-W01"
    assert row["obdobi_od"] == pd.Timestamp("2011-01-03")
    assert row["obdobi_do"] == pd.Timestamp("2011-01-09")
    age = dimension(parsed, "vek").loc["832459719"]
    assert (age["ciselnik"], age["kod"], age["text"]) == ("7700", "400000610015000", "0-14")
    territory = dimension(parsed, "vuzemi").loc["832459719"]
    assert (territory["ciselnik"], territory["kod"]) == ("97", "19")
    assert pd.isna(territory["text"])  # the file has no vuzemi_txt


def test_real_deaths_age_totals_are_not_parts():
    content = real_bytes(DEATHS)
    frame = read_long_csv(content)
    totals = frame[frame["vek_kod"].isna()]
    parts = parts_only(frame, "vek")
    assert len(totals) == frame["roktyden"].nunique()  # one total ("celkem") per week
    assert set(totals["vek_txt"]) == {"celkem"}
    assert len(parts) == 6 * len(totals) and parts["vek_kod"].notna().all()
    by_week = parts.groupby("roktyden")["hodnota"].sum()
    assert (by_week == totals.set_index("roktyden")["hodnota"]).all()
    # adding the totals would double the count
    assert frame["hodnota"].sum() == 2 * parts["hodnota"].sum()
    stored = dimension(parse(content, "ds_130185.csv"), "vek")
    assert stored["kod"].isna().sum() == len(totals)
    assert stored.loc[totals["idhod"], "kod"].isna().all()


# --- synthetic 130149-like population --------------------------------------------------------


def test_synthetic_population_parts_add_up_to_totals():
    parsed = parse(population(), "130149-obyvatele.csv")
    values = parsed.tables["opendata_hodnoty"].set_index("idhod")
    sex = dimension(parsed, "pohlavi")
    territory = dimension(parsed, "vuzemi")
    joined = values.join(sex["kod"].rename("pohlavi")).join(territory[["ciselnik", "kod"]])
    assert set(joined["ciselnik"]) == {"97", "100", "101", "65", "43"}
    totals = joined[joined["pohlavi"].isna()].set_index(["ciselnik", "kod", "obdobi"])["hodnota"]
    parts = joined[joined["pohlavi"].notna()].groupby(["ciselnik", "kod", "obdobi"])["hodnota"].sum()
    assert len(totals) == 10
    assert parts.sort_index().equals(totals.sort_index())
    assert totals.loc[("97", "19", "2022")] == 10_500_000


def test_synthetic_population_periods_and_metadata():
    parsed = parse(population(), "ds_130149.csv")
    values = parsed.tables["opendata_hodnoty"]
    assert parsed.reference_date == date(2023, 12, 31)
    assert set(values["dataset"]) == {"130149"}
    assert set(values["obdobi"]) == {"2022", "2023"}
    first = values.iloc[0]
    assert (first["obdobi_od"], first["obdobi_do"]) == (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    assert set(values["vuk_text"]) == {"Počet obyvatel"}
    assert set(values["stapro_kod"]) == {"2406"}
    assert parse(population(), "ds_130149.csv", reference_date=date(2024, 1, 1)).reference_date == date(2024, 1, 1)


def test_tables_load_into_the_warehouse_schema():
    parsed = parse(population(), "ds_130149.csv")
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    for name, table in parsed.tables.items():
        con.register("parsed", table)
        con.execute(f"INSERT INTO {name} SELECT * FROM parsed")
    assert con.execute("SELECT count(*), count(kod) FROM opendata_dimenze WHERE dimenze = 'pohlavi'").fetchone() == (30, 20)
    assert con.execute("SELECT max(obdobi_do) FROM opendata_hodnoty").fetchone() == (date(2023, 12, 31),)


def test_parts_only_removes_totals():
    frame = read_long_csv(population())
    parts = parts_only(frame, "pohlavi")
    assert len(frame) == 30 and len(parts) == 20
    assert set(parts["pohlavi_kod"]) == {"1", "2"}
    assert parts_only(frame, "vuzemi").equals(frame)  # no territory total rows
    with pytest.raises(KeyError):
        parts_only(frame, "vek")


def test_cp1250_and_semicolons_give_the_same_tables():
    expected = parse(population(), "ds_130149.csv")
    text = population().decode("utf-8-sig")
    for variant in (text.encode("cp1250"), text.replace('","', '";"').encode("cp1250")):
        assert sniff(variant)
        got = parse(variant, "ds_130149.csv")
        for name, table in expected.tables.items():
            pd.testing.assert_frame_equal(got.tables[name], table)


def test_vuk_txt_is_accepted_as_vuk_text():
    content = population().replace(b'"vuk_text"', b'"vuk_txt"')
    values = parse(content, "ds_130149.csv").tables["opendata_hodnoty"]
    assert set(values["vuk_text"]) == {"Počet obyvatel"}
    assert set(values["vuk"]) == {"DEM0001"}


def test_census_uzemi_and_casref_do_only():
    content = (
        '"idhod","hodnota","stapro_kod","uzemi_cis","uzemi_kod","casref_do","uzemi_txt"\n'
        '"1","100","2406","43","586846","2021-03-26","Jihlava"\n'
    ).encode("utf-8")
    parsed = parse(content, "sldb2021.csv")
    values = parsed.tables["opendata_hodnoty"]
    assert values.loc[0, "obdobi"] == "2021-03-26"
    assert values.loc[0, "obdobi_od"] == values.loc[0, "obdobi_do"] == pd.Timestamp("2021-03-26")
    assert set(values["dataset"]) == {"neznamy"}
    assert parsed.tables["opendata_dimenze"]["dimenze"].tolist() == ["uzemi"]


def test_month_without_combined_column_is_an_interval():
    content = (
        "idhod,hodnota,stapro_kod,rok,casref_od,casref_do\n"
        "1,5,5393,2021,2021-01-01,2021-01-31\n"
        "2,,5393,2021,2021-01-01,2021-12-31\n"
    ).encode("utf-8")
    values = parse(content, "x.csv").tables["opendata_hodnoty"]
    assert values["obdobi"].tolist() == ["2021-01-01/2021-01-31", "2021"]
    assert pd.isna(values.loc[1, "hodnota"])  # an empty value is missing, not an error


@pytest.mark.parametrize(
    ("filename", "dataset"),
    [("ds_130185.csv", "130185"), ("130141-22data2021.csv", "130141"), ("data/raw/x/ds_130149.csv", "130149"), ("obyvatele.csv", "neznamy")],
)
def test_dataset_from_filename(filename, dataset):
    assert csu_opendata.dataset_from_filename(filename) == dataset


# --- broken inputs ---------------------------------------------------------------------------


def test_missing_hodnota_column_is_named():
    content = population().replace(b'"hodnota",', b'"pocet",')
    with pytest.raises(FormatError) as caught:
        parse(content, "ds_130149.csv")
    assert caught.value.row == 1
    assert "hodnota" in str(caught.value) and "očekáván" in str(caught.value)


def test_missing_period_column_is_named():
    content = b"idhod,hodnota,stapro_kod\n1,5,2406\n"
    with pytest.raises(FormatError, match="rok/casref_od/casref_do/obdobi"):
        parse(content, "x.csv")


def test_non_numeric_value_reports_its_line():
    content = small('"1","10","2406","102","1","muž","2022"', '"2","deset","2406","102","2","žena","2022"')
    with pytest.raises(FormatError) as caught:
        parse(content, "x.csv")
    assert caught.value.row == 3
    assert "řádek 3" in str(caught.value) and "deset" in str(caught.value)


def test_duplicate_idhod_reports_its_line():
    content = small('"1","10","2406","102","1","muž","2022"', '"2","11","2406","102","2","žena","2022"', '"1","21","2406","","","","2022"')
    with pytest.raises(FormatError, match="idhod 1") as caught:
        parse(content, "x.csv")
    assert caught.value.row == 4


def test_ragged_line_reports_its_line():
    content = small('"1","10","2406","102","1","muž","2022"', '"2","11","2406","102","2","žena","2022","navíc"')
    with pytest.raises(FormatError, match="neodpovídá záhlaví") as caught:
        parse(content, "x.csv")
    assert caught.value.row == 3


def test_bad_year_reports_its_line():
    content = small('"1","10","2406","102","1","muž","2022"', '"2","11","2406","102","2","žena","22"')
    with pytest.raises(FormatError, match="není rok") as caught:
        parse(content, "x.csv")
    assert caught.value.row == 3


def test_kod_without_label_or_code_list():
    content = b"idhod,hodnota,stapro_kod,rok,vek_kod\n1,5,5393,2021,400000610015000\n"
    with pytest.raises(FormatError, match="vek_txt") as caught:
        parse(content, "x.csv")
    assert caught.value.row == 1


@pytest.mark.parametrize(
    "content",
    [
        b'"idhod","hodnota","stapro_kod","rok"\n"1","5","\x81\x98","2021"\n',  # bytes undefined in UTF-8 and cp1250
        '"idhod","hodnota","stapro_kod","rok"\n"1","5","2406","2021"\n'.encode("utf-16"),
    ],
)
def test_undecodable_bytes_are_rejected(content):
    with pytest.raises(FormatError, match="UTF-8 ani cp1250"):
        parse(content, "x.csv")


# --- sniff -----------------------------------------------------------------------------------


def test_sniff_accepts_long_format_headers():
    assert sniff(population())
    assert sniff(real_bytes(DEATHS))
    assert sniff(b"IDHOD;Hodnota;STAPRO_KOD;rok\r\n1;5;2406;2021\r\n")
    assert sniff("idhod,hodnota,stapro_kod,vuzemi_txt\nx,1,2,Žďár\n".encode("cp1250"))


def test_sniff_rejects_other_files():
    assert not sniff(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    assert not sniff(b"KODJAZ;AKRCIS;KODCIS;CHODNOTA;ZKRTEXT;TEXT\r\n")
    assert not sniff(b"idhod,hodnota,vuzemi_kod\n1,2,3\n")
    assert not sniff(b"")
    assert not sniff(real_bytes(CODE_LIST))
