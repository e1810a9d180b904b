"""Source index_vylouceni: the real 2023 table in ../shared and synthetic workbooks with its traps."""
from pathlib import Path

import pandas as pd
import pytest

from builders import real
from pipeline import sources
from pipeline.core.errors import FormatError
from pipeline.sources import index_vylouceni
from socialni_support import INDEX_TABLE, IndexObec, write_index_table

JIHLAVA = IndexObec("586846", "Jihlava", 44000, 32000, exekuce=2200, pnb=900.25, pnz=150.5, uchazeci=400, body=9)
LUKA = IndexObec("587478", "Luka nad Jihlavou", 2700, 2000, exekuce=54, pnb=10, pnz=0, uchazeci=12, body=1,
                 skola=False)


@pytest.fixture(scope="module")
def parsed_real():
    content = real(INDEX_TABLE).read_bytes()
    assert sources.detect(content, INDEX_TABLE.name) is index_vylouceni
    return index_vylouceni.parse(content, INDEX_TABLE.name)


def test_real_table_totals_and_dates(parsed_real):
    counts = parsed_real.tables["socialni_obce"]
    assert parsed_real.reference_date.isoformat() == "2023-12-31"
    assert counts["obec_kod"].nunique() == 6258
    assert set(counts["obdobi"].astype(str)) == {"2023-12-31"}
    by_figure = counts.groupby("ukazatel")
    assert by_figure["pocet"].sum()["osoby_v_exekuci"] == 621305
    assert by_figure["pocet"].sum()["dlouhodobi_uchazeci"] == 126228
    exekuce = counts[counts["ukazatel"] == "osoby_v_exekuci"]
    uchazeci = counts[counts["ukazatel"] == "dlouhodobi_uchazeci"]
    assert exekuce["zaklad"].sum() == 9172797 and set(exekuce["zaklad_typ"]) == {"obyvatel_15_plus"}
    assert uchazeci["zaklad"].sum() == 6935475 and set(uchazeci["zaklad_typ"]) == {"obyvatel_15_64"}
    averages = counts[counts["ukazatel"].str.startswith("prijemci")]
    assert set(averages["obdobi_typ"]) == {"prumer_roku"} and set(uchazeci["obdobi_typ"]) == {"mesic"}


def test_real_praha_is_read_by_its_obec_code_despite_orp_code_0(parsed_real):
    praha = parsed_real.tables["socialni_obce"].query("obec_kod == '554782' and ukazatel == 'osoby_v_exekuci'")
    assert praha[["pocet", "zaklad"]].values.tolist() == [[70706, 1166085]]
    index = parsed_real.tables["socialni_index"]
    assert index.set_index("obec_kod").loc["554782", "body"] == 12
    assert index["body"].between(0, 30).all() and len(index) == 6258


def test_synthetic_obce_without_a_school_load(tmp_path: Path):
    path = write_index_table(tmp_path / "synthetic_index_vylouceni.xlsx", [JIHLAVA, LUKA])
    parsed = index_vylouceni.parse(path.read_bytes(), path.name)
    counts = parsed.tables["socialni_obce"].set_index(["obec_kod", "ukazatel"])
    assert counts.loc[("586846", "prijemci_prispevku_na_bydleni"), "pocet"] == 900.25
    assert counts.loc[("587478", "dlouhodobi_uchazeci"), ["pocet", "zaklad"]].tolist() == [12, 2000]
    assert parsed.tables["socialni_index"]["kategorie"].tolist() == ["8 až 11", "0 až 1"]


@pytest.mark.parametrize(("edit", "row", "message"), [
    ({(1, 13): 50000}, 2, "je větší než jeho základ"),
    ({(2, 14): 120.0}, 3, "mimo rozsah 0–100"),
    ({(2, 14): 3.0}, 3, "neodpovídá počtu a základu"),
    ({(1, 16): "n/a"}, 2, "není číslo"),
    ({(2, 12): 5000}, 3, "15–64 let (5000) je víc než obyvatel 15+"),
    ({(2, 0): 586846}, 3, "podruhé"),
    ({(1, 29): 31}, 2, "není celý počet bodů 0–30"),
])
def test_synthetic_traps_are_one_czech_line_with_the_row(tmp_path: Path, edit, row, message):
    path = write_index_table(tmp_path / "synthetic_index_vylouceni.xlsx", [JIHLAVA, LUKA], edit)
    with pytest.raises(FormatError) as caught:
        index_vylouceni.parse(path.read_bytes(), path.name)
    assert caught.value.row == row and message in str(caught.value) and "\n" not in str(caught.value)


def test_a_table_without_the_index_column_is_not_recognised(tmp_path: Path):
    path = write_index_table(tmp_path / "synthetic_index_vylouceni.xlsx", [JIHLAVA])
    frame = pd.read_excel(path, engine="openpyxl").drop(columns=["Index soc. vyloučení 2023 (0-30 bodů)"])
    other = tmp_path / "synthetic_other.xlsx"
    frame.to_excel(other, index=False)
    assert not index_vylouceni.sniff(other.read_bytes())
