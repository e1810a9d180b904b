"""`sprss import` / `sprss build`: raw snapshots with provenance, one transaction per build, bad inputs that
leave data/raw and the warehouse exactly as they were, and a rebuild that gives the same tables."""
from datetime import date
import json
import stat

import pytest

from builders import (
    AGE_PRAHA,
    JIHLAVA,
    JIHLAVKA,
    PRAHA,
    PUBLICATIONS,
    REAL_IMPORT,
    AgeObec,
    Obec,
    PublicationLayout,
    age_rows,
    copy_data_dir,
    differing_tables,
    flat_bands,
    invoke_sprss,
    publication_rows,
    query,
    raw_listing,
    real,
    run_sprss,
    sha256,
    small_data_dir,
    synthetic_territory_data_dir,
    table_counts,
    write_age_table,
    write_publication,
)
from pipeline.core.text import fold


@pytest.fixture
def territory_only(tmp_path_factory, tmp_path):
    return copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path / "data")


@pytest.fixture
def small(tmp_path_factory, tmp_path):
    """Territory + a synthetic publication k 1. 1. 2024; a private copy for each test."""
    return copy_data_dir(small_data_dir(tmp_path_factory), tmp_path / "data")


def fingerprint(data) -> tuple:
    return sha256(data.warehouse), raw_listing(data), table_counts(data)


def one_czech_error_line(result) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("Chyba:"), result.stderr
    assert "\n" not in message, result.stderr
    return message


# --- the real warehouse ------------------------------------------------------------------------------


def test_real_import_keeps_every_file_as_snapshot(real_warehouse):
    expected = {
        "csu_struktura_uzemi/2025-01-01/struktura_uzemi_cr_2025.csv",
        *(f"csu_pocet_obyvatel/{year}-01-01/population_{year}.xlsx" for year in PUBLICATIONS),
        "csu_vekove_slozeni/2020-12-31/2020_vek_do_999.xlsx",
        "csu_vekove_slozeni/2020-12-31/2020_vek_nad_1000.xlsx",
    }
    listing = raw_listing(real_warehouse)
    assert set(listing) == expected | {f"{p}.provenance.json" for p in expected}
    originals = {path.name: sha256(path) for path in REAL_IMPORT}
    for name in expected:
        assert listing[name] == originals[name.rsplit("/", 1)[1]]


def test_real_warehouse_tables(real_warehouse):
    counts = table_counts(real_warehouse)
    assert counts["obce"] == 6258
    assert counts["populace_celkem"] == 5 * 3 * 6258  # four publications + totals of the age tables
    assert counts["provenience"] == 7
    dates = query(real_warehouse, "SELECT obdobi, zdroj, sum(pocet) FROM populace_celkem WHERE pohlavi = 'celkem' "
                             "GROUP BY ALL ORDER BY ALL")
    assert dates == [(date(2020, 1, 1), "csu_pocet_obyvatel", 10_693_939),
                     (date(2020, 12, 31), "csu_vekove_slozeni", 10_701_777),
                     (date(2021, 1, 1), "csu_pocet_obyvatel", 10_701_777),
                     (date(2022, 1, 1), "csu_pocet_obyvatel", 10_516_707),
                     (date(2023, 1, 1), "csu_pocet_obyvatel", 10_827_529)]


def test_real_warehouse_age_figures_and_index_stari(real_warehouse):
    (total, young, old, oldest) = query(real_warehouse, """
        SELECT sum(pocet), sum(pocet) FILTER (vek_do <= 14), sum(pocet) FILTER (vek_od >= 65),
               sum(pocet) FILTER (vek_od >= 80)
        FROM populace_vek WHERE obdobi = DATE '2020-12-31'""")[0]
    assert (total, young, old, oldest) == (10_701_777, 1_719_741, 2_158_322, 447_526)
    assert round(old / young * 100, 2) == 125.50  # ČSÚ DEMDCR1V, index stáří 2020
    # no obec has overlapping bands: one row per obec × sex × band start
    assert query(real_warehouse, "SELECT count(*) FROM (SELECT obec_kod, pohlavi, vek_od FROM populace_vek "
                            "GROUP BY ALL HAVING count(*) > 1)")[0][0] == 0
    obec_pocty = query(real_warehouse, "SELECT sum(obyvatel_65_plus), sum(obyvatel_0_14), sum(obyvatel_s_vekem) "
                                  "FROM obec_pocty WHERE obdobi = DATE '2020-12-31'")[0]
    assert obec_pocty == (2_158_322, 1_719_741, 10_701_777)


def test_real_provenance_table(real_warehouse):
    rows = query(real_warehouse, "SELECT puvodni_nazev, zdroj, referencni_datum, sha256, velikost FROM provenience "
                            "WHERE puvodni_nazev = 'population_2023.xlsx'")
    path = real(PUBLICATIONS[2023])
    assert rows == [("population_2023.xlsx", "csu_pocet_obyvatel", date(2023, 1, 1), sha256(path), path.stat().st_size)]


def test_build_twice_gives_identical_tables(real_warehouse, tmp_path):
    """Rebuilding from the same raw files (after the import that first built it) gives the same tables."""
    copy = copy_data_dir(real_warehouse, tmp_path / "data")
    result = invoke_sprss("build", data=copy)
    assert result.returncode == 0, result.stderr
    assert "6 258 obcí" in " ".join(result.stderr.split())  # thousands separated, as everywhere in Czech text
    assert differing_tables(real_warehouse.warehouse, copy.warehouse) == []
    assert table_counts(copy) == table_counts(real_warehouse)
    assert raw_listing(copy) == raw_listing(real_warehouse)
    # and the ordered contents of a table the indicators read agree row by row
    ordered = "SELECT * FROM obec_pocty ORDER BY obec_kod, obdobi"
    assert query(copy, ordered) == query(real_warehouse, ordered)


# --- raw snapshots -----------------------------------------------------------------------------------


def test_import_writes_snapshot_and_provenance(territory_only, tmp_path):
    source = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx")
    result = invoke_sprss("import", source, data=territory_only)
    assert result.returncode == 0, result.stderr
    snapshot = territory_only.raw / "csu_pocet_obyvatel" / "2024-01-01" / "synthetic_obyvatele_2024.xlsx"
    assert snapshot.read_bytes() == source.read_bytes()
    assert not snapshot.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # immutable
    provenance = json.loads(snapshot.with_name(snapshot.name + ".provenance.json").read_text())
    assert provenance["sha256"] == sha256(source)
    assert provenance["velikost"] == source.stat().st_size
    assert provenance["puvodni_nazev"] == "synthetic_obyvatele_2024.xlsx"
    assert provenance["zdroj"] == "csu_pocet_obyvatel"
    assert provenance["referencni_datum"] == "2024-01-01"
    assert provenance["soubor"] == "csu_pocet_obyvatel/2024-01-01/synthetic_obyvatele_2024.xlsx"
    assert provenance["importovano"]
    assert query(territory_only, "SELECT obec_kod, pocet FROM populace_celkem WHERE pohlavi = 'celkem' ORDER BY 1") == [
        ("554782", 1_350_000), ("586846", 52_600), ("587290", 250), ("587478", 3_250)]
    assert query(territory_only, "SELECT DISTINCT obdobi FROM populace_celkem") == [(date(2024, 1, 1),)]


def test_reimport_of_the_same_file_is_a_no_op(small, tmp_path):
    source = tmp_path / "synthetic_obyvatele_2024.xlsx"
    stored = small.raw / "csu_pocet_obyvatel" / "2024-01-01" / "synthetic_obyvatele_2024.xlsx"
    source.write_bytes(stored.read_bytes())
    raw_before = raw_listing(small)
    previous = tmp_path / "before.duckdb"
    previous.write_bytes(small.warehouse.read_bytes())
    result = invoke_sprss("import", source, data=small)
    assert result.returncode == 0, result.stderr
    assert "už importován" in result.stderr
    assert raw_listing(small) == raw_before  # provenance (import time included) untouched
    assert differing_tables(previous, small.warehouse) == []


def test_different_file_with_same_name_source_and_date_is_refused(small, tmp_path):
    changed = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx",
                                [PRAHA, Obec("586846", "Jihlava", 25601, 27000), JIHLAVKA])
    before = fingerprint(small)
    message = one_czech_error_line(invoke_sprss("import", changed, data=small))
    assert "synthetic_obyvatele_2024.xlsx" in message and "jiný soubor" in message
    assert fingerprint(small) == before


def test_import_of_a_second_date_adds_to_the_warehouse(small, tmp_path):
    later = write_publication(tmp_path / "synthetic_obyvatele_2025.xlsx", date_text="1. 1. 2025")
    result = invoke_sprss("import", later, data=small)
    assert result.returncode == 0, result.stderr
    assert query(small, "SELECT obdobi, sum(pocet) FROM populace_celkem WHERE pohlavi = 'celkem' GROUP BY 1 ORDER BY 1") == [
        (date(2024, 1, 1), 1_406_100), (date(2025, 1, 1), 1_406_100)]
    assert (small.raw / "csu_pocet_obyvatel" / "2025-01-01" / "synthetic_obyvatele_2025.xlsx").exists()


def test_same_figures_from_a_second_file_are_refused(small, tmp_path):
    """The same publication under another name (same source and date) would double count: refused."""
    source = tmp_path / "synthetic_obyvatele_2024_kopie.xlsx"
    source.write_bytes((small.raw / "csu_pocet_obyvatel" / "2024-01-01" / "synthetic_obyvatele_2024.xlsx").read_bytes())
    before = fingerprint(small)
    message = one_czech_error_line(invoke_sprss("import", source, data=small))
    assert "synthetic_obyvatele_2024_kopie.xlsx" in message and "1. 1. 2024" in message and "dvakrát" in message
    assert fingerprint(small) == before


def test_praha_workbook_needs_date_then_loads(territory_only):
    path = real(AGE_PRAHA)
    before = fingerprint(territory_only)
    message = one_czech_error_line(invoke_sprss("import", path, data=territory_only))
    assert "--date" in message and "Vek_Praha2000.xlsx" in message
    assert fingerprint(territory_only) == before
    result = invoke_sprss("import", "--date", "2020-12-31", path, data=territory_only)
    assert result.returncode == 0, result.stderr
    assert (territory_only.raw / "csu_vekove_slozeni" / "2020-12-31" / "Vek_Praha2000.xlsx").exists()
    rows = query(territory_only, "SELECT jednotka_typ, count(DISTINCT jednotka_kod), sum(pocet) FROM populace_vek_praha "
                                 "GROUP BY 1 ORDER BY 1")
    assert rows == [("mestska_cast", 57, 1_335_084), ("spravni_obvod", 22, 1_335_084)]
    assert query(territory_only, "SELECT count(*) FROM populace_vek")[0][0] == 0  # Praha's parts are not obce


# --- bad inputs: a clear Czech line, exit ≠ 0, nothing changes -----------------------------------------


def truncated(tmp_path):
    content = real(PUBLICATIONS[2021]).read_bytes()
    path = tmp_path / "population_2021.xlsx"
    path.write_bytes(content[: len(content) // 2])
    return path, ["--source", "csu_pocet_obyvatel"], ["XLSX", "čiteln"], None


def png(tmp_path):
    path = tmp_path / "obrazek.xlsx"  # the name lies; the content decides
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path, [], ["nerozpoznán", "--source"], None


def random_csv(tmp_path):
    path = tmp_path / "tabulka.csv"
    path.write_text("obec;pocet\nJihlava;52548\nJihlávka;250\n", encoding="utf-8")
    return path, [], ["nerozpoznán"], None


def missing_column(tmp_path):
    path = write_publication(tmp_path / "synthetic_bez_zen.xlsx", layout=PublicationLayout(omit=("zeny",)))
    return path, [], ["chybí", "zeny"], None


def duplicated(tmp_path):
    path = write_publication(tmp_path / "synthetic_duplicita.xlsx", [PRAHA, JIHLAVA, JIHLAVKA, JIHLAVA])
    return path, [], ["duplicitní", "586846"], publication_rows(path)["586846"][1]


def negative(tmp_path):
    path = write_publication(tmp_path / "synthetic_zaporne.xlsx", [PRAHA, JIHLAVA, Obec("587290", "Jihlávka", 120, -3)])
    return path, [], ["záporný", "-3"], publication_rows(path)["587290"][0]


def sexes_differ(tmp_path):
    path = write_publication(tmp_path / "synthetic_soucet.xlsx", [PRAHA, JIHLAVA, Obec("587290", "Jihlávka", 120, 130, celkem=251)])
    return path, [], ["muži (120) + ženy (130) ≠ celkem (251)", "587290"], publication_rows(path)["587290"][0]


def age_bands(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx",
                           [AgeObec("586846", "Jihlava", flat_bands(10), flat_bands(11), celkem={"muzi": 181})])
    return path, [], ["součet věkových skupin 180 ≠ celkem 181", "586846"], age_rows(path)[("586846", "muzi")]


def unknown_obec(tmp_path):
    path = write_publication(tmp_path / "synthetic_obyvatele_2025.xlsx",
                             [PRAHA, JIHLAVA, Obec("999999", "Neexistující", 10, 12)], date_text="1. 1. 2025")
    return path, [], ["neznámé kódy obcí", "999999"], None


BAD_INPUTS = [truncated, png, random_csv, missing_column, duplicated, negative, sexes_differ, age_bands, unknown_obec]


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.__name__ for b in BAD_INPUTS])
def test_bad_input_fails_cleanly_and_changes_nothing(small, tmp_path, bad):
    path, options, words, row = bad(tmp_path)
    before = fingerprint(small)
    message = one_czech_error_line(run_sprss("import", *options, path, data=small))
    assert path.name in message
    for word in words:
        assert fold(word) in fold(message), message
    if row is not None:
        assert f"řádek {row}" in message
    assert fingerprint(small) == before
    assert not list(small.processed.glob(".*"))  # no temporary warehouse left behind


def test_truncated_xlsx_without_source_says_it_is_damaged(small, tmp_path):
    path, _, _, _ = truncated(tmp_path)
    message = one_czech_error_line(invoke_sprss("import", path, data=small))
    assert "XLSX" in message


def test_one_bad_file_stores_none_of_the_batch(small, tmp_path):
    good = write_publication(tmp_path / "synthetic_obyvatele_2025.xlsx", date_text="1. 1. 2025")
    bad = write_publication(tmp_path / "synthetic_obyvatele_2026.xlsx", [PRAHA, Obec("999999", "Neexistující", 10, 12)],
                            date_text="1. 1. 2026")
    before = fingerprint(small)
    message = one_czech_error_line(invoke_sprss("import", good, bad, data=small))
    assert "999999" in message
    assert fingerprint(small) == before


def test_bad_input_with_debug_shows_traceback(small, tmp_path):
    path, _, _, _ = png(tmp_path)
    result = run_sprss("--debug", "import", path, data=small)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "nerozpoznán" in result.stderr


def test_import_without_territory_asks_for_it(tmp_path):
    source = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx")
    data = tmp_path / "data"
    message = one_czech_error_line(invoke_sprss("import", source, data=data))
    assert "územní struktur" in message
    assert not [p for p in (data / "raw").rglob("*") if p.is_file()]
    assert not (data / "processed" / "sprss.duckdb").exists()


def test_tampered_snapshot_is_detected_on_build(small):
    snapshot = small.raw / "csu_pocet_obyvatel" / "2024-01-01" / "synthetic_obyvatele_2024.xlsx"
    snapshot.write_bytes(snapshot.read_bytes() + b"\0")
    warehouse = sha256(small.warehouse)
    message = one_czech_error_line(invoke_sprss("build", data=small))
    assert "sha256" in message and "synthetic_obyvatele_2024.xlsx" in message
    assert sha256(small.warehouse) == warehouse
