"""Socio-economic indicators (exekuce, dávky, uchazeči o zaměstnání) for any set of areas.

Counts and their bases are summed over an area's obce and divided after (sql/socialni_uzemi.sql); a localisation
quotient is the area's share over the share of ČR from the same file and date. The published index of social
exclusion is an obec's own figure: it is given for obce as published and never for larger areas. What each
indicator is lives in indicators.yaml (section `ukazatele_socialni`).
"""
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core.territory import Area, membership
from pipeline.indicators.metadata import Indicator, catalogue

SECTION = "ukazatele_socialni"
AREA_SQL = Path(__file__).with_name("sql") / "socialni_uzemi.sql"
OUTPUT_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka"]
MEASURES = {"pocet": "pocet", "podil": "podil", "kvocient": "kvocient"}


def area_counts(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Per area × figure × date: pocet, zaklad (NaN when the file has no base), zaklad_typ, podil, kvocient, podil_cr,
    obdobi_typ, obci. Areas keep the order given (`uzemi_poradi`)."""
    con.register("clenstvi", membership(areas))
    try:
        frame = con.execute(AREA_SQL.read_text()).df()
    finally:
        con.unregister("clenstvi")
    frame["obdobi"] = pd.to_datetime(frame["obdobi"]).dt.strftime("%Y-%m-%d")
    return frame


def published_index(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """The index (0–30 points) and its category for the obce among `areas`, as published."""
    codes = [a.kod for a in areas if a.typ == "obec"]
    frame = con.execute("SELECT obec_kod, obdobi, body, kategorie FROM socialni_index WHERE list_contains(?, obec_kod) "
                        "ORDER BY obec_kod, obdobi", [codes]).df()
    frame["obdobi"] = pd.to_datetime(frame["obdobi"]).dt.strftime("%Y-%m-%d")
    return frame


def _measure(indicator: Indicator) -> tuple[str, str]:
    """(column of area_counts, figure) of an indicator; a quotient names the share it divides."""
    ((kind, what),) = indicator.vypocet.items()
    if kind == "kvocient":
        return "kvocient", next(i for i in catalogue(SECTION) if i.kod == what).vypocet["podil"]
    return MEASURES[kind], what


def compute(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS) of every socio-economic indicator, area and date; areas keep the order given."""
    counts = area_counts(con, areas)
    index = published_index(con, areas)
    names = {a.kod: a.nazev for a in areas if a.typ == "obec"}
    parts = []
    for indicator in catalogue(SECTION):
        if "zverejneno" in indicator.vypocet:
            part = pd.DataFrame({"uzemi_poradi": [next(n for n, a in enumerate(areas) if a.typ == "obec" and a.kod == k)
                                                  for k in index["obec_kod"]],
                                 "uzemi_typ": "obec", "uzemi_kod": index["obec_kod"],
                                 "uzemi_nazev": index["obec_kod"].map(names), "obdobi": index["obdobi"],
                                 "hodnota": index["body"].astype(float)})
        else:
            column, figure = _measure(indicator)
            rows = counts[counts["ukazatel"] == figure]
            part = rows[["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi"]].assign(
                hodnota=rows[column].astype(float))
        parts.append(part.assign(ukazatel=indicator.kod, jednotka=indicator.jednotka))
    order = {i.kod: n for n, i in enumerate(catalogue(SECTION))}
    tidy = pd.concat(parts, ignore_index=True).dropna(subset=["hodnota"])
    tidy = tidy.assign(_order=tidy["ukazatel"].map(order)).sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)


HOUSING_SECTION = "ukazatele_bytova_nouze"


def housing(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table of housing exclusion for the areas that are whole ORP or unions of whole ORP (sum over them).

    An area that splits an ORP (an obec, a POÚ, most custom territories) gets nothing: an ORP figure cannot be
    divided among obce. A figure is summed only when every ORP of the area has it for that date.
    """
    figures = con.execute("SELECT orp_kod, strftime(obdobi, '%Y-%m-%d') AS obdobi, ukazatel, pocet FROM bytova_nouze").df()
    orp_of = dict(con.execute("SELECT obec_kod, orp_kod FROM obce").fetchall())
    obce_of: dict[str, set[str]] = {}
    for obec, orp in orp_of.items():
        obce_of.setdefault(orp, set()).add(obec)
    indicators = {i.vypocet["orp"]: i for i in catalogue(HOUSING_SECTION)}
    rows = []
    for position, area in enumerate(areas):
        orps = {orp_of[o] for o in area.obce if o in orp_of}
        if not orps or set().union(*(obce_of[o] for o in orps)) != set(area.obce):
            continue
        mine = figures[figures["orp_kod"].isin(orps)].groupby(["obdobi", "ukazatel"], as_index=False)["pocet"] \
            .agg(["sum", "count"])
        for obdobi, figure, total, count in mine[["obdobi", "ukazatel", "sum", "count"]].itertuples(index=False):
            if count == len(orps) and figure in indicators:
                rows.append((position, area.typ, area.kod, area.nazev, obdobi, indicators[figure].kod, float(total),
                             indicators[figure].jednotka))
    order = {i.kod: n for n, i in enumerate(catalogue(HOUSING_SECTION))}
    tidy = pd.DataFrame(rows, columns=["uzemi_poradi", *OUTPUT_COLUMNS])
    tidy = tidy.assign(_order=tidy["ukazatel"].map(order)).sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)
