"""FIN 2-12 M extracts of the Monitor státní pokladny: the real decoded extract of Střelice, the raw FINM201 layout
(written from the real file in the documented 2015 layout, and the synthetic fixtures of both raw layouts), the IČO
placement, and every kind of bad input refused with one Czech line and nothing stored."""
from collections import defaultdict
import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from builders import copy_data_dir, query, raw_listing, real, run_sprss, synthetic_territory_data_dir
from finm_support import DECODED_TREST, PLACEMENT, RAW_2023, RAW_2024, RAW_HEADER, STRELICE, decoded_social, parsed_social, raw_social
from pipeline.core.errors import FormatError
from pipeline.sources import detect, mf_finm, prirazeni_ico

# ---------------------------------------------------------------- the real decoded extract


def test_strelice_extract_gives_its_social_spending_per_year_exactly():
    path = real(STRELICE)
    content = path.read_bytes()
    assert detect(content, path.name) is mf_finm
    parsed = mf_finm.parse(content, path.name)
    table = parsed.tables[mf_finm.TABLE]
    assert parsed.reference_date == date(2025, 12, 31)
    assert len(table) == 4635 and set(table["ico"]) == {"00282618"} and sorted(set(table["rok"])) == list(range(2013, 2026))
    expected = decoded_social(path)
    assert parsed_social(table).keys() == expected.keys()
    for key, values in expected.items():
        assert parsed_social(table)[key] == pytest.approx(values, abs=1e-6)
    # the one trailing-minus amount of the file (2018, § 6399, položka 5362)
    negative = table[(table["rok"] == 2018) & (table["paragraf"] == "6399") & (table["polozka"] == "5362")]
    assert negative["skutecnost"].tolist() == [-11718.0]


def write_raw_from_decoded(decoded: Path, folder: Path) -> list[Path]:
    """The real decoded extract rewritten as raw FINM201 files, one per year, in the documented 2015 layout:
    IČO NUMC 10 with leading zeros, table 000100/000200, period rrrr012, trailing minus for negative amounts."""
    by_year: dict[str, list[str]] = defaultdict(list)
    with open(decoded, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            amounts = [row[c] if not row[c].startswith("-") else row[c][1:] + "-" for c in mf_finm.AMOUNTS]
            by_year[row["rok"]].append(";".join([
                "051", "000100" if row["ci_type"] == "2" else "000200", f"{row['rok']}012", "1234", row["ico"].zfill(10),
                "CZ064", "CZ0643", row["ci_type"], row["paragraf"], row["polozka"], *amounts]))
    paths = []
    for year, lines in sorted(by_year.items()):
        path = folder / f"FINM201_{year}012.csv"
        path.write_text(RAW_HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_the_raw_layout_of_the_same_budget_gives_the_same_table(tmp_path):
    decoded = mf_finm.parse(real(STRELICE).read_bytes()).tables[mf_finm.TABLE]
    raw_files = write_raw_from_decoded(STRELICE, tmp_path)
    assert len(raw_files) == 13
    parts = []
    for path in raw_files:
        assert detect(path.read_bytes(), path.name) is mf_finm
        parsed = mf_finm.parse(path.read_bytes(), path.name)
        assert parsed.reference_date == date(int(path.stem[8:12]), 12, 31)
        parts.append(parsed.tables[mf_finm.TABLE])
    from_raw = pd.concat(parts, ignore_index=True)
    keys = ["ico", "rok", "typ", "paragraf", "polozka"]
    left = decoded.drop(columns="paragraf_nazev").sort_values(keys).reset_index(drop=True)
    right = from_raw.drop(columns="paragraf_nazev").sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


# ---------------------------------------------------------------- synthetic raw layouts


@pytest.mark.parametrize("path", [RAW_2023, RAW_2024], ids=["layout_2015", "layout_newer"])
def test_both_raw_layouts_are_read_by_column_code(path, tmp_path):
    content = path.read_bytes()
    assert detect(content, path.name) is mf_finm
    parsed = mf_finm.parse(content, path.name)
    table = parsed.tables[mf_finm.TABLE]
    year = int(path.stem.split("_")[2])
    assert parsed.reference_date == date(year, 12, 31)
    assert set(table["rok"]) == {year}
    assert {"00990011", "00990012", "00990013"} <= set(table["ico"])  # NUMC 10 and 8 digits give the same IČO
    copy = tmp_path / path.name
    copy.write_bytes(content)
    expected = raw_social(copy)
    got = parsed_social(table)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == pytest.approx(expected[key], abs=1e-6)


def test_trailing_minus_and_excluded_transfers_in_the_synthetic_file():
    table = mf_finm.parse(RAW_2023.read_bytes()).tables[mf_finm.TABLE]
    jihlava = table[(table["ico"] == "00990011") & (table["paragraf"] == "4359")]
    assert dict(zip(jihlava["polozka"], jihlava["skutecnost"], strict=True)) == {"5345": 100000.0, "5169": -11718.0}
    assert parsed_social(table)[("00990011", 2023)]["skutecnost"] == pytest.approx(
        2054321.50 + 511000.00 + 8200000.00 + 350000.00 - 11718.00)


# ---------------------------------------------------------------- bad input


def raw_line(**changes: str) -> str:
    value = {"vykaz": "051", "vtab": "000200", "obdobi": "2023012", "ico": "0000990011", "ci": "3", "par": "4351",
             "pol": "5011", "a": "1.00", "b": "2.00", "c": "3.00"} | changes
    return ";".join([value["vykaz"], value["vtab"], value["obdobi"], "1011", value["ico"], "CZ063", "CZ0632", value["ci"],
                     value["par"], value["pol"], value["a"], value["b"], value["c"]])


def raw_file(*lines: str) -> bytes:
    return (RAW_HEADER + "\n" + raw_line() + "\n" + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("line", "message"), [
    (raw_line(obdobi="2023009", pol="5021"), "neúplný rok: extrakt je za období 9/2023 (leden až září)"),
    (raw_line(vykaz="063", pol="5021"), "výkaz 063 (FIN 2-12 M od roku 2026"),
    (raw_line(vykaz="052", pol="5021"), "neznámý výkaz '052'"),
    (raw_line(vtab="000300", pol="5021"), "neznámá tabulka výkazu '000300'"),
    (raw_line(par="0000", pol="5021"), "neznámý paragraf '0000'"),
    (raw_line(par="9999", pol="5021"), "neznámý paragraf '9999'"),
    (raw_line(par="43511"), "neznámý paragraf '43511'"),
    (raw_line(pol="1111"), "neznámá položka '1111'"),
    (raw_line(pol="5021", c="1 500,00"), "částka '1 500,00' nemá tvar čísla"),
    (raw_line(pol="5021", c="-15.00-"), "částka '-15.00-' nemá tvar čísla"),
    (raw_line(pol="5021", c=""), "částka '' nemá tvar čísla"),
    (raw_line(pol="5021", ico="12345678901"), "IČO '12345678901' není nejvýše osmimístné číslo"),
    (raw_line(pol="5021", ci="2"), "typ položky 0CI_TYPE '2' neodpovídá tabulce 000200"),
    (raw_line(ico="00990011"), "duplicitní řádek (IČO 00990011, rok 2023, paragraf 4351, položka 5011)"),
])
def test_bad_rows_are_one_czech_line_with_the_row(line, message):
    with pytest.raises(FormatError) as caught:
        mf_finm.parse(raw_file(line), "FINM201_bad.csv")
    assert message in str(caught.value)
    assert caught.value.row == 3
    assert "\n" not in str(caught.value)


def test_decoded_extract_refuses_a_malformed_number_and_names_missing_columns():
    header = DECODED_TREST.read_text(encoding="utf-8-sig").splitlines()[0]
    with pytest.raises(FormatError, match="chybí sloupce skutecnost"):
        mf_finm.parse((header.rsplit(";", 1)[0] + "\n").encode())
    line = "2021;00990014;3;4351;x;;;5011;;;;;;1200000,00;1250000.00;1234567.89"
    with pytest.raises(FormatError, match="částka '1200000,00'") as caught:
        mf_finm.parse((header + "\n" + line + "\n").encode())
    assert caught.value.row == 2


# ---------------------------------------------------------------- import: placement, nothing stored on failure


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    return synthetic_territory_data_dir(tmp_path_factory)


def test_import_with_obec_places_a_one_municipality_extract(territory, tmp_path):
    data = copy_data_dir(territory, tmp_path / "data")
    result = run_sprss("import", DECODED_TREST, "--obec", "588032", data=data)
    assert result.returncode == 0, result.stderr
    assert "Upozornění" not in result.stderr
    assert query(data, "SELECT * FROM financovani_prirazeni") == [("00990014", "588032")]
    stored = query(data, "SELECT rok, socialni_skutecnost FROM financovani_obec_rok WHERE obec_kod = '588032' ORDER BY rok")
    expected = decoded_social(DECODED_TREST)
    assert stored == [(rok, pytest.approx(expected[("00990014", rok)]["skutecnost"])) for rok in (2021, 2022, 2023)]
    placement = data.raw / "prirazeni_ico" / "2023-12-31" / "synthetic_finm201_dekodovany_trest.prirazeni.csv"
    assert prirazeni_ico.parse(placement.read_bytes()).tables[prirazeni_ico.TABLE].values.tolist() == [["00990014", "588032"]]
    again = run_sprss("build", data=data)  # the placement is a snapshot: a rebuild places the IČO again
    assert again.returncode == 0 and query(data, "SELECT count(*) FROM financovani_obec_rok") == [(3,)]


def test_unplaced_ico_are_named_in_one_line(territory, tmp_path):
    data = copy_data_dir(territory, tmp_path / "data")
    result = run_sprss("import", RAW_2023, PLACEMENT, data=data)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Upozornění")]
    assert warnings == ["Upozornění: rozpočet účetní jednotky s IČO 00990099 se nezapočítává do žádného území, protože "
                        "IČO není přiřazeno k obci; přiřaďte ho volbou --obec nebo souborem se záhlavím ico;obec_kod."]


@pytest.mark.parametrize(("args", "message"), [
    (["--obec", "586846", RAW_2023], "obsahuje 4 IČO (00990011, 00990012, 00990013, 00990099); volba --obec přiřazuje jen "
                                     "extrakt jedné obce"),
    (["--obec", "999999", DECODED_TREST], "tabulka financovani_ico_obec, sloupec obec_kod: 1 řádek"),
    (["--obec", "586846", PLACEMENT], "ale žádný z importovaných souborů jím není"),
    ([RAW_2023, PLACEMENT, "synthetic_finm201_copy"], "tabulka financovani_rozpocet, sloupce ico, rok, typ, paragraf, polozka"),
])
def test_failed_imports_store_nothing(territory, tmp_path, args, message):
    data = copy_data_dir(territory, tmp_path / "data")
    copy = tmp_path / "FINM201_2023012.csv"  # the same year again, one amount changed (so not the same file)
    copy.write_text(RAW_2023.read_text(encoding="utf-8").replace("2054321.50", "2054321.60", 1), encoding="utf-8")
    args = [copy if a == "synthetic_finm201_copy" else a for a in args]
    before = raw_listing(data)
    result = run_sprss("import", *args, data=data)
    assert result.returncode == 1
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
    assert raw_listing(data) == before


def test_a_bad_file_is_refused_by_the_command_line(territory, tmp_path):
    data = copy_data_dir(territory, tmp_path / "data")
    bad = tmp_path / "FINM201_2025009.csv"
    bad.write_bytes(raw_file(raw_line(obdobi="2025009", pol="5021")))
    before = raw_listing(data)
    result = run_sprss("import", bad, data=data)
    assert result.returncode == 1
    assert result.stderr.strip() == ("Chyba: soubor FINM201_2025009.csv, řádek 3: neúplný rok: extrakt je za období "
                                     "9/2025 (leden až září), částky jsou kumulované od začátku roku; importujte extrakt "
                                     "za prosinec")
    assert raw_listing(data) == before
