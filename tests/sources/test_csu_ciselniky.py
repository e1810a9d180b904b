"""ČSÚ code lists and link tables: parsing the real files and rebuilding `obce` from them."""
from datetime import date
import io

import duckdb
import pandas as pd
import pytest

from builders import REPO, SHARED_REAL, STRUKTURA, real
from pipeline.core.errors import FormatError
from pipeline.sources import csu_ciselniky

CISELNIKY = SHARED_REAL / "csu" / "jlacko-RCzechia"

# file -> (table, rows)
REAL_FILES = {
    "CIS0043_CS.csv": ("ciselnik_polozky", 6258),
    "CIS0100_CS.csv": ("ciselnik_polozky", 15),
    "CIS0101_CS.csv": ("ciselnik_polozky", 78),
    "VAZ0043_0061_CS.csv": ("ciselnik_vazby", 6258),
    "VAZ0043_0065_CS.csv": ("ciselnik_vazby", 6258),
    "VAZ0043_0101_CS.csv": ("ciselnik_vazby", 6258),
    "VAZ0100_0101_CS.csv": ("ciselnik_vazby", 78),
}
CIS_HEADER = ["KODJAZ", "AKRCIS", "KODCIS", "CHODNOTA", "ZKRTEXT", "TEXT", "ADMPLOD", "ADMNEPO"]


def real_bytes(name: str) -> bytes:
    return real(CISELNIKY / name).read_bytes()


def csv_bytes(header: list[str], rows: list[list[str]], sep: str = ";", encoding: str = "cp1250") -> bytes:
    lines = [sep.join(header)] + [sep.join(f'"{value}"' for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def obec_row(code: str, name: str, valid_from: str = "01.03.2001") -> list[str]:
    return ["CS", "CISOB", "43", code, name, name, valid_from, "09.09.9999"]


@pytest.fixture(scope="module")
def parsed() -> dict[str, csu_ciselniky.Parsed]:
    return {name: csu_ciselniky.parse(real_bytes(name), name) for name in REAL_FILES}


@pytest.fixture(scope="module")
def obce(parsed) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute((REPO / "pipeline" / "warehouse" / "models" / "uzemi" / "schema.sql").read_text(encoding="utf-8"))
    for result in parsed.values():
        for table, df in result.tables.items():
            con.register("df", df)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM df")
            con.unregister("df")
    select = (REPO / "pipeline" / "warehouse" / "models" / "uzemi" / "obce_z_ciselniku.sql").read_text(encoding="utf-8")
    con.execute(f"INSERT INTO obce BY NAME {select}")
    return con.execute("SELECT * FROM obce").df().set_index("obec_kod", drop=False)


# --- real files -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_parses(name, parsed):
    table, rows = REAL_FILES[name]
    assert csu_ciselniky.sniff(real_bytes(name))
    assert list(parsed[name].tables) == [table]
    frame = parsed[name].tables[table]
    assert len(frame) == rows
    for column in [c for c in frame.columns if c.startswith(("kodcis", "chodnota"))]:
        assert frame[column].map(type).eq(str).all(), f"{column} must stay text"


def test_obce_code_list(parsed):
    items = parsed["CIS0043_CS.csv"].tables["ciselnik_polozky"].set_index("chodnota")
    assert items.loc["586846", "text"] == "Jihlava"
    assert items.loc["586846", "platnost_od"] == date(2001, 3, 1)
    assert items["platnost_do"].isna().all()  # 09.09.9999 = still valid = NULL
    assert items.index.str.fullmatch(r"\d{6}").all()
    assert parsed["CIS0043_CS.csv"].reference_date == max(items["platnost_od"])


def test_okres_and_kraj_codes(parsed):
    okresy = parsed["CIS0101_CS.csv"].tables["ciselnik_polozky"].set_index("chodnota")
    assert okresy.loc["40665", ["text", "cznuts", "kod_ruian"]].tolist() == ["Jihlava", "CZ0632", "3707"]
    kraje = parsed["CIS0100_CS.csv"].tables["ciselnik_polozky"].set_index("chodnota")
    assert kraje.loc["3107", ["text", "cznuts", "kod_ruian"]].tolist() == ["Kraj Vysočina", "CZ063", "108"]


def test_link_reference_date(parsed):
    content = real_bytes("VAZ0100_0101_CS.csv")
    assert csu_ciselniky.parse(content, "v.csv", date(2020, 6, 30)).reference_date == date(2020, 6, 30)
    assert parsed["VAZ0100_0101_CS.csv"].reference_date == date.today()


def test_okres_lau_replaces_missing_cznuts():
    frame = pd.read_csv(io.BytesIO(real_bytes("CIS0101_CS.csv")), sep=";", dtype=str, encoding="cp1250")
    without_nuts = frame.drop(columns="CZNUTS").to_csv(sep=";", index=False).encode("cp1250")
    okresy = csu_ciselniky.parse(without_nuts, "CIS0101.csv").tables["ciselnik_polozky"]
    assert okresy.set_index("chodnota").loc["40665", "cznuts"] == "CZ0632"


def test_newer_catalogue_layout():
    """Lower-case header, UTF-8 with BOM, comma, ISO dates: the same items as the iSMS export."""
    frame = pd.read_csv(io.BytesIO(real_bytes("CIS0100_CS.csv")), sep=";", dtype=str, encoding="cp1250")
    frame.columns = frame.columns.str.lower()
    for column in ("admplod", "admnepo"):
        frame[column] = pd.to_datetime(frame[column], format="%d.%m.%Y").dt.strftime("%Y-%m-%d")
    newer = frame.to_csv(index=False).encode("utf-8-sig")
    assert csu_ciselniky.sniff(newer)
    expected = csu_ciselniky.parse(real_bytes("CIS0100_CS.csv"), "CIS0100_CS.csv")
    result = csu_ciselniky.parse(newer, "cis100.csv")
    pd.testing.assert_frame_equal(result.tables["ciselnik_polozky"], expected.tables["ciselnik_polozky"])
    assert result.reference_date == expected.reference_date


def test_leading_zeros_kept():
    content = csv_bytes(CIS_HEADER, [obec_row("012345", "Nulová")]).replace(b'"012345"', b"012345")
    items = csu_ciselniky.parse(content, "c.csv").tables["ciselnik_polozky"]
    assert items["chodnota"].tolist() == ["012345"]


# --- obce rebuilt by SQL ----------------------------------------------------------------------

def test_jihlava(obce):
    jihlava = obce.loc["586846"]
    assert jihlava["obec_nazev"] == "Jihlava"
    assert (jihlava["orp_kod"], jihlava["orp_nazev"]) == ("6105", "Jihlava")
    assert (jihlava["pou_kod"], jihlava["pou_nazev"]) == ("61051", "Jihlava")
    assert (jihlava["okres_kod"], jihlava["okres_nazev"], jihlava["okres_lau_kod"]) == ("40665", "Jihlava", "CZ0632")
    assert jihlava["okres_ruian_kod"] == "3707"
    assert jihlava["kraj_kod"] == "3107" and "Vysočina" in jihlava["kraj_nazev"]
    assert (jihlava["kraj_nuts_kod"], jihlava["kraj_ruian_kod"]) == ("CZ063", "108")
    assert (jihlava["stat_kod"], jihlava["stat_nazev"], jihlava["zdroj"]) == ("CZ", "Česká republika", "csu_ciselniky")
    assert pd.Timestamp(jihlava["platnost_od"]).date() == date(2001, 3, 1)


def test_praha_is_its_own_orp_okres_kraj(obce):
    praha = obce.loc["554782"]
    assert (praha["orp_kod"], praha["orp_nazev"]) == ("1000", "Praha")
    assert (praha["okres_kod"], praha["okres_nazev"]) == ("40924", "Praha")
    assert (praha["kraj_kod"], praha["kraj_nazev"]) == ("3018", "Hlavní město Praha")
    for level in ("orp_kod", "okres_kod", "kraj_kod"):
        assert (obce[level] == praha[level]).sum() == 1


def test_whole_country(obce):
    assert 6200 <= len(obce) <= 6300
    levels = ["pou_kod", "orp_kod", "orp_nazev", "okres_kod", "okres_nazev", "kraj_kod", "kraj_nazev"]
    assert obce[levels].notna().all().all()
    assert obce["orp_kod"].nunique() == 206
    assert obce["okres_kod"].nunique() == 77
    assert obce["kraj_kod"].nunique() == 14


def test_agrees_with_struktura_uzemi_2025(obce):
    """The code lists are ~2020, the structure 2025: a handful of obce changed ORP in between."""
    struktura = pd.read_csv(real(STRUKTURA), dtype=str).set_index("obec_kod")
    common = obce.index.intersection(struktura.index)
    assert len(common) >= 6200
    differ = common[obce.loc[common, "orp_kod"] != struktura.loc[common, "orp_csu_cis65_kod"]]
    print(
        f"\n{len(differ)} of {len(common)} obce have another ORP in the 2025 structure than in the ~2020 "
        "code lists (moved to another ORP between the two editions):"
    )
    for code in differ:
        print(f"  {code} {obce.loc[code, 'obec_nazev']}: {obce.loc[code, 'orp_kod']} -> "
              f"{struktura.loc[code, 'orp_csu_cis65_kod']} ({struktura.loc[code, 'orp_text']})")
    assert len(differ) <= 20
    assert (obce.loc[common, "kraj_kod"] == struktura.loc[common, "kraj_csu_cis100_kod"]).all()


# --- bad inputs -----------------------------------------------------------------------------

def test_missing_column_names_the_expected_ones():
    header = [c for c in CIS_HEADER if c != "TEXT"]
    content = csv_bytes(header, [["CS", "CISOB", "43", "586846", "Jihlava", "01.03.2001", "09.09.9999"]])
    with pytest.raises(FormatError) as error:
        csu_ciselniky.parse(content, "c.csv")
    assert error.value.row == 1
    assert "chybí sloupce TEXT" in str(error.value)
    assert "KODCIS, CHODNOTA, ZKRTEXT, TEXT, ADMPLOD, ADMNEPO" in str(error.value)


def test_bad_date_points_at_its_row():
    rows = [obec_row("586846", "Jihlava"), obec_row("586854", "Arnolec"), obec_row("586862", "Batelov", "31.02.2001")]
    with pytest.raises(FormatError) as error:
        csu_ciselniky.parse(csv_bytes(CIS_HEADER, rows), "c.csv")
    assert error.value.row == 4
    assert "řádek 4" in str(error.value) and "31.02.2001" in str(error.value)


def test_empty_code():
    rows = [obec_row("586846", "Jihlava"), obec_row("", "Bez kódu")]
    with pytest.raises(FormatError, match="CHODNOTA") as error:
        csu_ciselniky.parse(csv_bytes(CIS_HEADER, rows), "c.csv")
    assert error.value.row == 3


def test_obec_linked_to_two_orp():
    content = real_bytes("VAZ0043_0065_CS.csv")
    extra = '"CS";"Odvozená vazba";"CISOB";43;"586846";"Jihlava";"CISORP";65;"6102";"Havlíčkův Brod"\r\n'
    with pytest.raises(FormatError, match="586846") as error:
        csu_ciselniky.parse(content + extra.encode("cp1250"), "VAZ0043_0065_CS.csv")
    assert error.value.row == REAL_FILES["VAZ0043_0065_CS.csv"][1] + 2
    assert "6105 a 6102" in str(error.value)


def test_sniff_rejects_other_files():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(CIS_HEADER)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    assert not csu_ciselniky.sniff(xlsx.getvalue())
    opendata = (
        '"idhod","hodnota","stapro_kod","pohlavi_cis","pohlavi_kod","vek_cis","vek_kod",'
        '"vuzemi_cis","vuzemi_kod","casref_do","pohlavi_txt","vek_txt","vuzemi_txt"\n'
        '"1","100","2470","102","1","7700","400000600005000","43","586846","2023-12-31","muž","0-4","Jihlava"\n'
    ).encode("utf-8")
    assert not csu_ciselniky.sniff(opendata)
    if STRUKTURA.exists():
        assert not csu_ciselniky.sniff(STRUKTURA.read_bytes()[:4000])
