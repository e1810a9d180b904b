"""What the chapter "Analýza nabídky sociálních služeb" shows, read once at the start of notebooks/sluzby.py.

Numbers come as they are from the services layer: `coverage.compute` (counts, capacities, capacity per 1,000 of
the target population for the territory, its obce, kraj and ČR), `coverage.gaps` (obce without a service of a
type) and `catalogue.load` (the services themselves). This module only selects, pivots and labels them, so the
chapter always agrees with `sprss coverage` and `sprss catalogue`.
"""
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline import sources
from pipeline.chapters.shared import Table
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.territory import Area, Shape, Territory, label, of_area
from pipeline.core.text import before_number, czech_date, czech_number, parse_date, plural
from pipeline.indicators import uzemi
from pipeline.indicators.sluzby import activity, catalogue, coverage
from pipeline.indicators.sluzby.catalogue import FORMS, UNITS, Catalogue
from pipeline.render import maps
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

# Types whose absence in an obec a plan usually discusses: care brought home (pečovatelská služba, osobní
# asistence), respite for carers, early care for families. The analyst may change the list in the notebook.
KEY_TYPES = {"4": "pečovatelská služba", "3": "osobní asistence", "8": "odlehčovací služby", "17": "raná péče"}
# an obec and one type: a facility there, only a terénní service declaring it, or nothing (legend, table)
GAP_LABELS = {"zarizeni": "zařízení v obci", "pusobnost": "jen terénní služba s působností v obci",
              "zadna": "bez služby"}
GAP_SHORT = {"zarizeni": "se zařízením", "pusobnost": "jen terénní", "zadna": "bez služby"}
# a number written with decimals takes the genitive singular: '1,00 klienta', '2,35 lůžka'
UNIT_AFTER_DECIMALS = {"luzka": "lůžka", "klient": "klienta", "kontakt": "kontaktu", "interv": "intervence",
                       "hovor": "hovoru"}


@dataclass
class ServicesData:
    territory: Territory
    references: list[Area]  # the ORP of a finer territory, its kraj, ČR
    datum: date
    registr_k: date
    coverage: pd.DataFrame  # coverage.compute: every area × druh × forma × unit
    gaps: pd.DataFrame  # coverage.gaps: obce of the territory × druh without a service located there
    catalogue: Catalogue
    entries: pd.DataFrame  # catalogue.entries: one row per service
    shapes_obce: dict[str, Shape]  # obec code -> boundary (empty when the warehouse has none)
    notes: list[str]  # the services layer's remarks (unlocated facilities, unknown codes)
    # what the facility map draws (territory.map_units): the obce, the ORP of a kraj, the kraje of ČR, with boundaries
    map_units: list[Area] = field(default_factory=list)
    shapes_units: dict[str, Shape] = field(default_factory=dict)
    outline_units: dict[str, Shape] = field(default_factory=dict)

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def outline(self) -> dict[str, Shape]:
        """The territory's border drawn along its obce, so it lines up with them exactly."""
        return {self.head.kod: maps.outline(self.shapes_obce)} if self.shapes_obce else {}

    @property
    def map_outline(self) -> dict[str, Shape]:
        """The border over the facility map: along the obce, or the kraj's own boundary over its ORP."""
        return self.outline if territory.of_obce(self.map_units) else self.outline_units

    @property
    def comparison(self) -> list[Area]:
        """The territory, then its ORP (for a finer territory), kraj and ČR: the columns of every comparison."""
        return [self.head, *self.references]

    def source(self, population: bool = False) -> str:
        return sources.source_line(f"{catalogue.SOURCE} (stav k {czech_date(self.registr_k)})",
                                   *([sources.POPULATION_COUNTS] if population else []))


def load(selector: str, data_dir: Path | str | None = None, datum: str | None = None) -> ServicesData:
    """Services on `datum` (ISO); without it on the date of the newest registry edition, which is what that
    file describes (a later day would silently drop services whose end date has passed since)."""
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        on = parse_date(datum) or activity.edition(con, date.max)
        covered = coverage.compute(con, chosen, obce, on)
        gaps = coverage.gaps(con, chosen, on)
        services = catalogue.load(con, chosen, on, declared=True)
        shapes, _ = uzemi.territory_boundaries(con, chosen)
        units = territory.map_units(chosen)
        shapes_units, outline_units = (uzemi.territory_boundaries(con, chosen, units) if units and units[0].typ != "obec"
                                       else (shapes, {}))
    table, notes = covered.table.copy(), covered.notes[1:]
    obec_rows = table["uzemi_typ"] == "obec"
    if obec_rows.any():  # the catchment rule: no obec is given the whole capacity of a service with many facilities
        table.loc[obec_rows, "kapacita_na_1000"] = float("nan")
        if chosen.area.typ == "obec":
            notes.append(OBEC_RATES)
    return ServicesData(chosen, territory.comparisons(chosen, obce), on, covered.registr_k, table, gaps.table,
                        services, catalogue.entries(services), shapes, notes, units, shapes_units, outline_units)


OBEC_RATES = ("Za obec se kapacita na 1 000 obyvatel neuvádí: registr uvádí kapacitu za celou službu, ne za její "
              "jednotlivá zařízení, a služba se zařízeními ve více obcích by se tak každé z nich započítala celá. "
              "Za obec se uvádějí počty služeb a zařízení.")


def population_dates(d: ServicesData) -> str:
    """'obyvatelé 65+ k 31. 12. 2020; celá populace k 1. 1. 2023': the population date each rate divides by."""
    rows = _rows(d, d.head).dropna(subset=["cilova_populace_k"])
    pairs = dict.fromkeys(zip(rows["cilova_populace_popis"], rows["cilova_populace_k"], strict=True))
    return "; ".join(f"{popis} k {czech_date(date.fromisoformat(k))}" for popis, k in pairs)


def _rows(d: ServicesData, area: Area) -> pd.DataFrame:
    return d.coverage[(d.coverage["uzemi_typ"] == area.typ) & (d.coverage["uzemi_kod"] == area.kod)]


def type_name(kod: str, nazev: object) -> str:
    return nazev if isinstance(nazev, str) else f"neznámý druh {kod}"


def unit_name(typ: str | float | None) -> str:
    """'lůžka', 'klienti'…; a form without a registered capacity has none."""
    if typ is None or pd.isna(typ):
        return "bez kapacity"
    return UNITS[typ][1] if isinstance(typ, str) and typ in UNITS else str(typ)


# --- tables ----------------------------------------------------------------------------------------------


def supply(d: ServicesData) -> Table:
    """Services located in the territory by type, form and capacity unit, with their registered capacity."""
    rows = _rows(d, d.head)
    rows = rows[rows["pocet_sluzeb"].fillna(0) > 0]
    frame = pd.DataFrame({"Druh služby": [type_name(k, n) for k, n in zip(rows["druh_kod"], rows["druh_nazev"], strict=True)],
                          "Forma": rows["forma"].map(lambda f: FORMS.get(f, f)),
                          "Jednotka kapacity": rows["typ_kapacity"].map(unit_name),
                          "Počet služeb": rows["pocet_sluzeb"].astype(float),
                          "Kapacita": rows["kapacita"].astype(float)})
    return Table(frame.reset_index(drop=True), {"Počet služeb": 0, "Kapacita": 0}, d.source())


def per_1000(d: ServicesData) -> Table:
    """Capacity per 1,000 of the target population: the territory next to its comparison areas, for every
    type × form × unit that any of them has."""
    areas = d.comparison
    keys = ["druh_kod", "druh_nazev", "forma", "typ_kapacity", "cilova_populace_popis"]
    by_area = []
    for area in areas:
        rows = _rows(d, area)
        rows = rows[rows["typ_kapacity"].notna()].set_index(keys)[["kapacita", "kapacita_na_1000"]]
        rows.columns = [f"{c}|{label(area)}" for c in rows.columns]
        by_area.append(rows)
    wide = by_area[0]
    for rows in by_area[1:]:
        wide = wide.join(rows, how="outer")
    wide = wide[(wide.filter(like="kapacita|").fillna(0) > 0).any(axis=1)].reset_index()
    own = label(d.head)
    frame = pd.DataFrame({
        "Druh služby": [type_name(k, n) for k, n in zip(wide["druh_kod"], wide["druh_nazev"], strict=True)],
        "Forma": wide["forma"].map(lambda f: FORMS.get(f, f)),
        "Jednotka": wide["typ_kapacity"].map(unit_name),
        "Cílová populace": wide["cilova_populace_popis"],
        f"Kapacita {own}": wide[f"kapacita|{own}"].astype(float),
        **{f"Na 1 000: {label(a)}": wide[f"kapacita_na_1000|{label(a)}"].astype(float) for a in areas},
    })
    decimals = {c: (2 if c.startswith("Na 1 000") else 0) for c in frame.columns if c.startswith(("Na 1 000", "Kapacita"))}
    return Table(frame, decimals, d.source(population=True))


def per_1000_rows(d: ServicesData) -> pd.DataFrame:
    """The coverage rows of the chart: types with their own target population in cilove_populace.yaml
    (elsewhere 'per 1,000 inhabitants' says little), and a capacity in the territory, kraj or ČR."""
    keyed = coverage.targets().by_type
    areas = {(a.typ, a.kod) for a in d.comparison}
    in_areas = pd.MultiIndex.from_frame(d.coverage[["uzemi_typ", "uzemi_kod"]]).isin(areas)
    rows = d.coverage[d.coverage["druh_kod"].isin(keyed) & d.coverage["typ_kapacity"].notna() & in_areas]
    present = rows.groupby(["druh_kod", "forma", "typ_kapacity"])["kapacita"].transform(lambda s: s.fillna(0).sum() > 0)
    return rows[present]


def by_type_and_form(d: ServicesData) -> pd.DataFrame:
    """Services with a facility in the territory, per type (rows) and form (columns): a service in two forms
    counts under both. From the catalogue, which lists each service once."""
    located = d.catalogue.services[d.catalogue.services["zahrnuti"] == "zarizeni"]
    forms = d.catalogue.forms.drop_duplicates(["sluzba_id", "forma"])
    forms = forms.merge(located[["sluzba_id", "druh_kod", "druh_nazev"]])
    counts = forms.groupby(["druh_kod", "druh_nazev", "forma"], dropna=False)["sluzba_id"].nunique().unstack("forma")
    order = located.drop_duplicates("druh_kod")["druh_kod"].tolist()  # the catalogue's order of types
    counts = counts.reset_index().set_index("druh_kod").reindex(order)
    columns = sorted((c for c in counts.columns if c != "druh_nazev"), key=catalogue.form_order)
    return counts[["druh_nazev", *columns]].fillna({c: 0 for c in columns})


def summary(d: ServicesData) -> Table:
    """The catalogue by type: services with a facility in the territory, terénní services declaring it, providers,
    and the capacity of the located services per form and unit (from coverage)."""
    entries = d.entries
    capacity = _rows(d, d.head)
    capacity = capacity[(capacity["pocet_sluzeb"].fillna(0) > 0) & capacity["kapacita"].notna()]
    capacity = capacity.assign(text=[f"{FORMS.get(f, f)}: {catalogue.capacity_text(k, t)}" for f, k, t
                                     in zip(capacity["forma"], capacity["kapacita"], capacity["typ_kapacity"], strict=True)])
    capacity_text = capacity.groupby("druh_kod", sort=False)["text"].agg("; ".join)
    rows = []
    for kod, nazev, group in catalogue.by_type(entries):
        rows.append({"Druh služby": nazev, "Se zařízením v území": float((group["zahrnuti"] == "zarizeni").sum()),
                     "Terénní s působností v území": float((group["zahrnuti"] == "pusobnost").sum()),
                     "Poskytovatelů": float(group["ico"].nunique()),
                     "Kapacita služeb se zařízením v území": capacity_text.get(kod, "–")})
    columns = ["Druh služby", "Se zařízením v území", "Terénní s působností v území", "Poskytovatelů",
               "Kapacita služeb se zařízením v území"]
    return Table(pd.DataFrame(rows, columns=columns), {c: 0 for c in columns[1:4]}, d.source())


def services_list(d: ServicesData) -> Table:
    """Every service of the catalogue in one compact table (the full catalogue is `sprss catalogue`)."""
    e = d.entries
    frame = pd.DataFrame({"Druh služby": e["druh_nazev"], "Služba": e["nazev"], "Poskytovatel": e["poskytovatel"],
                          "Kapacita": e["kapacita"],
                          "Obce": [o or catalogue.WAYS["pusobnost"] for o in e["obce"]]})
    return Table(frame, {}, d.source())


def facilities_by_obec(d: ServicesData) -> pd.DataFrame:
    """Obce of the territory with active facilities: facilities and services there, most first."""
    located = d.catalogue.facilities[d.catalogue.facilities["v_uzemi"]]
    counts = located.groupby(["obec_kod", "obec_nazev"]).agg(zarizeni=("poradi", "size"),
                                                             sluzeb=("sluzba_id", "nunique")).reset_index()
    return counts.sort_values(["zarizeni", "obec_nazev"], ascending=[False, True]).reset_index(drop=True)


def facilities_by_unit(d: ServicesData) -> pd.DataFrame:
    """kod, nazev, zarizeni of every map unit with facilities, most first: the obce themselves, or for a kraj its ORP
    (ČR its kraje) with the facilities of their obce summed (a facility lies in one obec, so the sum counts it once)."""
    by_obec = facilities_by_obec(d)
    if territory.of_obce(d.map_units):
        return by_obec.rename(columns={"obec_kod": "kod", "obec_nazev": "nazev"})[["kod", "nazev", "zarizeni"]]
    rows = [(unit.kod, unit.nazev, int(by_obec.loc[by_obec["obec_kod"].isin(unit.obce), "zarizeni"].sum()))
            for unit in d.map_units]
    counts = pd.DataFrame(rows, columns=["kod", "nazev", "zarizeni"])
    counts = counts[counts["zarizeni"] > 0]
    return counts.sort_values(["zarizeni", "nazev"], ascending=[False, True]).reset_index(drop=True)


def gap_types(d: ServicesData, wanted: dict[str, str] = KEY_TYPES) -> list[tuple[str, str]]:
    """(code, name) of the wanted types located anywhere in the country on the date: for the others every obce
    would be 'without service', which says nothing about the territory."""
    stat = d.coverage[(d.coverage["uzemi_typ"] == "stat") & (d.coverage["pocet_sluzeb"].fillna(0) > 0)]
    names = dict(zip(stat["druh_kod"], stat["druh_nazev"], strict=True))
    return [(kod, type_name(kod, names[kod])) for kod in wanted if kod in names]  # names from the code list


def gap_categories(d: ServicesData, kod: str) -> pd.Series:
    """obec code -> zarizeni | pusobnost | zadna for one type, from coverage.gaps (obce missing there have it)."""
    gaps = d.gaps[d.gaps["druh_kod"] == kod].set_index("uzemi_kod")
    kinds = {obec: "zarizeni" for obec in d.territory.obce["obec_kod"]}
    for obec, declared in gaps["terenni_sluzby_s_pusobnosti"].items():
        kinds[obec] = "pusobnost" if declared else "zadna"
    return pd.Series(kinds)


def by_obce(d: ServicesData) -> bool:
    """Whether the tables list obce; a kraj lists its ORP and ČR its kraje, as the facility map."""
    return territory.of_obce(d.map_units)


def gaps_table(d: ServicesData, types: list[tuple[str, str]]) -> Table:
    """Obce × key types: a facility in the obec, only a terénní service declaring it, or nothing; for a kraj its
    ORP × key types: how many of their obce have no service of the type."""
    if by_obce(d):
        frame = pd.DataFrame({"Obec": d.territory.obce["obec_nazev"].to_numpy(),
                              "Kód": d.territory.obce["obec_kod"].to_numpy()})
        for kod, nazev in types:
            frame[nazev] = frame["Kód"].map(gap_categories(d, kod)).map(GAP_SHORT)
        return Table(frame, {}, d.source())
    categories = {kod: gap_categories(d, kod) for kod, _ in types}
    rows = []
    for unit in d.map_units:
        row: dict[str, object] = {territory.UNIT_HEADER[unit.typ]: unit.nazev, "Kód": unit.kod, "Obcí": len(unit.obce)}
        for kod, nazev in types:
            row[f"{nazev}: obcí bez služby"] = int((categories[kod].reindex(unit.obce) == "zadna").sum())
        rows.append(row)
    frame = pd.DataFrame(rows)
    return Table(frame, {c: 0 for c in frame.columns[2:]}, d.source())


def facilities_table(d: ServicesData) -> Table:
    """Obce with facilities (facilities, services); for a kraj its ORP: obce with a facility, facilities and the
    services with a facility there (a service with facilities in two ORP counts in both)."""
    by_obec = facilities_by_obec(d)
    if by_obce(d):
        frame = by_obec.rename(columns={"obec_nazev": "Obec", "obec_kod": "Kód", "zarizeni": "Zařízení",
                                        "sluzeb": "Služeb"})[["Obec", "Kód", "Zařízení", "Služeb"]]
        return Table(frame, {"Zařízení": 0, "Služeb": 0}, d.source())
    located = d.catalogue.facilities[d.catalogue.facilities["v_uzemi"]]
    rows = []
    for unit in d.map_units:
        mine = located[located["obec_kod"].isin(unit.obce)]
        rows.append({territory.UNIT_HEADER[unit.typ]: unit.nazev, "Kód": unit.kod,
                     "Obcí se zařízením": mine["obec_kod"].nunique(), "Zařízení": len(mine),
                     "Služeb": mine["sluzba_id"].nunique()})
    frame = pd.DataFrame(rows)
    return Table(frame, {c: 0 for c in frame.columns[2:]}, d.source())


# --- sentences -------------------------------------------------------------------------------------------


def overview(d: ServicesData) -> str:
    """How many services the territory has, where, and how many reach it from elsewhere."""
    located = d.entries[d.entries["zahrnuti"] == "zarizeni"]
    declared = d.entries[d.entries["zahrnuti"] == "pusobnost"]
    obce = d.catalogue.facilities.loc[d.catalogue.facilities["v_uzemi"], "obec_kod"].nunique()
    n = len(d.territory.obce)
    spread = f"; zařízení {'mají' if 2 <= obce <= 4 else 'má'} {plural(obce, 'obec', 'obce', 'obcí')} {before_number('z', n)} {n}" \
        if len(d.territory.obce) > 1 and len(located) else ""
    text = (f"Registrované sociální služby v poskytování k {czech_date(d.datum)} s alespoň jedním zařízením v území "
            f"**{of_area(d.head)}**: **{czech_number(len(located))}** ({plural(located['druh_kod'].nunique(), 'druh', 'druhy', 'druhů')}"
            f"{spread}).") if len(located) else (
        f"V území **{of_area(d.head)}** nemá k {czech_date(d.datum)} zařízení žádná registrovaná sociální služba "
        "v poskytování.")
    if len(declared):
        text += (" Terénní služby bez zařízení v území, které v registru uvádějí působnost v jeho obcích: "
                 f"{czech_number(len(declared))}.")
    return text


def per_1000_lines(d: ServicesData) -> list[str]:
    """One line per type × form × unit of the per-1,000 chart: the territory against kraj and ČR."""
    rows = per_1000_rows(d)
    lines = []
    for (kod, forma, typ), group in rows.groupby(["druh_kod", "forma", "typ_kapacity"], sort=False):
        values: dict[tuple[object, object], Any] = {(r.uzemi_typ, r.uzemi_kod): r for r in group.itertuples()}  # rows
        own = values.get((d.head.typ, d.head.kod))
        if own is None or pd.isna(own.kapacita_na_1000):
            continue
        others = "; ".join(f"{label(a)} {czech_number(values[(a.typ, a.kod)].kapacita_na_1000, 2)}"
                           for a in d.comparison[1:] if (a.typ, a.kod) in values
                           and pd.notna(values[(a.typ, a.kod)].kapacita_na_1000))
        lines.append(f"**{type_name(str(kod), own.druh_nazev).capitalize()} ({FORMS.get(str(forma), forma)})**: "
                     f"{czech_number(own.kapacita_na_1000, 2)} {UNIT_AFTER_DECIMALS.get(str(typ), unit_name(str(typ)))} na 1 000 "
                     f"{population_phrase(own.cilova_populace_popis)}" + (f" (srovnání: {others})." if others else "."))
    return lines


def population_phrase(description: object) -> str:
    """'obyvatelé 80+' -> 'obyvatel 80+' (after 'na 1 000'); 'celá populace' -> 'obyvatel'."""
    if not isinstance(description, str) or description == "celá populace":
        return "obyvatel"
    return description.replace("obyvatelé", "obyvatel")


ONE_OBEC_GAP = {"zarizeni": "obec má zařízení služby",
                "pusobnost": "obec nemá zařízení služby, podle registru do ní zasahuje terénní služba s deklarovanou "
                             "působností",
                "zadna": "obec nemá zařízení služby a podle registru do ní nezasahuje žádná terénní služba"}


def gap_sentence(d: ServicesData, kod: str, name: str) -> str:
    categories = gap_categories(d, kod)
    if len(categories) == 1:  # an obec alone: no counts of obce
        return f"**{name.capitalize()}**: {ONE_OBEC_GAP[categories.iloc[0]]}."
    counts = categories.value_counts()

    def clause(what: str, verb: str, plural_verb: str, n: int) -> str:
        """'zařízení má 1 obec', 'zařízení mají 2 obce', 'zařízení nemá žádná obec': the verb agrees, no '0 obcí'."""
        if n == 0:
            return f"{what} ne{verb} žádná obec"
        return f"{what} {plural_verb if 2 <= n <= 4 else verb} {plural(n, 'obec', 'obce', 'obcí')}"

    return (f"**{name.capitalize()}**: " + ", ".join([
        clause("zařízení", "má", "mají", int(counts.get("zarizeni", 0))),
        clause("jen terénní službu s deklarovanou působností", "má", "mají", int(counts.get("pusobnost", 0))),
        clause("bez služby", "zůstává", "zůstávají", int(counts.get("zadna", 0)))]) + ".")


def targets_table() -> Table:
    """The target population of each type with the reason for the choice (cilove_populace.yaml)."""
    spec = yaml.safe_load(coverage.TARGETS_FILE.read_text(encoding="utf-8"))
    rows = [{"Druh služby": "ostatní druhy", "Cílová populace": coverage.POPULATION_LABELS[spec["vychozi"]["populace"]],
             "Důvod": " ".join(spec["vychozi"]["duvod"].split())}]
    rows += [{"Druh služby": entry["nazev"], "Cílová populace": coverage.POPULATION_LABELS[entry["populace"]],
              "Důvod": " ".join(entry["duvod"].split())} for entry in spec["druhy"].values()]
    source = sources.source_line("nastavení cílových populací v sprss", computed=False)
    return Table(pd.DataFrame(rows[1:] + rows[:1]), {}, source)
