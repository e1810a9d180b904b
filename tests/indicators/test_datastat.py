"""`indicators.datastat`: the tidy frame of a DataStat selection, on the synthetic coded CSV in a real build."""
import pytest

from builders import FIXTURES, run_sprss
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.indicators import datastat

CODED = FIXTURES / "synthetic_datastat_SYN01T1.csv"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> DataDir:
    root = tmp_path_factory.mktemp("datastat_values")
    result = run_sprss("import", CODED, data=root)
    assert result.returncode == 0, result.stderr
    return DataDir(root)


def test_values_give_code_and_label_of_every_dimension(con):
    frame = datastat.values(con, "SYN01T1", {"Uz45B": "uzemi", "VekSkupZakl": "vek"})
    assert list(frame.columns) == ["vek_kod", "vek", "uzemi_kod", "uzemi", *datastat.VALUE_COLUMNS]
    assert len(frame) == 24
    jihlava = frame[(frame["uzemi_kod"] == "586846") & (frame["obdobi"] == "2024-12-31")]
    assert jihlava.set_index("vek")["hodnota"].to_dict() == {
        "Celkem": 51_200, "0 - 14 let": 7_400, "15 - 64 let": 32_600, "65 a více let": 11_200}
    parts = jihlava[jihlava["vek_kod"].notna()]["hodnota"].sum()
    assert parts == jihlava[jihlava["vek_kod"].isna()]["hodnota"].item(), "the total has no code and equals its parts"
    assert set(frame["uzemi_kod"]) == {"6105", "586846", "586943"}  # codes as text, ORP 4 digits, obce 6
    assert str(frame["obdobi_do"].iloc[0]) == "2023-12-31"


def test_dimensions_and_the_territory_dimension(con):
    found = datastat.dimensions(con, "SYN01T1")
    assert found[["dimenze", "role"]].fillna("").values.tolist() == [["VekSkupZakl", ""], ["Uz45B", "geo"]]
    assert datastat.territory_dimension(con, "SYN01T1") == "Uz45B"
    assert datastat.selections(con)[["vyber", "format", "hodnot"]].values.tolist() == [["SYN01T1", "csv", 24]]


def test_values_refuse_what_would_mislead(con):
    with pytest.raises(SprssError, match="Výběr DataStatu NEZ01T1 není ve skladu dat"):
        datastat.values(con, "NEZ01T1")
    with pytest.raises(SprssError, match="nemá dimenzi UZ25"):
        datastat.values(con, "SYN01T1", {"UZ25": "uzemi"})
    with pytest.raises(SprssError, match="Dimenze VekSkupZakl výběru SYN01T1 má více položek"):
        datastat.values(con, "SYN01T1", ["Uz45B"])
    with pytest.raises(SprssError, match="kolidují"):
        datastat.values(con, "SYN01T1", {"Uz45B": "hodnota"})


def test_a_list_keeps_only_the_named_dimensions(con):
    frame = datastat.values(con, "SYN01T1", ["Uz45B", "VekSkupZakl"])
    assert list(frame.columns[:4]) == ["Uz45B_kod", "Uz45B", "VekSkupZakl_kod", "VekSkupZakl"]
