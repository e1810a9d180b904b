"""What changed in the social services of a territory between two dates: services added, ended and changed.

Each date is answered like every other output: services in provision that day, from the registry edition valid
that day (activity.edition). The warehouse keeps every imported edition (`stav_k`), so comparing two registry
files means importing both (`sprss import rpss.json --date D`) and naming their dates. A service belongs to the
territory as in the catalogue (a facility there, or a declared terénní scope), so the two outputs agree.

Services are matched by the registry's service id. Compared: capacity per form and unit (units never mixed),
forms, and active facilities (by name and address, anywhere: a service of the territory opening a branch
elsewhere has changed too). One row per change ("tidy"): a service with two changes has two rows.
"""
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from pipeline.core.errors import SprssError
from pipeline.core.territory import Territory
from pipeline.core.text import czech_date, fold
from pipeline.indicators.sluzby import catalogue as catalogues
from pipeline.indicators.sluzby.catalogue import FORMS, UNITS, Catalogue

CHANGE_COLUMNS = ["zmena", "druh_kod", "druh_nazev", "identifikator", "sluzba", "poskytovatel", "ico", "polozka",
                  "forma", "typ_kapacity", "pred", "po", "detail", "datum_pred", "datum_po", "registr_pred", "registr_po"]
KINDS = ["pridana", "ukoncena", "zmenena"]
ITEMS = ["sluzba", "forma", "kapacita", "zarizeni"]


@dataclass
class Result:
    table: pd.DataFrame
    before: Catalogue
    after: Catalogue
    notes: list[str] = field(default_factory=list)  # Czech lines for the analyst (stderr)


def compare(con: duckdb.DuckDBPyConnection, chosen: Territory, before: date, after: date, declared: bool = True) -> Result:
    if after <= before:
        raise SprssError(f"Datum --to ({czech_date(after)}) musí být pozdější než --from ({czech_date(before)}).")
    old, new = catalogues.load(con, chosen, before, declared), catalogues.load(con, chosen, after, declared)
    old_ids, new_ids = set(old.services["sluzba_id"]), set(new.services["sluzba_id"])
    rows = [_service_row("pridana", new, sid, _added_because(con, old, new, sid)) for sid in sorted(new_ids - old_ids)]
    rows += [_service_row("ukoncena", old, sid, _ended_because(con, old, new, sid)) for sid in sorted(old_ids - new_ids)]
    for sid in sorted(old_ids & new_ids):
        rows += [_service_row("zmenena", new, sid, detail, **change) for change, detail in _changes(old, new, sid)]
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS[:13]).assign(
        datum_pred=before.isoformat(), datum_po=after.isoformat(),
        registr_pred=old.registr_k.isoformat(), registr_po=new.registr_k.isoformat())
    order = pd.DataFrame({"zmena": table["zmena"].map(KINDS.index),
                          "druh": pd.to_numeric(table["druh_kod"], errors="coerce").fillna(float("inf")),
                          "sluzba": table["sluzba"].map(fold), "identifikator": table["identifikator"].fillna(""),
                          "polozka": table["polozka"].map(ITEMS.index), "poradi": range(len(table))})
    table = table.loc[order.sort_values(list(order.columns)).index].reset_index(drop=True)
    return Result(table.astype(object).where(table.notna(), None), old, new, _notes(old, new))


def _service_row(kind: str, catalogue: Catalogue, sluzba_id: str, detail: str, polozka: str = "sluzba",
                 forma: str | None = None, typ_kapacity: str | None = None, pred: str | None = None,
                 po: str | None = None) -> dict:
    service = catalogue.services.set_index("sluzba_id").loc[sluzba_id]
    return {"zmena": kind, "druh_kod": service["druh_kod"], "druh_nazev": service["druh_nazev"],
            "identifikator": service["identifikator"], "sluzba": service["nazev"], "poskytovatel": service["poskytovatel"],
            "ico": service["ico"], "polozka": polozka, "forma": forma, "typ_kapacity": typ_kapacity, "pred": pred,
            "po": po, "detail": detail}


def _registered(con: duckdb.DuckDBPyConnection, stav_k: date, sluzba_id: str) -> tuple | None:
    """(datum_od, datum_do) of the service in an edition, None when the edition does not list it."""
    found = con.execute("SELECT datum_od, datum_do FROM sluzby WHERE stav_k = ? AND sluzba_id = ?",
                        [stav_k, sluzba_id]).fetchall()
    return found[0] if found else None


def _added_because(con: duckdb.DuckDBPyConnection, old: Catalogue, new: Catalogue, sluzba_id: str) -> str:
    starts = new.services.set_index("sluzba_id")["datum_od"].loc[sluzba_id]
    starts = f"poskytována od {czech_date(starts)}" if pd.notna(starts) and starts.date() > old.datum else None
    if _registered(con, old.registr_k, sluzba_id) is None:
        return ", ".join(filter(None, [f"v registru ve stavu k {czech_date(old.registr_k)} nebyla", starts]))
    if starts:
        return starts
    facilities = new.facilities[(new.facilities["sluzba_id"] == sluzba_id) & new.facilities["v_uzemi"]]
    opened = facilities["poskytuje_od"].dropna()
    if len(opened) and opened.min().date() > old.datum:
        return f"zařízení v území v provozu od {czech_date(opened.min())}"
    if new.services.set_index("sluzba_id").loc[sluzba_id, "zahrnuti"] == "pusobnost":
        return "nově deklaruje působnost v území"
    return "nově v území"


def _ended_because(con: duckdb.DuckDBPyConnection, old: Catalogue, new: Catalogue, sluzba_id: str) -> str:
    registered = _registered(con, new.registr_k, sluzba_id)
    if registered is None:
        return f"v registru ve stavu k {czech_date(new.registr_k)} už není"
    _, ends = registered
    if ends is not None and ends < new.datum:
        return f"poskytování ukončeno k {czech_date(ends)}"
    if old.services.set_index("sluzba_id").loc[sluzba_id, "zahrnuti"] == "pusobnost":
        return "už nedeklaruje působnost v území"
    return "v území už nemá zařízení v provozu"


def _unit(typ: str) -> str:
    return UNITS[typ][1] if typ in UNITS else str(typ)


def _changes(old: Catalogue, new: Catalogue, sluzba_id: str) -> list[tuple[dict, str]]:
    """(row fields, detail) for every form, capacity and facility that differs."""
    found = []
    forms_before, forms_after = (c.forms[c.forms["sluzba_id"] == sluzba_id] for c in (old, new))
    before, after = (f.groupby("forma", sort=False)["text"].agg("; ".join) for f in (forms_before, forms_after))
    for forma in before.index.difference(after.index):
        found.append(({"polozka": "forma", "forma": forma, "pred": before[forma]}, f"forma ukončena: {before[forma]}"))
    for forma in after.index.difference(before.index):
        found.append(({"polozka": "forma", "forma": forma, "po": after[forma]}, f"nová forma: {after[forma]}"))
    capacity_before, capacity_after = ({(f, t): int(k) for f, t, k in forms[["forma", "typ_kapacity", "kapacita"]]
                                        .itertuples(index=False) if f in before.index and f in after.index
                                        and pd.notna(t) and pd.notna(k)} for forms in (forms_before, forms_after))
    for forma, typ in sorted(capacity_before.keys() | capacity_after.keys()):
        was, now = capacity_before.get((forma, typ)), capacity_after.get((forma, typ))
        if was != now:
            found.append(({"polozka": "kapacita", "forma": forma, "typ_kapacity": typ,
                           "pred": None if was is None else str(was), "po": None if now is None else str(now)},
                          f"kapacita ({FORMS.get(forma, forma)}, {_unit(typ)}): {was or '–'} → {now or '–'}"))
    places_before, places_after = (list(dict.fromkeys(c.facilities.loc[c.facilities["sluzba_id"] == sluzba_id, "text"]))
                                   for c in (old, new))
    found += [({"polozka": "zarizeni", "pred": place}, f"zařízení ukončeno: {place}")
              for place in places_before if place not in places_after]
    found += [({"polozka": "zarizeni", "po": place}, f"nové zařízení: {place}")
              for place in places_after if place not in places_before]
    return found


def _notes(old: Catalogue, new: Catalogue) -> list[str]:
    notes = [f"Porovnání služeb k {czech_date(old.datum)} (registr MPSV ve stavu k {czech_date(old.registr_k)}) "
             f"a k {czech_date(new.datum)} (registr ve stavu k {czech_date(new.registr_k)})."]
    if old.registr_k == new.registr_k:
        notes.append("Obě data vycházejí z téhož vydání registru: výpis ukazuje jen zahájení a ukončení podle dat "
                     "v registru, ne změny kapacit či forem. Pro ně importujte registr z obou dat "
                     "(sprss import rpss.json --date RRRR-MM-DD).")
    notes += list(dict.fromkeys(old.notes[1:] + new.notes[1:]))  # the first note of each names its edition
    return notes
