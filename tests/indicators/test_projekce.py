"""The projection on the real files: ČSÚ's national and Praha projections reproduced, partitions adding up."""
import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from builders import REPO, SHARED_REAL, copy_data_dir, real, run_sprss
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.indicators import projekce
from pipeline.warehouse.obce import load_obce

DATASTAT = SHARED_REAL / "csu" / "michaelmiscanuk-czsu-multi-agent-text-to-sql"
PROJECTION_FILES = [DATASTAT / "schemas.zip", *(DATASTAT / "CSVs" / f"{name}.csv" for name in
                                                ("OBY02PT03", "OBY02PKT03", "OBY02DT01", "RSO02A01ORPT1"))]
TOLERANCE = 0.005  # the invariants of the issue: within 0.5 %


@pytest.fixture(scope="module")
def data(real_warehouse, tmp_path_factory):
    copied = copy_data_dir(real_warehouse, tmp_path_factory.mktemp("projekce") / "data")
    result = run_sprss("import", *(real(p) for p in PROJECTION_FILES), data=copied)
    assert result.returncode == 0, result.stderr
    return copied


@pytest.fixture(scope="module")
def inputs(con):
    return projekce.load(con)


@pytest.fixture(scope="module")
def obce(con):
    return load_obce(con)


def _national(con, year: int, ages: tuple[int, int | None]) -> float:
    upper = 200 if ages[1] is None else ages[1]
    return con.execute("SELECT sum(pocet) FROM projekce_obyvatel WHERE uzemi_kod = 'CZ' AND rok = ? AND vek BETWEEN ? AND ?",
                       [year, ages[0], upper]).fetchall()[0][0]


def test_cr_reproduces_the_csu_national_projection(con, inputs, obce) -> None:
    cr = territory.resolve("stat:CZ", obce).area
    table = projekce.compute(inputs, [cr], 2040)
    for code, ages in {"projekce_obyvatel_celkem": (0, None), "projekce_obyvatel_65_plus": (65, None),
                       "projekce_obyvatel_80_plus": (80, None), "projekce_obyvatel_0_14": (0, 14)}.items():
        for year in (2024, 2030, 2040):
            got = table[(table.ukazatel == code) & (table.obdobi == f"{year}-01-01")].hodnota.iloc[0]
            assert got == pytest.approx(_national(con, year, ages), rel=TOLERANCE)
    # the file's own figure (OBY02PT03 "Celkem", 1. 1. 2030)
    assert table[(table.ukazatel == "projekce_obyvatel_celkem") & (table.obdobi == "2030-01-01")].hodnota.iloc[0] \
        == pytest.approx(10748350, rel=1e-6)


def test_the_14_kraje_add_up_to_cr_and_praha_is_its_own_kraj_projection(con, inputs, obce) -> None:
    kraje = [territory.resolve(f"kraj:{k}", obce).area for k in sorted(obce.kraj_kod.unique())]
    assert len(kraje) == 14
    years = projekce.years(inputs, 2050)
    counts = projekce.project(inputs, kraje, years)
    national = np.array([[_national(con, y, (a, a if a < 100 else None)) for a in range(101)] for y in years])
    assert counts.sum(axis=0) == pytest.approx(national, rel=1e-9, abs=1e-6)
    praha = [i for i, k in enumerate(kraje) if k.nazev == "Hlavní město Praha"][0]
    own = con.execute("SELECT rok, sum(pocet) FROM projekce_obyvatel WHERE uzemi_kod = 'CZ010' GROUP BY rok ORDER BY rok").df()
    for year in (2025, 2030, 2050):
        assert counts[praha, years.index(year)].sum() == pytest.approx(own.set_index("rok").loc[year].iloc[0], rel=1e-9)


def test_the_orp_of_a_kraj_add_up_to_the_kraj(inputs, obce) -> None:
    kraj = territory.resolve("kraj:Kraj Vysočina", obce)
    orp = [territory.resolve(f"orp:{k}", obce).area for k in sorted(kraj.obce.orp_kod.unique())]
    table = projekce.compute(inputs, [kraj.area, *orp], 2040)
    by_level = table.groupby(["uzemi_typ", "ukazatel", "obdobi"]).hodnota.sum().unstack("uzemi_typ")
    assert (abs(by_level["orp"] / by_level["kraj"] - 1) < 1e-9).all()


def test_a_custom_territory_is_the_sum_of_its_obce(inputs, obce, tmp_path) -> None:
    spec = tmp_path / "uzemi.yaml"
    spec.write_text("nazev: Mikroregion\nobce: [588032, 587290, 586846]\n", encoding="utf-8")
    custom = territory.resolve(str(spec), obce).area
    single = [territory.resolve(f"obec:{k}", obce).area for k in custom.obce]
    counts = projekce.project(inputs, [custom, *single], [2030])
    assert counts[0] == pytest.approx(counts[1:].sum(axis=0))
    assert (counts >= 0).all()


def test_horizon_outside_the_projection_and_unknown_variant_are_one_czech_line(con, inputs) -> None:
    with pytest.raises(SprssError, match="mimo roky projekce 2024–2101"):
        projekce.years(inputs, 2150)
    with pytest.raises(SprssError, match="Neznámá varianta"):
        projekce.load(con, "optimisticka")
    with pytest.raises(SprssError, match="jen projekce varianty střední"):
        projekce.load(con, "vysoka")


def test_cli_writes_the_tidy_columns_for_a_territory(data) -> None:
    result = run_sprss("projection", "--territory", "orp:6105", "--to", "2030", data=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "uzemi_typ,uzemi_kod,uzemi_nazev,obdobi,ukazatel,hodnota,jednotka"
    table = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype={"uzemi_kod": str})
    assert set(table.uzemi_typ) == {"orp", "kraj", "stat"}
    assert table.obdobi.min() == "2024-01-01" and table.obdobi.max() == "2030-01-01"
    assert set(table.ukazatel) == {"projekce_obyvatel_celkem", "projekce_obyvatel_0_14", "projekce_obyvatel_15_64",
                                   "projekce_obyvatel_65_plus", "projekce_obyvatel_80_plus", "projekce_obyvatel_85_plus"}
    bad = run_sprss("projection", "--territory", "orp:6105", "--to", "2200", data=data)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1 and "2200" in bad.stderr


def _backcast():
    spec = importlib.util.spec_from_file_location("backcast_projection", REPO / "benchmarks" / "backcast_projection.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("backcast_projection", module)
    spec.loader.exec_module(module)
    return module


def test_backcast_from_2020_to_the_known_2024_population(con, inputs, obce) -> None:
    """Projected 1. 1. 2025 against the known 31. 12. 2024: kraje 65+ and 80+, ORP totals (README, Back-cast)."""
    backcast = _backcast()
    known = backcast.known_kraje(con).set_index("uzemi_kod")
    assert known.loc["CZ", "plus_65"] == 2255887  # OBY02DT01, the file's own groups 65–69 … 95+
    nuts = obce.drop_duplicates("kraj_kod").set_index("kraj_nuts_kod")["kraj_kod"]
    kraje = [territory.resolve(f"kraj:{nuts[k]}", obce).area for k in known.index if k != "CZ"]
    counts = projekce.project(inputs, kraje, [2025])[:, 0, :]
    errors_65 = counts[:, 65:].sum(axis=1) / known.loc[known.index != "CZ", "plus_65"].to_numpy() - 1
    errors_80 = counts[:, 80:].sum(axis=1) / known.loc[known.index != "CZ", "plus_80"].to_numpy() - 1
    assert abs(errors_65).max() < 0.02 and abs(errors_80).max() < 0.04
    orp_known = backcast.known_orp(con).set_index("orp_kod")["celkem"]
    areas = [territory.Area("orp", kod, group["orp_nazev"].iloc[0], tuple(group["obec_kod"]))
             for kod, group in obce.groupby("orp_kod") if kod in orp_known.index]
    assert len(areas) == 205
    projected = projekce.project(inputs, areas, [2025])[:, 0, :].sum(axis=1)
    relative = projected / orp_known.loc[[a.kod for a in areas]].to_numpy() - 1
    assert abs(relative).mean() < 0.015 and abs(relative).max() < 0.05


def test_a_projection_whose_ages_do_not_add_up_to_its_total_is_refused(real_warehouse, tmp_path) -> None:
    source = real(DATASTAT / "CSVs" / "OBY02PT03.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [line.replace(",Celkem,0,2030,", ",Celkem,0,2030,1") if ",Celkem,0,2030," in line else line
               for line in source]
    assert changed != source
    broken = tmp_path / "OBY02PT03.csv"
    broken.write_text("".join(changed), encoding="utf-8")
    copied = copy_data_dir(real_warehouse, tmp_path / "data")
    result = run_sprss("import", real(DATASTAT / "schemas.zip"), broken, data=copied)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "projekce_obyvatel" in lines[0] and "úhrn" in lines[0]


def test_the_chapter_input_has_a_row_when_projection_and_ages_are_there(con) -> None:
    assert con.execute("SELECT count(*) FROM projekce_vstup").fetchall()[0][0] == 1
