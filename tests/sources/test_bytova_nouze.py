"""Source bytova_nouze (DataRozhlas, housing exclusion per ORP 2018): both real tables, their matching to ORP codes
of the real territory, and synthetic tables with unknown, misplaced and malformed names."""
from pathlib import Path

import pytest

from builders import SHARED_REAL, copy_data_dir, query, raw_listing, real, run_sprss, synthetic_territory_data_dir, territory_data_dir
from pipeline import sources
from pipeline.core.errors import FormatError
from pipeline.sources import bytova_nouze

FOLDER = SHARED_REAL / "other" / "DataRozhlas__bytova-nouze"
HEADER = "orp\tnouze_rodiny\tnouze_osoby\tnouze_deti\tubyt_rodiny\tubyt_osoby\tubyt_deti\tazyl_rodiny\tazyl_osoby" \
         "\tazyl_deti\tbezdom"


def tsv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]), encoding="utf-8")
    return path


def test_real_tables_parse_with_names_and_kraje():
    data = real(FOLDER / "data.tsv").read_bytes()
    assert sources.detect(data, "data.tsv") is bytova_nouze
    frame = bytova_nouze.parse(data, "data.tsv").tables["bytova_nouze_orp"]
    assert frame["orp_nazev"].nunique() == 206 and frame.groupby("ukazatel")["pocet"].sum()["bytova_nouze_osoby"] == 76036
    jihlava = frame[frame["orp_nazev"] == "Jihlava"]
    assert set(jihlava["kraj_nazev"]) == {"Vysočina"} and jihlava.set_index("ukazatel").loc["osoby_bez_domova", "pocet"] == 15
    rodiny = bytova_nouze.parse(real(FOLDER / "rodiny.tsv").read_bytes(), "rodiny.tsv").tables["bytova_nouze_orp"]
    assert rodiny["kraj_nazev"].isna().all() and rodiny["pocet"].sum() == 1159447 and len(rodiny) == 206


def test_real_names_match_every_orp_of_the_real_territory(tmp_path_factory, tmp_path: Path):
    data = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path / "data")
    result = run_sprss("import", real(FOLDER / "data.tsv"), real(FOLDER / "rodiny.tsv"), data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT count(DISTINCT orp_kod), count(*) FROM bytova_nouze") == [(206, 206 * 11)]
    # Praha is named after its kraj, Kraj Vysočina is written "Vysočina"
    assert query(data, "SELECT pocet FROM bytova_nouze WHERE orp_kod = '1000' AND ukazatel = 'osoby_bez_domova'") \
        == [(8164,)]
    assert query(data, "SELECT pocet FROM bytova_nouze WHERE orp_kod = '6105' AND ukazatel = 'rodiny_celkem'") \
        == [(11164,)]


@pytest.mark.parametrize(("row", "expected"), [
    ("Jihlavaa (Vysočina)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0", "Jihlavaa, Vysočina, Jihlava (6105, Kraj Vysočina)"),
    ("Jihlava (Zlínský kraj)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0", "Jihlava, Zlínský kraj, Jihlava (6105, Kraj Vysočina)"),
    ("Ostrava (Moravskoslezský kraj)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0", "žádný podobný název"),
])
def test_a_name_matching_no_orp_is_refused_with_candidates(tmp_path_factory, tmp_path: Path, row, expected):
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path / "data")
    before = raw_listing(data)
    path = tsv(tmp_path / "synthetic_bytova_nouze.tsv", "Třebíč (Vysočina)\t3\t20\t5\t1\t9\t2\t0\t0\t0\t4", row)
    result = run_sprss("import", path, data=data)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "bytova_nouze_shoda" in message and expected in message and "\n" not in message
    assert raw_listing(data) == before


def test_synthetic_table_with_the_kraj_written_in_full_loads(tmp_path_factory, tmp_path: Path):
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path / "data")
    path = tsv(tmp_path / "synthetic_bytova_nouze.tsv", "Jihlava (Kraj Vysočina)\t3\t20\t5\t1\t9\t2\t0\t0\t0\t4",
               "Hlavní město Praha (Hlavní město Praha)\t9\t90\t5\t1\t9\t2\t0\t0\t0\t400")
    result = run_sprss("import", path, data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT orp_kod, pocet FROM bytova_nouze WHERE ukazatel = 'osoby_bez_domova' ORDER BY 1") \
        == [("1000", 400), ("6105", 4)]


@pytest.mark.parametrize(("rows", "line", "message"), [
    (["Jihlava\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0"], 2, "nemá kraj v závorce"),
    (["Jihlava (Vysočina)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0", "Jihlava (Vysočina)\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0"], 3,
     "podruhé"),
    (["Jihlava (Vysočina)\t1\t2,5\t0\t0\t0\t0\t0\t0\t0\t0"], 2, "není nezáporné celé číslo"),
    (["Jihlava (Vysočina)\t1\t2\t0"], 2, "polí místo 11"),
])
def test_malformed_rows_are_one_czech_line_with_the_row(tmp_path: Path, rows, line, message):
    path = tsv(tmp_path / "synthetic_bytova_nouze.tsv", *rows)
    with pytest.raises(FormatError) as caught:
        bytova_nouze.parse(path.read_bytes(), path.name)
    assert caught.value.row == line and message in str(caught.value)
