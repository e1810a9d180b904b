"""The action plan evaluated against the warehouse: the value of every activity's ukazatel and its state.

An ukazatel (the `ukazatel` column of the workbook, pipeline/sources/akcni_plan.py) is one of
- an indicator code of `sprss indicators` (indicators.yaml), e.g. `obyvatel_65_plus`: the value of the territory
  at the reference date (`obdobi`) nearest to the evaluation date (the earlier one on a tie);
- `kapacita:<druh>:<forma>:<typ kapacity>`, e.g. `kapacita:13:pob:luzka`: the registered capacity of the type,
  form and unit in the territory on the date, exactly as `sprss coverage` counts it;
- `sluzby:<druh>`: services of the type with an active facility in the territory on the date, each once whatever
  its forms (the located services of `sprss catalogue --located-only`).
Registry values are answered from the edition valid on the date (activity.edition), like every registry output.

The state of an activity follows from the direction výchozí → cílová hodnota. Progress is
(skutečnost − výchozí) / (cílová − výchozí): 1 or more = splněno, above 0 and below 1 = částečně splněno (moved
towards the target, not reached), 0 or less = nesplněno (no move, or away from the target). Without a baseline,
a target or a value, or with a target equal to the baseline (no direction), no state is set. zrušeno and
průběžně plněno are only ever the analyst's. Nothing the analyst wrote is replaced.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from pipeline import sources
from pipeline.core.errors import SprssError
from pipeline.core.territory import Territory
from pipeline.core.text import czech_date
from pipeline.indicators import demografie, metadata
from pipeline.indicators.sluzby import activity, catalogue, coverage
from pipeline.indicators.sluzby import changes as change_tables
from pipeline.indicators.sluzby.catalogue import FORMS, UNITS
from pipeline.sources.akcni_plan import SHEET, Activity, Plan, number
from pipeline.warehouse.build import has_rows

KAPACITA, SLUZBY = "kapacita", "sluzby"
DONE, PARTLY, NOT_DONE = "splněno", "částečně splněno", "nesplněno"
SERIES_COLUMNS = ["ukazatel", "obdobi", "hodnota"]


@dataclass(frozen=True)
class Measure:
    """A parsed ukazatel code."""
    kod: str
    druh: str | None = None  # registry measures: the DruhSocialniSluzby code
    forma: str | None = None  # capacity: amb | pob | ter
    typ: str | None = None  # capacity unit: luzka | klient | …

    @property
    def registry(self) -> bool:
        return self.druh is not None


def measure(code: str) -> Measure | None:
    """The ukazatel a code names, None for a code sprss does not know."""
    parts = code.strip().split(":")
    if len(parts) == 1:
        return Measure(code.strip()) if code.strip() in metadata.by_code() else None
    if parts[0] == KAPACITA and len(parts) == 4 and parts[1].isdigit() and parts[2] in FORMS and parts[3] in UNITS:
        return Measure(code.strip(), parts[1], parts[2], parts[3])
    if parts[0] == SLUZBY and len(parts) == 2 and parts[1].isdigit():
        return Measure(code.strip(), parts[1])
    return None


def title(m: Measure, type_names: dict[str, str]) -> str:
    """Czech name of the ukazatel: the indicator's title, or the service type with form and unit."""
    if not m.registry:
        return metadata.by_code()[m.kod].nazev
    name = type_names.get(str(m.druh), f"druh {m.druh}")
    if m.forma and m.typ:
        return f"Kapacita: {name}, {FORMS[m.forma]} forma ({UNITS[m.typ][1]})"
    return f"Počet služeb: {name}"


def unit(m: Measure) -> str:
    if not m.registry:
        return metadata.by_code()[m.kod].jednotka
    return UNITS[m.typ][1] if m.typ else "služby"


def registry_measures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Type × form × unit combinations in the newest registry edition (for the template's list of codes)."""
    if not has_rows(con, "sluzby"):
        return pd.DataFrame(columns=["druh_kod", "forma", "typ_kapacity"])
    return con.execute("""
        SELECT DISTINCT s.druh_kod, f.forma, f.typ_kapacity
        FROM sluzby AS s
        JOIN sluzby_formy AS f USING (stav_k, sluzba_id)
        WHERE s.stav_k = (SELECT max(stav_k) FROM sluzby) AND f.typ_kapacity IS NOT NULL
        ORDER BY try_cast(s.druh_kod AS INTEGER), s.druh_kod, f.forma, f.typ_kapacity
    """).df()


def type_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return catalogue.code_names(con, "DruhSocialniSluzby")


@dataclass(frozen=True)
class Value:
    hodnota: float | None
    obdobi: date | None  # the reference date of the figure
    popis: str  # Czech: 'k 1. 1. 2024', or why there is no value


@dataclass
class Row:
    """One activity after the evaluation: what the filled workbook and the report show."""
    activity: Activity
    measure: Measure | None
    skutecnost: Any  # the analyst's entry, else sprss's value (None: neither)
    skutecnost_sprss: bool  # sprss writes skutecnost now
    obdobi: date | None  # the date of sprss's value, None when skutecnost is the analyst's or missing
    k_datu: str  # the same in Czech, with the registry edition for registry values ('' without a value of sprss)
    stav: str | None
    stav_sprss: bool  # sprss writes stav now
    plneni: float | None  # progress towards the target (see the module doc)
    poznamka: str  # why sprss set no state, '' otherwise


@dataclass
class Evaluation:
    territory: Territory
    datum: date
    plan: Plan
    rows: list[Row]
    titles: dict[str, str]  # ukazatel code -> Czech title
    units: dict[str, str]
    series: pd.DataFrame  # SERIES_COLUMNS: every value of every ukazatel used, for its trend
    changes: change_tables.Result | None  # the registry since the plan's start, when it can be compared
    registr_k: date | None  # the registry edition of the date, None without a registry
    editions: list[date]  # every registry edition in the warehouse (the trend of registry measures reads them all)
    notes: list[str] = field(default_factory=list)  # Czech remarks for the report and the terminal

    def source(self) -> str:
        """Source line of the filled values: the indicators' sources and the registry when used."""
        codes = {r.measure.kod for r in self.rows if r.measure and not r.measure.registry}
        parts = [s for s in metadata.source_titles().items() if any(s[0] in metadata.by_code()[c].zdroj for c in codes)]
        registry = [f"{catalogue.SOURCE} (stav k {czech_date(self.registr_k)})"] if self.registr_k else []
        return sources.source_line(sources.meta("akcni_plan").citation, *(c for _, c in parts), *registry)


def state(vychozi: float | None, cilova: float | None, skutecnost: float | None) -> tuple[str | None, float | None, str]:
    """(stav, progress, why no stav) by the rule of the module doc."""
    if skutecnost is None:
        return None, None, "skutečnost není známa"
    if vychozi is None or cilova is None:
        return None, None, "chybí výchozí nebo cílová hodnota"
    if cilova == vychozi:
        return None, None, "cílová hodnota je rovna výchozí, směr změny nelze určit"
    progress = (skutecnost - vychozi) / (cilova - vychozi)
    return (DONE if progress >= 1 else PARTLY if progress > 0 else NOT_DONE), progress, ""


def evaluate(con: duckdb.DuckDBPyConnection, chosen: Territory, obce: pd.DataFrame, plan: Plan, on: date) -> Evaluation:
    """Fill and judge every activity; an unknown ukazatel stops it (sheet, row and code named)."""
    measures: dict[str, Measure] = {}
    for a in plan.activities:
        if a.ukazatel is None:
            continue
        found = measure(a.ukazatel)
        if found is None:
            raise SprssError(f"List {SHEET}, řádek {a.row}: neznámý ukazatel {a.ukazatel!r}; očekáván kód z sprss "
                             "indicators (např. obyvatel_65_plus), kapacita:<druh>:<forma>:<typ kapacity> "
                             "(např. kapacita:13:pob:luzka) nebo sluzby:<druh> (seznam na listu Ukazatele šablony).")
        measures[found.kod] = found
    registry = [m for m in measures.values() if m.registry]
    has_registry = has_rows(con, "sluzby")
    if registry and not has_registry:
        raise SprssError(f"Ukazatel {registry[0].kod} potřebuje registr poskytovatelů sociálních služeb MPSV; "
                         "importujte rpss.json (sprss import rpss.json).")
    names = type_names(con)
    for a in plan.activities:
        druh = measures[a.ukazatel.strip()].druh if a.ukazatel else None
        if names and druh is not None and druh not in names:
            raise SprssError(f"List {SHEET}, řádek {a.row}: neznámý ukazatel {a.ukazatel!r}: druh služby {druh} "
                             "není v číselníku druhů sociálních služeb MPSV.")
    series = _series(con, chosen, obce, list(measures.values()), on)
    values = {m.kod: _at(series, m, on) for m in measures.values()}
    registr_k = activity.edition(con, on) if has_registry else None
    editions = activity.editions(con) if has_registry else []
    for m in registry:
        day = values[m.kod].obdobi
        if day is not None:
            values[m.kod] = Value(values[m.kod].hodnota, day, f"k {czech_date(day)} (registr MPSV ve stavu k "
                                                              f"{czech_date(activity.edition(con, day))})")
    rows = [_row(a, measures.get(a.ukazatel.strip()) if a.ukazatel else None, values) for a in plan.activities]
    notes, compared = _changes(con, chosen, plan, on, has_registry)
    return Evaluation(chosen, on, plan, rows, {k: title(m, names) for k, m in measures.items()},
                      {k: unit(m) for k, m in measures.items()}, series, compared, registr_k, editions,
                      notes)


def _row(a: Activity, m: Measure | None, values: dict[str, Value]) -> Row:
    skutecnost, filled, obdobi, k_datu = a.skutecnost, False, None, ""
    if m is not None and skutecnost is None:
        value = values[m.kod]
        skutecnost, filled = value.hodnota, value.hodnota is not None
        obdobi, k_datu = (value.obdobi, value.popis) if filled else (None, "")
    stav, by_sprss, progress, why = a.stav, False, None, ""
    if m is not None:
        actual = number(skutecnost) if skutecnost is not None else None
        computed, progress, why = state(a.vychozi, a.cilova, actual)
        if skutecnost is not None and actual is None:
            why = "skutečnost není číslo"
        if stav is None and computed is not None:
            stav, by_sprss = computed, True
        if skutecnost is None:
            why = values[m.kod].popis
    return Row(a, m, skutecnost, filled, obdobi, k_datu, stav, by_sprss, progress, why)


def _series(con: duckdb.DuckDBPyConnection, chosen: Territory, obce: pd.DataFrame, measures: list[Measure],
            on: date) -> pd.DataFrame:
    """Every value of the ukazatele: indicators at all their dates; registry measures at every edition and `on`."""
    frames = []
    codes = [m.kod for m in measures if not m.registry]
    if codes:
        table = demografie.compute(con, [chosen.area])
        table = table[table["ukazatel"].isin(codes)]
        frames.append(table.assign(obdobi=pd.to_datetime(table["obdobi"]).dt.date)[SERIES_COLUMNS])
    registry = [m for m in measures if m.registry]
    if registry:
        days = sorted({*activity.editions(con), on})
        frames.append(pd.DataFrame([(m.kod, day, value) for day in days
                                    for m, value in zip(registry, _registry_values(con, chosen, obce, registry, day),
                                                        strict=True)], columns=SERIES_COLUMNS))
    if not frames:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(["ukazatel", "obdobi"], kind="stable").reset_index(drop=True)


def _registry_values(con: duckdb.DuckDBPyConnection, chosen: Territory, obce: pd.DataFrame, registry: list[Measure],
                     on: date) -> list[float]:
    """Capacities as `sprss coverage` gives them for the territory; counts of its located services by type."""
    table = coverage.compute(con, chosen, obce, on).table
    own = table[(table["uzemi_typ"] == chosen.area.typ) & (table["uzemi_kod"] == chosen.area.kod)]
    own = own.drop_duplicates(["druh_kod", "forma", "typ_kapacity"])  # an obec territory is also its own obec row
    services = catalogue.load(con, chosen, on, declared=False).services
    found = []
    for m in registry:
        if m.forma:
            match = own[(own["druh_kod"] == m.druh) & (own["forma"] == m.forma) & (own["typ_kapacity"] == m.typ)]
            found.append(float(match["kapacita"].fillna(0).sum()))
        else:
            found.append(float((services["druh_kod"] == m.druh).sum()))
    return found


def _at(series: pd.DataFrame, m: Measure, on: date) -> Value:
    """The value at the date nearest to `on` (the earlier on a tie)."""
    rows = series[series["ukazatel"] == m.kod]
    if rows.empty:
        return Value(None, None, "v podkladech analýzy není hodnota ukazatele pro toto území")
    found: list[tuple[date, float]] = list(zip(rows["obdobi"], rows["hodnota"], strict=True))
    day, value = min(found, key=lambda pair: (abs((pair[0] - on).days), pair[0]))
    return Value(float(value), day, f"k {czech_date(day)}")


def _changes(con: duckdb.DuckDBPyConnection, chosen: Territory, plan: Plan, on: date,
             has_registry: bool) -> tuple[list[str], change_tables.Result | None]:
    if not has_registry:
        return ["V podkladech analýzy není registr poskytovatelů sociálních služeb MPSV: změny služeb nejsou uvedeny."], None
    if plan.zacatek is None:
        return ["Sešit neuvádí začátek platnosti plánu (list Plán): změny služeb od začátku plánu nejsou uvedeny."], None
    if plan.zacatek >= on:
        return [f"Začátek platnosti plánu ({czech_date(plan.zacatek)}) není před datem vyhodnocení "
                f"({czech_date(on)}): změny služeb nejsou uvedeny."], None
    result = change_tables.compare(con, chosen, plan.zacatek, on)
    return result.notes, result
