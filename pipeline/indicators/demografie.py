"""Demographic indicators for any set of areas, computed from summed counts (never averaged ratios).

What each indicator is, and how it is computed, lives in indicators.yaml; this module only turns
that into SQL over the area counts (sql/uzemi_pocty.sql). The age pyramid (sql/pyramida.sql) gives the
counts by sex and age band that charts need beyond the indicators.
"""
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core.territory import Area, membership
from pipeline.indicators.metadata import catalogue

AREA_COUNTS_SQL = Path(__file__).with_name("sql") / "uzemi_pocty.sql"
PYRAMID_SQL = Path(__file__).with_name("sql") / "pyramida.sql"
OUTPUT_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka"]


def population_sources(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Date (ISO) -> the sources its population counts come from: the publication Počet obyvatel v obcích at 1. 1.,
    the age tables at 31. 12. A source line names only these, not every source a count may come from."""
    found: dict[str, tuple[str, ...]] = {}
    for obdobi, zdroj in con.execute("SELECT DISTINCT strftime(obdobi, '%Y-%m-%d'), zdroj FROM populace_celkem "
                                     "ORDER BY ALL").fetchall():
        found[obdobi] = (*found.get(obdobi, ()), zdroj)
    return found


def compute(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS) for every area and date; areas keep the order given."""
    indicators = catalogue()
    con.register("clenstvi", membership(areas))
    try:
        values = ",\n".join(f"{i.sql()} AS {i.kod}" for i in indicators)
        wide = con.execute(f"""
            WITH uzemi_pocty AS ({AREA_COUNTS_SQL.read_text()})
            SELECT uzemi_poradi, uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, {values}
            FROM uzemi_pocty
        """).df()
    finally:
        con.unregister("clenstvi")
    order = {i.kod: n for n, i in enumerate(indicators)}
    units = {i.kod: i.jednotka for i in indicators}
    tidy = wide.melt(id_vars=["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi"],
                     var_name="ukazatel", value_name="hodnota").dropna(subset=["hodnota"])
    tidy["jednotka"] = tidy["ukazatel"].map(units)
    tidy["_order"] = tidy["ukazatel"].map(order)
    tidy = tidy.sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    tidy["obdobi"] = pd.to_datetime(tidy["obdobi"]).dt.strftime("%Y-%m-%d")
    tidy["hodnota"] = tidy["hodnota"].astype(float)
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)


def age_pyramid(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Columns uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, pohlavi (muzi|zeny), vek_od, vek_do (NaN = 85+), pocet."""
    members = membership(areas)
    con.register("clenstvi", members)
    try:
        counts = con.execute(PYRAMID_SQL.read_text()).df()
    finally:
        con.unregister("clenstvi")
    labels = members.drop_duplicates("uzemi_poradi").drop(columns="obec_kod")
    result = counts.merge(labels, on="uzemi_poradi").sort_values(["uzemi_poradi", "obdobi", "pohlavi", "vek_od"])
    result["obdobi"] = pd.to_datetime(result["obdobi"]).dt.strftime("%Y-%m-%d")
    return result[["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "pohlavi", "vek_od", "vek_do", "pocet"]].reset_index(drop=True)
