"""`indicators.datastat`: the tidy frame of a DataStat selection, on the synthetic coded CSV in a real build."""
import pytest

from builders import FIXTURES, SHARED_REAL, copy_data_dir, query, real, run_sprss
from pipeline.core import territory
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.indicators import datastat
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

CODED = FIXTURES / "synthetic_datastat_SYN01T1.csv"
POPULATION = SHARED_REAL / "csu" / "waiff-sreality" / "csu_population.json"


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


@pytest.fixture(scope="module")
def revised(tmp_path_factory, real_warehouse) -> DataDir:
    """The real warehouse (four publications) with the DataStat population of obce imported."""
    data = copy_data_dir(real_warehouse, tmp_path_factory.mktemp("revised") / "data")
    result = run_sprss("import", real(POPULATION), data=data)
    assert result.returncode == 0, result.stderr
    return data


def test_population_series_are_labelled_and_never_mixed(revised):
    sums = {(rada, str(obdobi)): total for rada, obdobi, total in query(
        revised, "SELECT rada, obdobi, sum(pocet) FROM populace_rady GROUP BY 1, 2")}
    assert sums[("publikace", "2021-01-01")] == 10_701_777
    assert sums[("revidovana", "2021-01-01")] == 10_494_836
    assert sums[("revidovana", "2026-01-01")] == 10_915_839
    assert sums[("publikace", "2020-01-01")] == sums[("revidovana", "2020-01-01")] == 10_693_939
    assert sums[("publikace", "2022-01-01")] == sums[("revidovana", "2022-01-01")] == 10_516_707
    assert query(revised, "SELECT count(*) FROM populace_rady WHERE NOT regexp_full_match(obec_kod, '[0-9]{6}')") == [(0,)]
    # the publication series and every indicator are unchanged by the DataStat import
    assert query(revised, "SELECT sum(obyvatel_celkem) FROM obec_pocty WHERE obdobi = '2021-01-01'") == [(10_701_777,)]


def test_population_series_of_areas(revised):
    with warehouse.connect(revised) as con:
        obce = load_obce(con)
        areas = [territory.resolve(selector, obce).area for selector in ("orp:6105", "stat:CZ")]
        series = datastat.population_series(con, areas)
        jihlava = [c for (c,) in con.execute("SELECT obec_kod FROM obce WHERE orp_kod = '6105'").fetchall()]
        by_hand = con.execute("SELECT rada, sum(pocet) FROM populace_rady WHERE obdobi = '2021-01-01' "
                              f"AND obec_kod IN ({', '.join(repr(c) for c in jihlava)}) GROUP BY 1").fetchall()
    value = series.set_index(["uzemi_typ", "rada", "obdobi"])["pocet"]
    assert value[("stat", "revidovana", "2021-01-01")] == 10_494_836
    assert value[("stat", "publikace", "2021-01-01")] == 10_701_777
    for rada, total in by_hand:
        assert value[("orp", rada, "2021-01-01")] == total
    assert value[("orp", "revidovana", "2021-01-01")] != value[("orp", "publikace", "2021-01-01")]
    # each series has its own dates: no publication of 2026 is imported, so it has no 2026 row (not a 0)
    assert ("orp", "publikace", "2026-01-01") not in value.index and value[("orp", "revidovana", "2026-01-01")] > 0
    assert series["pocet"].notna().all()  # every obec of ORP Jihlava and ČR has both series on their dates
