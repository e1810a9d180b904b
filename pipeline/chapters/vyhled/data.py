"""What the chapter "Výhled a potřeba služeb" shows, read once at the start of notebooks/vyhled.py.

Numbers come from the indicator layer as they are: `projekce` (the projected age groups of the territory, its
kraj and ČR, every variant the warehouse holds), `sluzby.potreba` (capacity needed in the horizon year and the
gap) and `vyznamnost` (the territory against its kraj and ČR with 95 % intervals). This module selects, pivots
and words them; every sentence is checked against zero bases, missing registry and missing variants.
"""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import sources
from pipeline.chapters.shared import Table
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Territory, label
from pipeline.core.text import before_number, czech_date, czech_number, parse_date, plural
from pipeline.indicators import projekce, small_bases, vyznamnost
from pipeline.indicators.metadata import projection_catalogue
from pipeline.indicators.sluzby import activity, potreba
from pipeline.indicators.sluzby.catalogue import FORMS, UNITS
from pipeline.indicators.sluzby.catalogue import SOURCE as REGISTRY
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

SENIOR_GROUPS = {"projekce_obyvatel_65_plus": "65+", "projekce_obyvatel_80_plus": "80+",
                 "projekce_obyvatel_85_plus": "85+"}
PLAN_YEARS = 5  # a plan is written for the next 3–5 years: the default horizon
CHART_YEARS = 15
SMALL_GROUP = 20  # fewer persons: a change is not given in per cent
# the gap of the matrix is shown for types whose target group is an age group (the others follow total population)
AGE_TARGETS = ("obyvatelé 65+", "obyvatelé 80+", "obyvatelé 85+")


@dataclass
class OutlookData:
    territory: Territory
    references: list[Area]                 # ORP of a finer territory, kraj, ČR
    inputs: projekce.Inputs                # the middle (or only) variant
    projected: pd.DataFrame                # tidy projection of territory + references, every variant (column varianta)
    horizon: int
    datum: date | None                     # the registry date of the demand, None without a registry
    demand: pd.DataFrame                   # potreba.DEMAND_COLUMNS of the territory (empty without a registry)
    kraj_matrix: pd.DataFrame              # potreba.DEMAND_COLUMNS of every ORP of the kraj (empty when not one kraj)
    kraj: Area | None
    benchmark: pd.DataFrame                # vyznamnost.BENCHMARK_COLUMNS
    notes: list[str]

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def variants(self) -> list[str]:
        return [v for v in projekce.VARIANTS if v in set(self.projected["varianta"])]

    def source(self, registry: bool = False) -> str:
        parts = projekce.source_line_parts(self.inputs)
        if registry and self.datum is not None:
            parts.append(f"{REGISTRY} (k {czech_date(self.datum)})")
        return sources.source_line(*parts)


def load(selector: str, data_dir: Path | str | None = None, datum: str | None = None,
         horizont: int | None = None) -> OutlookData:
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        references = territory.comparisons(chosen, obce)
        held = projekce.variants(con)
        inputs = projekce.load(con, "stredni" if "stredni" in held else held[0] if held else "stredni")
        others = {v: projekce.load(con, v) for v in held if v != inputs.varianta}
        notes: list[str] = []
        on = parse_date(datum)
        try:
            on = on or activity.edition(con, date.max)
        except SprssError:
            on = None
            notes.append("V podkladech analýzy není registr poskytovatelů sociálních služeb MPSV, potřeba kapacit služeb se "
                         "proto nepočítá.")
        years = projekce.years(inputs, None)
        today = on or (inputs.scaled_to or inputs.base_date).date()
        start = today.year + PLAN_YEARS
        horizon = horizont or min(max(start, years[0]), years[-1])
        projekce.years(inputs, horizon)  # a horizon outside the projection is one Czech line
        areas = [chosen.area, *references]
        last = min(years[-1], max(horizon, years[0] + CHART_YEARS))
        projected = pd.concat([projekce.compute(i, areas, last).assign(varianta=v)
                               for v, i in {inputs.varianta: inputs, **others}.items()], ignore_index=True)
        kraje = [a for a in references if a.typ == "kraj"]
        kraj = kraje[0] if len(kraje) == 1 else (chosen.area if chosen.area.typ == "kraj" else None)
        stat = next(a for a in [*references, chosen.area] if a.typ == "stat")
        demand = pd.DataFrame(columns=potreba.DEMAND_COLUMNS)
        matrix = pd.DataFrame(columns=potreba.DEMAND_COLUMNS)
        if on is not None:
            demand = potreba.demand(con, inputs, [chosen.area], kraj if kraj != chosen.area else None, stat, on, horizon)
            if kraj is not None:
                orp = [territory.Area("orp", str(kod), str(group["orp_nazev"].iloc[0]), tuple(group["obec_kod"]))
                       for kod, group in obce[obce["kraj_kod"] == kraj.kod].groupby("orp_kod")]
                matrix = potreba.demand(con, inputs, orp, kraj, stat, on, horizon)
        compared = [a for a in references if a.typ in ("kraj", "stat")]
        benchmark = vyznamnost.benchmark(con, chosen.area, compared) if compared else pd.DataFrame(
            columns=vyznamnost.BENCHMARK_COLUMNS)
    return OutlookData(chosen, references, inputs, projected, horizon, on, demand, matrix, kraj, benchmark, notes)


def _series(d: OutlookData, area: Area, code: str, varianta: str | None = None) -> pd.Series:
    rows = d.projected[(d.projected["uzemi_typ"] == area.typ) & (d.projected["uzemi_kod"] == area.kod)
                       & (d.projected["ukazatel"] == code) & (d.projected["varianta"] == (varianta or d.inputs.varianta))]
    return pd.Series(rows["hodnota"].to_numpy(), index=rows["obdobi"].str[:4].astype(int))


def senior_series(d: OutlookData) -> dict[str, pd.DataFrame]:
    """Group label -> frame indexed by year with columns per variant (the chart's lines and band)."""
    return {name: pd.DataFrame({v: _series(d, d.head, code, v) for v in d.variants})
            for code, name in SENIOR_GROUPS.items()}


def first_year(d: OutlookData) -> int:
    return int(d.projected["obdobi"].str[:4].astype(int).min())


def projection_table(d: OutlookData) -> Table:
    """Projected age groups of the territory: the first year, the horizon and every fifth year to the chart's end."""
    first = first_year(d)
    last = int(d.projected["obdobi"].str[:4].astype(int).max())
    years = sorted({first, d.horizon, *range(first - first % 5 + 5, last + 1, 5)} & set(range(first, last + 1)))
    rows = []
    for indicator in projection_catalogue():
        series = _series(d, d.head, indicator.kod)
        rows.append([age_label(indicator.vypocet["projekce"]), *[series.get(y, np.nan) for y in years]])
    frame = pd.DataFrame(rows, columns=["Věk", *[f"1. 1. {y}" for y in years]])
    return Table(frame, {c: 0 for c in frame.columns[1:]}, d.source())


def age_label(ages: dict) -> str:
    """{'vek_od': 65, 'vek_do': None} -> '65 a více let'; the whole population is 'celkem'."""
    if ages["vek_do"] is None:
        return "celkem" if ages["vek_od"] == 0 else f"{ages['vek_od']} a více let"
    return f"{ages['vek_od']}–{ages['vek_do']} let"


def signed(value: float) -> str:
    """+2 %, −1 %, 0 %: a change, with its sign."""
    text = czech_number(value, 0)
    return text if text.startswith("−") or text == "0" else "+" + text


def growth(d: OutlookData, area: Area, code: str) -> float:
    """Index of the horizon year against the first projection year (first = 100); NaN on a zero base."""
    series = _series(d, area, code)
    base = series.get(first_year(d), np.nan)
    return float(series.get(d.horizon, np.nan) / base * 100) if base and base > 0 else np.nan


def outlook_lines(d: OutlookData) -> list[str]:
    """Sentences about the seniors in the horizon year; true for any territory, zero bases included."""
    first = first_year(d)
    people = base_population(d)
    if people == 0:  # a military district: nobody to project
        return [f"Území ve výchozí věkové struktuře k {czech_date(d.inputs.base_date)} nemělo žádné obyvatele, "
                "projekce proto v něm žádné obyvatele neukazuje."]
    small_territory = people < small_bases.MIN_POPULATION  # the study's one rule for small bases
    lines = []
    for code, name in SENIOR_GROUPS.items():
        series = _series(d, d.head, code)
        start, end = series.get(first, np.nan), series.get(d.horizon, np.nan)
        if small_territory or not start >= SMALL_GROUP:  # NaN too
            why = (f"v území s méně než {czech_number(small_bases.MIN_POPULATION)} obyvateli se změna v procentech "
                   "neuvádí ani nesrovnává" if small_territory else "při tak malém počtu se změna v procentech neuvádí")
            lines.append(f"Obyvatel {name} bude v území k 1. 1. {d.horizon} podle projekce přibližně "
                         f"{czech_number(end, 0)} (k 1. 1. {first} {czech_number(start, 0)}); {why}.")
            continue
        change = end / start * 100 - 100
        word = "vzroste" if change >= 0.5 else "klesne" if change <= -0.5 else "zůstane přibližně stejný"
        amount = f" o {czech_number(abs(change), 0)} %" if word != "zůstane přibližně stejný" else ""
        compared = []
        for area in d.references:
            other = growth(d, area, code)
            if not np.isnan(other):
                compared.append(f"{label(area)} {signed(other - 100)} %")
        against = f" (pro srovnání: {', '.join(compared)})" if compared else ""
        lines.append(f"Počet obyvatel {name} {word}{amount} {before_number('z', round(start))} {czech_number(start, 0)} k 1. 1. {first} na "
                     f"{czech_number(end, 0)} k 1. 1. {d.horizon}{against}.")
    return lines


def base_population(d: OutlookData) -> float:
    """Inhabitants of the territory in the projection's starting age structure."""
    members = set(d.head.obce)
    rows = [i for i, kod in enumerate(d.inputs.base.obce) if kod in members]
    return float(sum(matrix[rows].sum() for matrix in d.inputs.base.counts.values()))


def uncertainty_lines(d: OutlookData) -> list[str]:
    """What the projection cannot know, said every time."""
    people = base_population(d)
    lines = [f"Projekce území je odvozena z projekce ČSÚ (varianta {', '.join(projekce.VARIANTS[v] for v in d.variants)}): "
             "každá obec si ponechává svůj podíl na každém ročníku narození z věkové struktury "
             f"k {czech_date(d.inputs.base_date)}. Nepočítá s místní výstavbou, uzavřením zařízení ani s odlišnou "
             "migrací území; tyto vlivy může analytik posoudit jen znalostí místa."]
    if len(d.variants) == 1:
        lines.append("V podkladech analýzy je jen jedna varianta projekce ČSÚ, rozpětí mezi nízkou a vysokou variantou proto "
                     "není zobrazeno; skutečný vývoj se může od střední varianty lišit.")
    if 0 < people < 5000:
        lines.append(f"Území má méně než 5 000 obyvatel ({czech_number(people, 0)} ve výchozí věkové struktuře): "
                     "projektované počty jsou hladké podíly na projekci ČR, nikoli předpověď pro tak malé území; "
                     "skutečné počty budou kolísat více.")
    lines.append("Zpětné ověření metody (z věkové struktury k 31. 12. 2020 na známý stav k 31. 12. 2024) dalo "
                 "průměrnou chybu počtu obyvatel ORP 0,9 % (nejvýše 3,3 %), u 65+ v krajích 0,7 % (nejvýše 1,6 %) "
                 "a u 80+ 1,1 % (nejvýše 3,3 %); pro jednotlivé obce a delší výhled je nejistota větší.")
    return lines


def demand_table(d: OutlookData) -> Table:
    """Per service type and capacity unit: capacity today, need in the horizon year and the gap at each yardstick."""
    if d.demand.empty:
        return Table(pd.DataFrame(), {}, d.source(registry=True))
    keys = ["druh_kod", "forma", "typ_kapacity"]
    wide = d.demand[d.demand["meritko"] == "uzemi"].drop(columns=["potreba"]).copy()
    for meritko in potreba.MERITKA:
        need = d.demand.loc[d.demand["meritko"] == meritko, [*keys, "potreba"]].rename(columns={"potreba": meritko})
        wide = wide.merge(need, on=keys, how="left")
    wide = wide[(wide["kapacita"].fillna(0) > 0) | (wide[["kraj", "cr", "normativ"]].fillna(0) > 0).any(axis=1)]
    frame = pd.DataFrame({
        "Druh služby": wide["druh_nazev"].fillna("neznámý druh " + wide["druh_kod"].astype(str)),
        "Forma": wide["forma"].map(lambda f: FORMS.get(f, f)),
        "Jednotka": wide["typ_kapacity"].map(lambda t: UNITS[t][1] if t in UNITS else t),
        "Cílová populace": wide["cilova_populace_popis"],
        f"Cílová populace {d.horizon}": wide["cilova_populace_vyhled"].astype(float),
        "Kapacita dnes": wide["kapacita"].astype(float),
        **{f"Potřeba: {potreba.MERITKA[m]}": wide[m].astype(float) if m in wide else np.nan for m in potreba.MERITKA},
    })
    frame = frame.dropna(axis=1, how="all")
    return Table(frame.reset_index(drop=True), {c: 0 for c in frame.columns[4:]}, d.source(registry=True))


def demand_lines(d: OutlookData) -> list[str]:
    """Gap sentences for the types with an age-group target population (at the territory's own coverage they
    only restate the population change, so the kraj's coverage is the yardstick named first)."""
    if d.demand.empty:
        return []
    lines = []
    chosen = d.demand[d.demand["cilova_populace_popis"].isin(AGE_TARGETS) & (d.demand["kapacita"].fillna(0) > 0)]
    for (druh, forma, typ), rows in chosen.groupby(["druh_kod", "forma", "typ_kapacity"], sort=False):
        by = rows.set_index("meritko")
        first = by.iloc[0]
        unit = UNITS[str(typ)][1] if str(typ) in UNITS else str(typ)
        name = first["druh_nazev"] if isinstance(first["druh_nazev"], str) else f"druh {druh}"
        own = float(by["potreba"].get("uzemi", np.nan))
        text = (f"**{name.capitalize()}** ({FORMS.get(str(forma), str(forma))}, {unit}): dnes "
                f"{czech_number(float(first['kapacita']), 0)}; "
                f"při dnešním pokrytí území by v roce {d.horizon} bylo potřeba {czech_number(own, 0)}")
        kraj = by["potreba"].get("kraj", np.nan)
        if pd.notna(kraj):
            gap = kraj - first["kapacita"]
            text += (f", při pokrytí kraje {czech_number(kraj, 0)} "
                     f"({'chybělo by' if gap > 0 else 'zbývalo by'} {czech_number(abs(gap), 0)})")
        lines.append(text + ".")
    return lines


def matrix_table(d: OutlookData) -> Table:
    """Gap at the kraj's coverage today for every ORP of the kraj × service type with an age-group target."""
    if d.kraj_matrix.empty:
        return Table(pd.DataFrame(), {}, d.source(registry=True))
    chosen = d.kraj_matrix[d.kraj_matrix["cilova_populace_popis"].isin(AGE_TARGETS)]
    wide = potreba.matrix(chosen, "kraj").rename(columns={"uzemi_nazev": "ORP"}).drop(columns="uzemi_kod")
    return Table(wide, {c: 0 for c in wide.columns[1:]}, d.source(registry=True))


def benchmark_table(d: OutlookData) -> Table:
    """Compact benchmark: the territory's value with its 95 % interval, the kraj's and ČR's values and the marks."""
    if d.benchmark.empty:
        return Table(pd.DataFrame(), {}, d.source())
    rows = []
    for _, group in d.benchmark.groupby("ukazatel", sort=False):
        first = group.iloc[0]
        shown = "–" if np.isnan(first["hodnota"]) else (
            f"{czech_number(first['hodnota'], 1)} ({czech_number(first['dolni_mez'], 1)}–{czech_number(first['horni_mez'], 1)})")
        row = {"Ukazatel": f"{first['nazev']} ({first['jednotka']})", "K datu": czech_date(pd.Timestamp(first["obdobi"]).date()),
               f"{label(d.head)} (95% interval)": shown}
        for typ, nazev, value, result in zip(group["srovnani_typ"], group["srovnani_nazev"], group["srovnani_hodnota"],
                                             group["vysledek"], strict=True):
            name = "ČR" if typ == "stat" else str(nazev)
            row[name] = value
            row[f"proti {name}"] = result
        rows.append(row)
    frame = pd.DataFrame(rows)
    decimals = {c: 1 for c in frame.columns if c not in ("Ukazatel", "K datu") and not c.startswith("proti")
                and "interval" not in c}
    return Table(frame, decimals, sources.source_line(sources.POPULATION_COUNTS))


def benchmark_lines(d: OutlookData) -> list[str]:
    lines = []
    for _, group in d.benchmark.groupby("ukazatel", sort=False):
        first = group.iloc[0]
        if first["vysledek"] == vyznamnost.SMALL:
            lines.append(f"{first['nazev']}: malý základ, hodnota se nesrovnává.")
            continue
        parts = [f"{'ČR' if typ == 'stat' else nazev} {result}"
                 for typ, nazev, result in zip(group["srovnani_typ"], group["srovnani_nazev"], group["vysledek"], strict=True)]
        lines.append(f"{first['nazev']}: {czech_number(first['hodnota'], 1)} % (95% interval "
                     f"{czech_number(first['dolni_mez'], 1)}–{czech_number(first['horni_mez'], 1)} %); hodnota je proti "
                     "srovnávacím územím: " + ", ".join(parts) + ".")
    return lines


def normatives_table() -> Table:
    norms = potreba.normatives()
    frame = pd.DataFrame([(n.druh, UNITS[n.typ_kapacity][1] if n.typ_kapacity in UNITS else n.typ_kapacity, n.hodnota,
                           n.jednotka, n.zdroj, czech_date(n.datum)) for n in norms],
                         columns=["Druh (kód)", "Jednotka kapacity", "Normativ", "Jednotka normativu", "Zdroj", "Datum"])
    return Table(frame, {"Normativ": 1}, sources.source_line("normativy kapacit zadané analytikem", computed=False))


def base_line(d: OutlookData) -> str:
    scaled = (f", přepočtená obec po obci na počty obyvatel k {czech_date(d.inputs.scaled_to)}"
              if d.inputs.scaled_to is not None else "")
    return (f"Výchozí věková struktura obcí je k {czech_date(d.inputs.base_date)}{scaled}. Projekce ČSÚ začíná "
            f"rokem {first_year(d)}; výhled plánu je rok {d.horizon} ({plural(d.horizon - first_year(d), 'rok', 'roky', 'let')} "
            "od začátku projekce).")
