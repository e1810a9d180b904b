"""What the report "Vyhodnocení plnění plánu" shows, read once at the start of notebooks/plan.py and by
`sprss plan evaluate` (which writes the filled workbook from the same evaluation).

The evaluation itself (values, dates, states) is pipeline.indicators.plan; the registry changes are
`sprss changes`. This module only reads the workbook and selects, labels and formats for the document.
"""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline import sources
from pipeline.chapters.shared import Table
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.territory import label
from pipeline.core.text import czech_date, czech_number, parse_date, plural
from pipeline.indicators import metadata
from pipeline.indicators.plan import Evaluation, Row, evaluate
from pipeline.indicators.sluzby.catalogue import SOURCE as REGISTRY
from pipeline.indicators.sluzby.changes import Result as ChangeResult
from pipeline.sources import akcni_plan
from pipeline.sources.akcni_plan import STATES
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

NO_STATE = "bez hodnocení"
LISTED_CHANGES = 80  # a longer list of registry changes is summarised by type only (the full list: sprss changes)
CHANGE_KINDS = {"pridana": "zahájena / nově v území", "ukoncena": "ukončena / už ne v území", "zmenena": "změněna"}


@dataclass
class PlanData:
    evaluation: Evaluation
    workbook: bytes  # the analyst's workbook as read
    filename: str

    @property
    def rows(self) -> list[Row]:
        return self.evaluation.rows

    @property
    def nazev(self) -> str:
        return label(self.evaluation.territory.area)


def read(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SprssError(f"Sešit {path} nelze přečíst: {exc.strerror}.") from None


def load(plan: Path | str, selector: str, data_dir: Path | str | None = None, datum: str | date | None = None) -> PlanData:
    """Parse the workbook and evaluate it for the territory on `datum` (today without it)."""
    on = parse_date(datum) or date.today()
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        content = read(plan)
        parsed = akcni_plan.parse(content, Path(plan).name)
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        result = evaluate(con, chosen, obce, parsed, on)
    return PlanData(result, content, Path(plan).name)


def value_text(value: object) -> str:
    """A number in Czech notation (up to 2 decimals, whole numbers without), text as it is, '–' for nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    found = akcni_plan.number(value) if not isinstance(value, str) else None
    if found is None:
        return str(value)
    return czech_number(found, 0 if found.is_integer() else 2)


def workbook_source(d: PlanData) -> str:
    return sources.source_line(f"{sources.meta('akcni_plan').citation}, sešit {d.filename}", computed=False)


def overview(d: PlanData) -> Table:
    """Activities per priority by state (analyst's and sprss's together), with a total row."""
    frame = pd.DataFrame({"priorita": [r.activity.text("priorita") or "(bez priority)" for r in d.rows],
                          "stav": [r.stav or NO_STATE for r in d.rows]})
    table = pd.crosstab(frame["priorita"], frame["stav"]).reindex(columns=[*STATES, NO_STATE], fill_value=0)
    order = list(dict.fromkeys(frame["priorita"]))
    table = table.reindex(order)
    table.loc["Celkem"] = table.sum()
    table["celkem"] = table.sum(axis=1)
    table = table.reset_index().rename(columns={"priorita": "Priorita"})
    table.columns = [str(c)[:1].upper() + str(c)[1:] for c in table.columns]
    return Table(table, {c: 0 for c in table.columns[1:]}, d.evaluation.source())


def activities(d: PlanData) -> Table:
    """Every activity as the plan describes it, with the ukazatel (or the plan's own indikátor) it is measured by."""
    rows = [{"Ř.": r.activity.row,
             "Priorita / opatření": " / ".join(filter(None, [r.activity.text("priorita"), r.activity.text("opatreni")])),
             "Aktivita": r.activity.text("aktivita"), "Kdo": r.activity.text("odpovedny_subjekt"),
             "Termín": r.activity.text("termin"),
             "Ukazatel": d.evaluation.titles[r.measure.kod] if r.measure else r.activity.text("indikator")}
            for r in d.rows]
    return Table(pd.DataFrame(rows), {"Ř.": 0}, workbook_source(d))


def fulfilment(d: PlanData) -> Table:
    """Target, value (and its date), progress and state of every activity; * marks a state sprss set."""
    rows = [{"Ř.": r.activity.row,
             "Výchozí": value_text(r.activity.cells["vychozi_hodnota"]),
             "Cíl": value_text(r.activity.cells["cilova_hodnota"]),
             "Skutečně": value_text(r.skutecnost),
             "K datu": czech_date(r.obdobi) if r.obdobi else ("zpracovatel" if r.skutecnost is not None else "–"),
             "Plnění %": None if r.plneni is None else r.plneni * 100,
             "Stav": (r.stav or "–") + ("*" if r.stav_sprss else "")}
            for r in d.rows]
    return Table(pd.DataFrame(rows).astype({"Plnění %": float}), {"Ř.": 0, "Plnění %": 0}, d.evaluation.source())


def summary(d: PlanData) -> list[str]:
    """Sentences true for any plan: how many activities, how many values and states sprss filled."""
    rows = d.rows
    states = pd.Series([r.stav or NO_STATE for r in rows]).value_counts()
    counted = ", ".join(f"{s} {states[s]}" for s in [*STATES, NO_STATE] if s in states)
    filled = sum(r.skutecnost_sprss for r in rows)
    judged = sum(r.stav_sprss for r in rows)
    lines = [f"Plán obsahuje {plural(len(rows), 'aktivitu', 'aktivity', 'aktivit')}"
             + (f"; podle stavu: {counted}." if rows else ".")]
    with_measure = sum(r.measure is not None for r in rows)
    if with_measure:
        lines.append(f"Aktivit s ukazatelem z veřejných dat: {with_measure}; z nich skutečnost doplnil sprss u {filled} "
                     f"a stav určil u {judged}, ostatní hodnoty a stavy zapsal zpracovatel plánu.")
    else:
        lines.append("Žádná aktivita nemá ukazatel z veřejných dat: všechny hodnoty a stavy zapsal zpracovatel plánu.")
    missing = [r for r in rows if r.measure is not None and r.stav is None and r.poznamka]
    lines += [f"Řádek {r.activity.row} ({r.activity.text('aktivita') or r.activity.ukazatel}): stav "
              f"neurčen – {r.poznamka}." for r in missing]
    return lines


def _changes_source(result: ChangeResult) -> str:
    return sources.source_line(f"{REGISTRY} (stav k {czech_date(result.before.registr_k)} a k "
                               f"{czech_date(result.after.registr_k)})")


def changes_by_type(d: PlanData) -> Table | None:
    """Per service type: services started (or new in the territory), ended (or gone), capacity and other changes."""
    result = d.evaluation.changes
    if result is None or result.table.empty:
        return None
    table = result.table
    kind = table["zmena"].where(table["zmena"] != "zmenena",
                                table["polozka"].map(lambda p: "kapacita" if p == "kapacita" else "jine"))
    frame = pd.crosstab(table["druh_nazev"].fillna("druh " + table["druh_kod"].astype(str)), kind)
    frame = frame.reindex(columns=["pridana", "ukoncena", "kapacita", "jine"], fill_value=0).reset_index()
    frame.columns = ["Druh služby", "Zahájené / nově v území", "Ukončené / už ne v území", "Změny kapacity",
                     "Jiné změny (formy, zařízení)"]
    return Table(frame, {c: 0 for c in frame.columns[1:]}, _changes_source(result))


def changes(d: PlanData) -> Table | None:
    """Every change (services started, ended and changed) when the list is short enough for the document."""
    result = d.evaluation.changes
    if result is None or result.table.empty or len(result.table) > LISTED_CHANGES:
        return None
    table = result.table
    frame = pd.DataFrame({"Změna": table["zmena"].map(CHANGE_KINDS), "Druh": table["druh_nazev"].fillna(table["druh_kod"]),
                          "Služba": table["sluzba"], "Co": table["detail"]})
    return Table(frame, {}, _changes_source(result))


def change_counts(d: PlanData) -> str:
    result = d.evaluation.changes
    if result is None:
        return ""
    kinds = result.table["zmena"].value_counts()
    capacity = int((result.table["polozka"] == "kapacita").sum())
    return (f"Od začátku platnosti plánu ({czech_date(result.before.datum)}) do {czech_date(result.after.datum)} podle "
            f"registru MPSV v území: služeb zahájených nebo nově v území {int(kinds.get('pridana', 0))}, ukončených "
            f"nebo už ne v území {int(kinds.get('ukoncena', 0))}, změn kapacity {capacity}.")


def trend(d: PlanData, code: str) -> pd.DataFrame:
    """Dates and values of one ukazatel."""
    series = d.evaluation.series
    return series[series["ukazatel"] == code][["obdobi", "hodnota"]].reset_index(drop=True)


def source(d: PlanData, code: str) -> str:
    """Source line of one ukazatel: its indicator's sources, or the registry edition(s) its trend reads."""
    if code in metadata.by_code():
        return metadata.source_line([code])
    editions = ", ".join(czech_date(day) for day in d.evaluation.editions)
    return sources.source_line(f"{REGISTRY} (stav k {editions})")


def trend_table(d: PlanData) -> Table:
    series = d.evaluation.series
    frame = pd.DataFrame({"Ukazatel": series["ukazatel"].map(d.evaluation.titles), "K datu": series["obdobi"],
                          "Hodnota": [value_text(v) for v in series["hodnota"]],
                          "Jednotka": series["ukazatel"].map(d.evaluation.units)})
    return Table(frame, {}, d.evaluation.source())


def targets(d: PlanData, code: str) -> list[tuple[int, float]]:
    """(row, target) of the activities measured by `code`."""
    return [(r.activity.row, r.activity.cilova) for r in d.rows
            if r.measure is not None and r.measure.kod == code and r.activity.cilova is not None]


def used_codes(d: PlanData) -> list[str]:
    return list(dict.fromkeys(r.measure.kod for r in d.rows if r.measure is not None))


def crossed_breaks(d: PlanData, code: str) -> list[str]:
    """Series breaks of the population figures inside the trend of a demographic ukazatel."""
    if code not in metadata.by_code():
        return []
    days = trend(d, code)["obdobi"]
    if days.empty:
        return []
    return [f"Zlom řady k {czech_date(date.fromisoformat(b.datum))}: {b.popisek}." for b in metadata.series_breaks()
            if days.min() < date.fromisoformat(b.datum) <= days.max()]
