"""Socio-economic indicators on the real table: every area's figure is the sum over its obce divided after,
recomputed here independently from the workbook and the Struktura území; quotients against ČR; the published
index only for obce; the warehouse refuses bases that do not match its population."""
import io
from pathlib import Path

import pandas as pd
import pytest

from builders import SHARED_REAL, STRUKTURA, copy_data_dir, raw_listing, real, run_sprss, small_data_dir, table_counts, territory_data_dir
from pipeline.core import territory
from pipeline.indicators import metadata, socialni
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from socialni_support import INDEX_TABLE, IndexObec, write_index_table

HOUSING = SHARED_REAL / "other" / "DataRozhlas__bytova-nouze"

# columns of the real workbook (count, base) per figure
FIGURES = {"osoby_v_exekuci": (13, 11), "prijemci_prispevku_na_bydleni": (16, 11),
           "prijemci_prispevku_na_zivobyti": (19, 11), "dlouhodobi_uchazeci": (22, 12)}
SHARES = {"osoby_v_exekuci": "podil_osob_v_exekuci", "prijemci_prispevku_na_bydleni": "podil_prijemcu_prispevku_na_bydleni",
          "prijemci_prispevku_na_zivobyti": "podil_prijemcu_prispevku_na_zivobyti",
          "dlouhodobi_uchazeci": "podil_dlouhodobych_uchazecu"}
QUOTIENTS = {"osoby_v_exekuci": "lokalizacni_kvocient_exekuce",
             "prijemci_prispevku_na_bydleni": "lokalizacni_kvocient_prispevku_na_bydleni",
             "prijemci_prispevku_na_zivobyti": "lokalizacni_kvocient_prispevku_na_zivobyti",
             "dlouhodobi_uchazeci": "lokalizacni_kvocient_dlouhodobych_uchazecu"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    copied = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("socialni") / "data")
    result = run_sprss("import", real(INDEX_TABLE), real(HOUSING / "data.tsv"), data=copied)
    assert result.returncode == 0, result.stderr
    return copied


@pytest.fixture(scope="module")
def workbook():
    frame = pd.read_excel(real(INDEX_TABLE), engine="calamine", dtype=object)
    frame.columns = range(frame.shape[1])
    struktura = pd.read_csv(real(STRUKTURA), dtype=str)[["obec_kod", "orp_csu_cis65_kod", "kraj_csu_cis100_kod"]]
    return frame.assign(obec_kod=frame[0].astype(str)).merge(struktura, on="obec_kod", validate="one_to_one")


def expected(workbook: pd.DataFrame, rows: pd.Series) -> dict[str, float]:
    values = {}
    for figure, (count, base) in FIGURES.items():
        share = workbook.loc[rows, count].astype(float).sum() / workbook.loc[rows, base].astype(float).sum() * 100
        national = workbook[count].astype(float).sum() / workbook[base].astype(float).sum() * 100
        values |= {figure: workbook.loc[rows, count].astype(float).sum(), SHARES[figure]: share,
                   QUOTIENTS[figure]: share / national}
    return values


def values_of(con, selector: str) -> dict[str, float]:
    area = territory.resolve(selector, load_obce(con)).area
    tidy = socialni.compute(con, [area])
    assert set(tidy["obdobi"]) == {"2023-12-31"}
    return dict(zip(tidy["ukazatel"], tidy["hodnota"], strict=True))


@pytest.mark.parametrize(("selector", "column", "code"), [("orp:6105", "orp_csu_cis65_kod", "6105"),
                                                          ("kraj:3107", "kraj_csu_cis100_kod", "3107"),
                                                          ("orp:Ústí nad Labem", "orp_csu_cis65_kod", "4214")])
def test_areas_are_sums_over_obce_divided_after(con, workbook, selector, column, code):
    got = values_of(con, selector)
    want = expected(workbook, workbook[column] == code)
    assert set(got) == set(want)  # no index for an area: obec points are never summed or averaged
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key


def test_custom_territory_and_cr(con, workbook, tmp_path: Path):
    custom = tmp_path / "uzemi.yaml"
    custom.write_text("nazev: Výběr\nobce: [586846, 587478, 554782]\n", encoding="utf-8")
    got = values_of(con, str(custom))
    assert got == pytest.approx(expected(workbook, workbook["obec_kod"].isin(["586846", "587478", "554782"])))
    cr = values_of(con, "stat:CZ")
    assert cr["osoby_v_exekuci"] == 621305 and cr["lokalizacni_kvocient_exekuce"] == pytest.approx(1)


def test_obce_carry_the_published_index_and_their_own_shares(con, workbook):
    chosen = territory.resolve("orp:6105", load_obce(con))
    tidy = socialni.compute(con, territory.obec_areas(chosen))
    points = tidy[tidy["ukazatel"] == "index_socialniho_vylouceni"].set_index("uzemi_kod")["hodnota"]
    published = workbook.set_index("obec_kod")[29]
    assert len(points) == len(chosen.obce) and (points == published.reindex(points.index).astype(float)).all()
    shares = tidy[tidy["ukazatel"] == "podil_osob_v_exekuci"].set_index("uzemi_kod")["hodnota"]
    assert (shares - workbook.set_index("obec_kod")[14].reindex(shares.index).astype(float)).abs().max() < 1e-12


def test_bases_larger_than_the_warehouse_population_are_refused(tmp_path_factory, tmp_path: Path):
    data = copy_data_dir(small_data_dir(tmp_path_factory), tmp_path / "data")  # Jihlávka: 250 inhabitants k 1. 1. 2024
    before_raw, before_tables = raw_listing(data), table_counts(data)
    table = write_index_table(tmp_path / "synthetic_index_vylouceni.xlsx", [
        IndexObec("586846", "Jihlava", 44000, 32000, exekuce=2200, pnb=900, pnz=150, uchazeci=400),
        IndexObec("587290", "Jihlávka", 400, 300, exekuce=4, pnb=1, pnz=0, uchazeci=2)])
    result = run_sprss("import", table, data=data)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "socialni_kontrola_zakladu" in message and "index_vylouceni, 587290" in message and "\n" not in message
    assert raw_listing(data) == before_raw and table_counts(data) == before_tables


def test_bases_within_tolerance_are_kept(tmp_path_factory, tmp_path: Path):
    data = copy_data_dir(small_data_dir(tmp_path_factory), tmp_path / "data")
    table = write_index_table(tmp_path / "synthetic_index_vylouceni.xlsx", [
        IndexObec("587290", "Jihlávka", 212, 160, exekuce=4, pnb=1, pnz=0, uchazeci=2)])
    result = run_sprss("import", table, data=data)
    assert result.returncode == 0, result.stderr
    with warehouse.connect(data) as con:
        assert values_of(con, "obec:587290")["podil_osob_v_exekuci"] == pytest.approx(4 / 212 * 100)
        # ČR has no share when the file covers only some obce, so there is no quotient either
        assert "lokalizacni_kvocient_exekuce" not in values_of(con, "obec:587290")


def test_housing_is_given_for_whole_orp_and_their_unions_only(con, tmp_path: Path):
    raw = pd.read_csv(real(HOUSING / "data.tsv"), sep="\t")
    vysocina = raw[raw["orp"].str.endswith("(Vysočina)")]
    obce = load_obce(con)
    two_orp = tmp_path / "dve_orp.yaml"
    codes = obce.loc[obce["orp_kod"].isin(["6105", "6113"]), "obec_kod"].tolist()
    two_orp.write_text(f"nazev: Dvě ORP\nobce: [{', '.join(codes)}]\n", encoding="utf-8")
    split = tmp_path / "cast.yaml"
    split.write_text(f"nazev: Část\nobce: [{', '.join(codes[:3])}]\n", encoding="utf-8")
    areas = [territory.resolve(s, obce).area for s in ("kraj:3107", str(two_orp), str(split), "obec:586846")]
    tidy = socialni.housing(con, areas)
    homeless = tidy[tidy["ukazatel"] == "osoby_bez_domova"].set_index("uzemi_nazev")["hodnota"]
    assert homeless.to_dict() == {"Kraj Vysočina": vysocina["bezdom"].sum(),
                                  "Dvě ORP": raw.loc[raw["orp"].isin(["Jihlava (Vysočina)", "Třebíč (Vysočina)"]),
                                                     "bezdom"].sum()}


DATASTAT = SHARED_REAL / "csu" / "michaelmiscanuk-czsu-multi-agent-text-to-sql"
SELECTIONS = ["NEZ01T1", "SZB09", "SZB09B", "SZB07C"]


@pytest.fixture(scope="module")
def datastat_con(tmp_path_factory):
    copied = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("socialni_ds") / "data")
    files = [real(DATASTAT / "schemas.zip"), *(real(DATASTAT / "CSVs" / f"{v}.csv") for v in SELECTIONS)]
    result = run_sprss("import", real(INDEX_TABLE), *files, data=copied)
    assert result.returncode == 0, result.stderr
    with warehouse.connect(copied) as connection:
        yield connection


def label_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(real(DATASTAT / "CSVs" / f"{name}.csv"), dtype=str)


def test_unemployment_of_okresy_kraje_and_cr_as_datastat_publishes_it(datastat_con):
    raw = label_csv("NEZ01T1")
    published = raw[raw["Ukazatel"] == "Podíl nezaměstnaných osob - celkem (%)"].set_index("ČR, kraje, okresy")["value"]
    obce = load_obce(datastat_con)
    areas = [territory.resolve(s, obce).area for s in ("okres:CZ0632", "kraj:3107", "stat:CZ", "orp:6105")]
    tidy = socialni.compute(datastat_con, areas)
    shares = tidy[tidy["ukazatel"] == "podil_nezamestnanych"].set_index("uzemi_nazev")["hodnota"]
    assert shares.to_dict() == {"Jihlava": float(published["Jihlava"]), "Kraj Vysočina": float(published["Kraj Vysočina"]),
                                "Česká republika": float(published["Česko"])}  # no share for an ORP: no base


def test_care_allowance_by_stupen_adds_up_to_the_total(datastat_con):
    cr = territory.resolve("stat:CZ", load_obce(datastat_con)).area
    care = socialni.care_allowance(datastat_con, [cr])
    yearly = care[(care["vyber"] == "SZB09") & (care["obdobi"] == "2024-12-31")].set_index("stupen")["hodnota"]
    assert yearly["Celkem"] == 374127 and yearly.drop("Celkem").sum() == yearly["Celkem"]
    by_age = care[(care["vyber"] == "SZB09B") & (care["pohlavi"] == "Celkem") & (care["stupen"] == "Celkem")]
    assert by_age.loc[by_age["vek"] != "Celkem", "hodnota"].sum() == 374127
    tidy = socialni.compute(datastat_con, [cr])
    assert tidy.query("ukazatel == 'prijemci_prispevku_na_peci' and obdobi == '2014-12-31'")["hodnota"].tolist() == [332211]


def test_facilities_of_a_kraj_are_the_sum_of_its_so_orp(datastat_con):
    raw = label_csv("SZB07C")
    homes = raw[(raw["Druh zařízení sociálních služeb"] == "Domovy pro seniory") & raw["ORP"].str.endswith("(Kraj Vysočina)")]
    obce = load_obce(datastat_con)
    areas = [territory.resolve(s, obce).area for s in ("kraj:3107", "orp:6105", "obec:586846")]
    found = socialni.facilities(datastat_con, areas)
    kraj = found[(found["uzemi_typ"] == "kraj") & (found["druh"] == "Domovy pro seniory")]["pocet"].tolist()
    assert len(homes) == 15 and kraj == [homes["value"].astype(float).sum()]
    assert set(found["uzemi_typ"]) == {"kraj", "orp"}  # an obec splits its ORP: nothing


def test_indicators_command_gives_the_socio_economic_table(data, con):
    result = run_sprss("indicators", "--territory", "orp:6105", "--domena", "socialni", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str})
    row = table.query("uzemi_typ == 'orp' and ukazatel == 'podil_osob_v_exekuci'")
    assert row["hodnota"].tolist() == pytest.approx([values_of(con, "orp:6105")["podil_osob_v_exekuci"]])
    assert table.query("uzemi_typ == 'orp' and ukazatel == 'osoby_bez_domova'")["hodnota"].tolist() == [15]


def test_the_2025_benefit_reform_is_recorded_as_a_break_of_the_benefit_series():
    (reform,) = metadata.series_breaks("zlomy_rady_socialni")
    assert reform.datum == "2025-10-01"
    assert {"prijemci_prispevku_na_bydleni", "prijemci_prispevku_na_zivobyti"} <= set(reform.ukazatele)
    assert set(reform.ukazatele) <= set(metadata.by_code())
