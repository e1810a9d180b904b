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
from pipeline.indicators import datastat
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
    """Tidy table (OUTPUT_COLUMNS) of every socio-economic indicator, area and date; areas keep the order given.

    Sums over obce come first; DataStat's published figures of kraje, okresy and ČR (published_regions) fill in
    only what the sums do not give (e.g. the share of unemployed, whose base the per-obec file lacks).
    """
    counts = area_counts(con, areas)
    index = published_index(con, areas)
    names = {a.kod: a.nazev for a in areas if a.typ == "obec"}
    parts = []
    for indicator in catalogue(SECTION):
        if indicator.vypocet.get("zverejneno", "socialni_index") != "socialni_index":
            continue  # a DataStat figure: published_regions below
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
    computed = pd.concat(parts, ignore_index=True).dropna(subset=["hodnota"])
    published = published_regions(con, areas)
    keys = ["uzemi_poradi", "ukazatel", "obdobi"]
    fresh = published.merge(computed[keys], on=keys, how="left", indicator=True)["_merge"].eq("left_only").to_numpy()
    tidy = pd.concat([computed, published[fresh]], ignore_index=True)
    order = {i.kod: n for n, i in enumerate(catalogue(SECTION))}
    tidy = tidy.assign(_order=tidy["ukazatel"].map(order)).sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)


HOUSING_SECTION = "ukazatele_bytova_nouze"


def whole_orp(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> list[tuple[int, Area, set[str]]]:
    """(position, area, its ORP codes) of the areas that are one whole ORP or a union of whole ORP: the only areas
    an ORP figure can be given for (it cannot be divided among obce)."""
    orp_of = dict(con.execute("SELECT obec_kod, orp_kod FROM obce").fetchall())
    obce_of: dict[str, set[str]] = {}
    for obec, orp in orp_of.items():
        obce_of.setdefault(orp, set()).add(obec)
    found = []
    for position, area in enumerate(areas):
        orps = {orp_of[o] for o in area.obce if o in orp_of}
        if orps and set().union(*(obce_of[o] for o in orps)) == set(area.obce):
            found.append((position, area, orps))
    return found


def housing(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table of housing exclusion for the areas that are whole ORP or unions of whole ORP (sum over them).

    An area that splits an ORP (an obec, a POÚ, most custom territories) gets nothing: an ORP figure cannot be
    divided among obce. A figure is summed only when every ORP of the area has it for that date.
    """
    figures = con.execute("SELECT orp_kod, strftime(obdobi, '%Y-%m-%d') AS obdobi, ukazatel, pocet FROM bytova_nouze").df()
    indicators = {i.vypocet["orp"]: i for i in catalogue(HOUSING_SECTION)}
    rows = []
    for position, area, orps in whole_orp(con, areas):
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


# --- published figures of DataStat selections (pipeline/indicators/datastat.py reads them) ------------------------

UNEMPLOYMENT_SELECTION, CARE_SELECTIONS, FACILITIES_SELECTION = "NEZ01T1", ("SZB09", "SZB09B"), "SZB07C"
# DataStat indicator code -> sprss indicator code, for the NEZ01T1 selection (kraje, okresy, ČR)
UNEMPLOYMENT_CODES = {"5973D": "dosazitelni_uchazeci", "5973DI": "podil_nezamestnanych"}
CARE_INDICATOR = "10078"  # Příjemci příspěvku na péči


def _imported(con: duckdb.DuckDBPyConnection) -> set[str]:
    return set(datastat.selections(con)["vyber"])


def _datastat_codes(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> dict[int, str]:
    """Position of each kraj, okres or ČR area -> the territory code DataStat uses for it (NUTS, LAU, CZ)."""
    columns = {"kraj": ("kraj_kod", "kraj_nuts_kod"), "okres": ("okres_kod", "okres_lau_kod")}
    found = {}
    for position, area in enumerate(areas):
        if area.typ == "stat":
            found[position] = "CZ"
        elif area.typ in columns:
            key, code = columns[area.typ]
            rows = con.execute(f"SELECT DISTINCT {code} FROM obce WHERE {key} = ?", [area.kod]).fetchall()
            if len(rows) == 1 and rows[0][0]:
                found[position] = rows[0][0]
    return found


def published_regions(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy rows for kraje, okresy and ČR as DataStat publishes them: dosažitelní uchazeči and the share of
    unemployed (NEZ01T1), recipients of příspěvek na péči (SZB09, all stupně, sexes and ages)."""
    imported, codes = _imported(con), _datastat_codes(con, areas)
    units = {i.kod: i.jednotka for i in catalogue(SECTION)}
    parts = []
    if UNEMPLOYMENT_SELECTION in imported:
        frame = datastat.values(con, UNEMPLOYMENT_SELECTION, {datastat.territory_dimension(con, UNEMPLOYMENT_SELECTION):
                                                              "uzemi"})
        parts.append(frame[frame["ukazatel_kod"].isin(UNEMPLOYMENT_CODES)].assign(
            ukazatel=lambda f: f["ukazatel_kod"].map(UNEMPLOYMENT_CODES)))
    if CARE_SELECTIONS[0] in imported:
        frame = datastat.values(con, CARE_SELECTIONS[0])
        geo = datastat.territory_dimension(con, CARE_SELECTIONS[0])
        others = [c for c in frame.columns if c.endswith("_kod") and c not in (f"{geo}_kod", "ukazatel_kod")]
        total = frame[(frame["ukazatel_kod"] == CARE_INDICATOR) & frame[others].isna().all(axis=1)]
        parts.append(total.rename(columns={f"{geo}_kod": "uzemi_kod"}).assign(ukazatel="prijemci_prispevku_na_peci"))
    rows = []
    for part in parts:
        for position, code in codes.items():
            area = areas[position]
            for item in part[part["uzemi_kod"] == code].to_dict("records"):
                rows.append((position, area.typ, area.kod, area.nazev, item["obdobi_do"].isoformat(), item["ukazatel"],
                             float(item["hodnota"]), units[item["ukazatel"]]))
    return pd.DataFrame(rows, columns=["uzemi_poradi", *OUTPUT_COLUMNS])


def care_allowance(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Recipients of příspěvek na péči by stupeň (SZB09: every year) and by stupeň, sex and age (SZB09B), for the
    kraje and ČR among `areas`: uzemi_typ, uzemi_kod, uzemi_nazev, vyber, obdobi, stupen, pohlavi, vek, hodnota
    (a label "Celkem" is the total over that dimension)."""
    imported, codes = _imported(con), _datastat_codes(con, areas)
    names = {"sTZPRISPECE": "stupen", "Pohlciz": "pohlavi", "VEKSZB": "vek"}
    rows = []
    for vyber in (v for v in CARE_SELECTIONS if v in imported):
        frame = datastat.values(con, vyber)
        geo = datastat.territory_dimension(con, vyber)
        frame = frame[frame["ukazatel_kod"] == CARE_INDICATOR]
        for position, code in codes.items():
            area = areas[position]
            mine = frame[frame[f"{geo}_kod"] == code]
            for item in mine.to_dict("records"):
                rows.append({"uzemi_typ": area.typ, "uzemi_kod": area.kod, "uzemi_nazev": area.nazev, "vyber": vyber,
                             "obdobi": item["obdobi_do"].isoformat(),
                             **{name: item.get(dim, "Celkem") for dim, name in names.items()}, "hodnota": item["hodnota"]})
    return pd.DataFrame(rows, columns=["uzemi_typ", "uzemi_kod", "uzemi_nazev", "vyber", "obdobi", "stupen", "pohlavi",
                                       "vek", "hodnota"])


def facilities(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Facilities of social services by type (SZB07C, per SO ORP) for the areas that are whole ORP or unions of them:
    uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, druh_kod, druh, pocet (sum over the area's ORP)."""
    columns = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "druh_kod", "druh", "pocet"]
    if FACILITIES_SELECTION not in _imported(con):
        return pd.DataFrame(columns=columns)
    geo = datastat.territory_dimension(con, FACILITIES_SELECTION)
    frame = datastat.values(con, FACILITIES_SELECTION, {geo: "orp", "DRUHSOCZAR": "druh"})
    frame = frame[frame["druh_kod"].notna() & frame["orp_kod"].notna()]
    rows = []
    for _, area, orps in whole_orp(con, areas):
        mine = frame[frame["orp_kod"].isin(orps)]
        complete = mine.groupby(["obdobi_do", "druh_kod", "druh"])["hodnota"].agg(["sum", "count"]).reset_index()
        for item in complete[complete["count"] == len(orps)].to_dict("records"):
            rows.append((area.typ, area.kod, area.nazev, item["obdobi_do"].isoformat(), item["druh_kod"], item["druh"],
                         float(item["sum"])))
    return pd.DataFrame(rows, columns=columns)
