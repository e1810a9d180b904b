"""Source csu_nezamestnanost_obce (ČSÚ 250169, OD_NEZ01_*.CSV, alone or in its ZIP). No real file exists here:
tests/fixtures/synthetic_od_nez01_2024.csv follows the documented layout (sources-next.md §4) with made-up numbers."""
import io
from pathlib import Path
import zipfile

import pytest

from builders import FIXTURES, copy_data_dir, query, run_sprss, synthetic_territory_data_dir
from pipeline import sources
from pipeline.core.errors import FormatError
from pipeline.sources import csu_nezamestnanost_obce as source

FIXTURE = FIXTURES / "synthetic_od_nez01_2024.csv"


def zipped(content: bytes, name: str = "OD_NEZ01_202403311200.CSV") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_csv_and_zip_are_recognised_and_read_alike():
    content = FIXTURE.read_bytes()
    for data in (content, zipped(content)):
        assert sources.detect(data, "250169-24data011425.zip") is source
    plain, packed = source.parse(content, FIXTURE.name), source.parse(zipped(content), "x.zip")
    assert plain.reference_date.isoformat() == "2024-03-31"
    assert plain.tables["socialni_obce"].equals(packed.tables["socialni_obce"])
    rows = plain.tables["socialni_obce"].set_index(["obec_kod", "obdobi"])
    jihlava = rows.loc[("586846", plain.reference_date)]
    assert (jihlava["pocet"], jihlava["podil_zverejneny"]) == (1200, 3.64) and jihlava[["zaklad"]].isna().all()
    assert len(rows) == 45 and set(rows["obdobi_typ"]) == {"mesic"}


def test_import_and_area_counts(tmp_path_factory, tmp_path: Path):
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path / "data")
    result = run_sprss("import", FIXTURE, data=data)
    assert result.returncode == 0, result.stderr
    january = [line.split(",") for line in FIXTURE.read_text(encoding="utf-8").splitlines()
               if ",NEZ0007," in line and ",20240131," in line]
    assert query(data, "SELECT count(*), sum(pocet) FROM socialni_obce WHERE obdobi = DATE '2024-01-31'") \
        == [(15, sum(int(fields[1]) for fields in january))]


@pytest.mark.parametrize(("old", "new", "row", "message"), [
    (",43,586846,", ",65,586846,", 2, "není 43 (obce)"),
    ("20240131,2024,1,43,586846", "20240130,2024,1,43,586846", 2, "není poslední den měsíce"),
    ("1248,NEZ0007", "12.5,NEZ0007", 3, "není celé číslo"),
    ("3.78,NEZ0004", "103.78,NEZ0004", 2, "mimo rozsah 0–100"),
    ("3.78,NEZ0004", "-1,NEZ0004", 2, "není nezáporné číslo"),
])
def test_traps_are_one_czech_line_with_the_row(old, new, row, message):
    content = FIXTURE.read_text(encoding="utf-8").replace(old, new, 1).encode("utf-8")
    with pytest.raises(FormatError) as caught:
        source.parse(content, FIXTURE.name)
    assert caught.value.row == row and message in str(caught.value)


def test_a_month_without_the_share_is_refused():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    content = "\n".join(line for line in lines if not (",NEZ0004," in line and ",586846," in line)).encode("utf-8")
    with pytest.raises(FormatError, match="chybí ukazatel NEZ0004"):
        source.parse(content, FIXTURE.name)


def test_a_zip_without_the_csv_is_refused():
    with pytest.raises(FormatError, match="0 souborů OD_NEZ01"):
        source.parse(zipped(b"x", "readme.txt"), "x.zip")
