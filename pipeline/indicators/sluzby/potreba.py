"""Capacity a territory will need in the horizon year, per service type, and the gap against today's capacity.

Need = coverage per 1,000 of the service type's target population (cilove_populace.yaml) × the projected target
population of the horizon year / 1,000, at four yardsticks (MERITKA): the territory's own coverage today, its
kraj's, ČR's, and a normative the analyst sets (normativy.yaml, each value with unit, source and date). Gap =
need − capacity registered today (positive: places missing). Today's coverage divides today's capacity by the
target population of the latest age structure; the need keeps that ratio and changes only the population.
"""
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from pipeline.core.errors import SprssError
from pipeline.core.territory import Area
from pipeline.indicators import projekce
from pipeline.indicators.sluzby import coverage
from pipeline.indicators.sluzby.catalogue import UNITS

NORMATIVES_FILE = Path(__file__).with_name("normativy.yaml")
MERITKA = {"uzemi": "pokrytí území dnes", "kraj": "pokrytí kraje dnes", "cr": "pokrytí ČR dnes",
           "normativ": "normativ"}
PROJECTED = {column: "projekce_" + column for column in coverage.POPULATION_LABELS}
DEMAND_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "druh_kod", "druh_nazev", "forma", "typ_kapacity",
                  "kapacita", "cilova_populace_popis", "cilova_populace", "cilova_populace_k", "rok",
                  "cilova_populace_vyhled", "meritko", "meritko_popis", "na_1000", "potreba", "mezera",
                  "normativ_jednotka", "normativ_zdroj", "registr_k"]


@dataclass(frozen=True)
class Normative:
    druh: str
    typ_kapacity: str
    hodnota: float
    jednotka: str
    zdroj: str
    datum: date


@cache
def normatives(path: Path = NORMATIVES_FILE) -> tuple[Normative, ...]:
    """The analyst's normatives; one without unit, source, date or a number is one Czech line."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SprssError(f"Soubor normativů {path} nelze přečíst: {exc}.") from exc
    found = []
    for number, entry in enumerate(spec.get("normativy") or [], start=1):
        where = f"Soubor normativů {path}, položka {number}"
        if not isinstance(entry, dict):
            raise SprssError(f"{where}: očekáván slovník s klíči druh, typ_kapacity, hodnota, jednotka, zdroj, datum.")
        for key in ("druh", "typ_kapacity", "jednotka", "zdroj"):
            if not str(entry.get(key) or "").strip():
                raise SprssError(f"{where}: chybí {key}" + (" (jednotka normativu, např. „lůžek na 1 000 obyvatel 80+“)."
                                                            if key == "jednotka" else "."))
        if not isinstance(entry.get("hodnota"), int | float) or entry["hodnota"] < 0:
            raise SprssError(f"{where}: hodnota {entry.get('hodnota')!r} není nezáporné číslo (kapacita na 1 000).")
        if not isinstance(entry.get("datum"), date):
            raise SprssError(f"{where}: datum {entry.get('datum')!r} není datum RRRR-MM-DD.")
        found.append(Normative(str(entry["druh"]), str(entry["typ_kapacity"]), float(entry["hodnota"]),
                               str(entry["jednotka"]), str(entry["zdroj"]), entry["datum"]))
    return tuple(found)


def demand(con: duckdb.DuckDBPyConnection, inputs: projekce.Inputs, areas: list[Area], kraj: Area | None,
           stat: Area, on_date: date, year: int, norms: tuple[Normative, ...] | None = None) -> pd.DataFrame:
    """DEMAND_COLUMNS for every area (rows: service type × form × capacity unit × yardstick)."""
    chosen = list(dict.fromkeys([*areas, *([kraj] if kraj else []), stat]))
    today = coverage.of_areas(con, chosen, on_date).table
    today = today[today["typ_kapacity"].notna()].copy()
    projected = projekce.compute(inputs, areas, year)
    projected = projected[projected["obdobi"] == f"{year}-01-01"]
    column = {label: name for name, label in coverage.POPULATION_LABELS.items()}
    today["sloupec"] = today["cilova_populace_popis"].map(column)
    by_area = {(a.typ, a.kod): i for i, a in enumerate(chosen)}
    today["poradi"] = [by_area[(t, k)] for t, k in zip(today["uzemi_typ"], today["uzemi_kod"], strict=True)]
    keys = ["druh_kod", "forma", "typ_kapacity"]
    rates = {name: today[today["poradi"] == by_area[(a.typ, a.kod)]].set_index(keys)["kapacita_na_1000"]
             for name, a in (("kraj", kraj), ("cr", stat)) if a is not None}
    norm = {(n.druh, n.typ_kapacity): n for n in (normatives() if norms is None else norms)}
    rows = []
    for area in areas:
        own = today[today["poradi"] == by_area[(area.typ, area.kod)]]
        values = projected[(projected["uzemi_typ"] == area.typ) & (projected["uzemi_kod"] == area.kod)]
        horizon = dict(zip(values["ukazatel"], values["hodnota"], strict=True))
        for row in own.itertuples(index=False):
            key = (row.druh_kod, row.forma, row.typ_kapacity)
            target = horizon.get(PROJECTED.get(str(row.sloupec), ""), np.nan)
            normative = norm.get((str(row.druh_kod), str(row.typ_kapacity)))
            yardsticks = {"uzemi": row.kapacita_na_1000,
                          "kraj": rates["kraj"].get(key, np.nan) if "kraj" in rates else np.nan,
                          "cr": rates["cr"].get(key, np.nan),
                          "normativ": normative.hodnota if normative else np.nan}
            for name, per_1000 in yardsticks.items():
                need = per_1000 * target / 1000 if pd.notna(per_1000) else np.nan
                capacity = np.nan if row.kapacita is None else float(str(row.kapacita))
                rows.append((area.typ, area.kod, area.nazev, row.druh_kod, row.druh_nazev, row.forma, row.typ_kapacity,
                             capacity, row.cilova_populace_popis, row.cilova_populace, row.cilova_populace_k, year,
                             target, name, MERITKA[name], per_1000, need, need - capacity,
                             normative.jednotka if normative and name == "normativ" else None,
                             f"{normative.zdroj} ({normative.datum.isoformat()})" if normative and name == "normativ" else None,
                             row.registr_k))
    return pd.DataFrame(rows, columns=DEMAND_COLUMNS)


def matrix(table: pd.DataFrame, meritko: str = "kraj") -> pd.DataFrame:
    """Need against supply: one row per area, one column per service type and capacity unit, the gap at `meritko`."""
    chosen = table[table["meritko"] == meritko].copy()
    units = chosen["typ_kapacity"].map(lambda t: UNITS[t][1] if t in UNITS else t)
    chosen["sloupec"] = chosen["druh_nazev"].fillna("druh " + chosen["druh_kod"].astype(str)) + " (" + units + ")"
    grouped = chosen.groupby(["uzemi_kod", "uzemi_nazev", "sloupec"], sort=False)["mezera"].sum(min_count=1)
    return grouped.unstack("sloupec").reset_index()
