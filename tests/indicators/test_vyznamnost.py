"""Intervals against published reference values, the marks and the small-base rule."""
import math

import pytest

from pipeline.indicators import metadata, vyznamnost


def test_wilson_matches_the_published_example() -> None:
    # Newcombe (1998), Stat Med 17:857, table I: 81/263 -> 0.2553 to 0.3662 (Wilson score)
    low, high = vyznamnost.wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert vyznamnost.wilson(0, 10)[0] == 0.0


@pytest.mark.parametrize(("k", "low", "high"), [
    # exact Poisson limits (Garwood), e.g. tables in Ulm (1990), Am J Epidemiol 131:373
    (0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.623, 11.668), (10, 4.795, 18.390), (100, 81.364, 121.627),
])
def test_exact_poisson_limits(k: int, low: float, high: float) -> None:
    got = vyznamnost.poisson(k)
    assert got[0] == pytest.approx(low, abs=1e-3) and got[1] == pytest.approx(high, abs=1e-3)


def test_byar_agrees_with_the_exact_interval_where_it_takes_over() -> None:
    k = vyznamnost.EXACT_POISSON_MAX
    exact = vyznamnost.poisson(k)
    byar = vyznamnost.poisson(k + 1e-9)  # just above: Byar's formula
    assert byar[0] == pytest.approx(exact[0], rel=1e-3) and byar[1] == pytest.approx(exact[1], rel=1e-3)


def test_marks_follow_the_interval_and_small_bases_are_suppressed() -> None:
    assert vyznamnost.mark(21.0, 23.0, 20.0) == vyznamnost.HIGHER
    assert vyznamnost.mark(21.0, 23.0, 24.0) == vyznamnost.LOWER
    assert vyznamnost.mark(21.0, 23.0, 22.0) == vyznamnost.SIMILAR
    assert vyznamnost.mark(math.nan, math.nan, 22.0) == vyznamnost.SMALL
    assert vyznamnost.small_base(4, 1000) and vyznamnost.small_base(50, 99) and not vyznamnost.small_base(5, 100)


def test_shares_of_the_population_are_tested_and_indices_are_not() -> None:
    codes = [i.kod for i in vyznamnost.tested(metadata.catalogue())]
    assert {"podil_0_14", "podil_15_64", "podil_65_plus", "podil_80_plus"} <= set(codes)
    assert "index_stari" not in codes and "prumerny_vek" not in codes


@pytest.fixture(scope="module")
def data(real_warehouse):
    return real_warehouse


def test_benchmark_of_a_real_orp_against_its_kraj_and_cr(con) -> None:
    from pipeline.core import territory
    from pipeline.indicators import demografie
    from pipeline.warehouse.obce import load_obce

    obce = load_obce(con)
    chosen = territory.resolve("orp:6105", obce)
    references = [a for a in territory.comparisons(chosen, obce) if a.typ in ("kraj", "stat")]
    table = vyznamnost.benchmark(con, chosen.area, references)
    indicators = demografie.compute(con, [chosen.area, *references])
    row = table[(table.ukazatel == "podil_65_plus") & (table.srovnani_typ == "stat")].iloc[0]
    published = indicators[(indicators.ukazatel == "podil_65_plus") & (indicators.uzemi_typ == "orp")
                           & (indicators.obdobi == row.obdobi)]
    national = indicators[(indicators.ukazatel == "podil_65_plus") & (indicators.uzemi_typ == "stat")
                          & (indicators.obdobi == row.obdobi)]
    assert row.hodnota == pytest.approx(published.hodnota.iloc[0])
    assert row.srovnani_hodnota == pytest.approx(national.hodnota.iloc[0])
    assert row.dolni_mez < row.hodnota < row.horni_mez
    expected = vyznamnost.mark(row.dolni_mez, row.horni_mez, row.srovnani_hodnota)
    assert row.vysledek == expected != vyznamnost.SMALL
    assert set(table.srovnani_typ) == {"kraj", "stat"}


def test_a_tiny_obec_is_suppressed_not_compared(con) -> None:
    from pipeline.core import territory
    from pipeline.warehouse.obce import load_obce

    obce = load_obce(con)
    smallest = con.execute("""SELECT obec_kod FROM obec_pocty WHERE obyvatel_80_plus IS NOT NULL
                              ORDER BY obyvatel_80_plus, obec_kod LIMIT 1""").fetchall()[0][0]
    chosen = territory.resolve(f"obec:{smallest}", obce)
    table = vyznamnost.benchmark(con, chosen.area, territory.comparisons(chosen, obce)[-1:])
    row = table[table.ukazatel == "podil_80_plus"].iloc[0]
    assert row.vysledek == vyznamnost.SMALL and math.isnan(row.hodnota)
