"""What the chapter "Sociálně-ekonomická situace" shows, read once at the start of notebooks/socialni.py.

Numbers come from pipeline.indicators.socialni (sums over obce divided after, quotients against ČR, the published
index for obce); this module selects, suppresses small bases, ranks and words them. Every sentence is built
from the figures it states, so it is true for any territory: one obec, obce below the suppression limit, a
territory without data, ČR itself.
"""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import sources
from pipeline.chapters.shared import Table
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Shape, Territory, label, of_area
from pipeline.core.text import before_number, capitalised, czech_iso, czech_number, plural
from pipeline.indicators import metadata, socialni, uzemi
from pipeline.render import maps
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

# A share of fewer than this many people in its base is not shown for an obec (table, map, findings): one person
# more or less moves it by over a percentage point, and the person could be recognised. Areas are never suppressed.
MIN_BASE = 100
# the figures of the chapter: count, share, quotient, and what the figure does not cover
FIGURES = {
    "osoby_v_exekuci": ("podil_osob_v_exekuci", "lokalizacni_kvocient_exekuce",
                        "Osoby v exekuci jsou počet osob v exekuci k datu, vztažený k obyvatelům 15+; výši dluhů, "
                        "počet exekucí na osobu, insolvence ani dluhy bez exekuce údaj nezachycuje."),
    "prijemci_prispevku_na_bydleni": ("podil_prijemcu_prispevku_na_bydleni", "lokalizacni_kvocient_prispevku_na_bydleni",
                                      "Příspěvek na bydlení je průměrný měsíční počet vyplacených dávek v roce; "
                                      "domácnosti, které o dávku nežádají, ani doplatek na bydlení nezahrnuje."),
    "prijemci_prispevku_na_zivobyti": ("podil_prijemcu_prispevku_na_zivobyti",
                                       "lokalizacni_kvocient_prispevku_na_zivobyti",
                                       "Příspěvek na živobytí je průměrný měsíční počet vyplacených dávek v roce; "
                                       "lidé v hmotné nouzi, kteří o dávku nepožádali, v něm nejsou."),
    "dlouhodobi_uchazeci": ("podil_dlouhodobych_uchazecu", "lokalizacni_kvocient_dlouhodobych_uchazecu",
                            "Dlouhodobí uchazeči jsou uchazeči o zaměstnání evidovaní úřadem práce déle než 6 měsíců "
                            "ke konci měsíce; nezaměstnaní, kteří nejsou v evidenci, a lidé pracující načerno v něm "
                            "nejsou. Vztahuje se k obyvatelům 15–64 let."),
}
BASE_LABEL = {"obyvatel_15_plus": "obyvateli 15+", "obyvatel_15_64": "obyvateli 15–64 let"}  # "s méně než 100 …"
BASE_NOMINATIVE = {"obyvatel_15_plus": "obyvatelé 15+", "obyvatel_15_64": "obyvatelé 15–64 let"}  # "nežijí žádní …"
INDEX = "index_socialniho_vylouceni"


@dataclass
class SocialData:
    territory: Territory
    references: list[Area]  # the ORP of a finer territory, its kraj, ČR
    obdobi: str  # the reference date of the chapter (ISO): that of the exekuce, else the newest of any figure
    dates: dict[str, str]  # indicator code -> its newest date up to the chosen date (figures differ in dates)
    ind: pd.DataFrame  # socialni.compute for the territory, references, obce and the ORP of the kraj
    counts: pd.DataFrame  # socialni.area_counts for the same areas (bases for suppression)
    orp_of_kraj: list[Area]  # every ORP of the kraj of the territory's ORP (for the rank)
    map_units: list[Area]  # what the maps colour (territory.map_units): obce, the ORP of a kraj, the kraje of ČR
    shapes: dict[str, Shape]  # map unit code -> boundary
    boundary: dict[str, Shape]  # the territory's own boundary from the warehouse (a kraj), else empty
    housing: pd.DataFrame  # socialni.housing for the territory and its references (whole ORP or unions of them)
    okresy: list[Area]  # the okresy the territory lies in (DataStat publishes unemployment for okresy), see _okresy
    care: pd.DataFrame  # socialni.care_allowance (ČR, kraje) by stupeň, sex and age
    facilities: pd.DataFrame  # socialni.facilities (SZB07C) for the territory's ORP, kraj and ČR

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def comparison(self) -> list[Area]:
        return [self.head, *self.references]

    @property
    def obce(self) -> list[Area]:
        return territory.obec_areas(self.territory)

    @property
    def outline(self) -> dict[str, Shape]:
        """Obce share exact edges (one topology), so their union outlines the territory; ORP and kraje come from
        separately simplified files, so a kraj uses its own boundary and ČR none."""
        if not territory.of_obce(self.map_units):
            return self.boundary
        return {self.head.kod: maps.outline(self.shapes)} if self.shapes else {}

    @property
    def mapped(self) -> bool:
        return len(self.map_units) > 1 and len(set(self.shapes) & {a.kod for a in self.map_units}) > 1

    def has(self, code: str) -> bool:
        """Whether the warehouse has `code` for any area of the chapter up to its date."""
        return code in self.dates

    def __post_init__(self) -> None:
        # lookups by (typ, kod, code, date): a kraj or ČR has thousands of obce, each asked for many figures
        self._values = {key: float(v) for key, v in zip(
            zip(self.ind.uzemi_typ, self.ind.uzemi_kod, self.ind.ukazatel, self.ind.obdobi, strict=True),
            self.ind.hodnota, strict=True)}
        self._bases = {key: float(v) for key, v in zip(
            zip(self.counts.uzemi_typ, self.counts.uzemi_kod, self.counts.ukazatel, self.counts.obdobi, strict=True),
            self.counts.zaklad, strict=True) if pd.notna(v)}

    def value(self, area: Area, code: str) -> float | None:
        """The area's value of `code` on that indicator's newest date (None when it has none)."""
        return self._values.get((area.typ, area.kod, code, self.dates.get(code)))

    def base(self, area: Area, figure: str) -> float | None:
        return self._bases.get((area.typ, area.kod, figure, self.dates.get(figure)))

    def shown(self, area: Area, figure: str) -> bool:
        """Whether an area's share and quotient of `figure` may be shown (its base reaches MIN_BASE)."""
        base = self.base(area, figure)
        return base is not None and base >= MIN_BASE

    def unit_shares(self, figure: str) -> pd.Series:
        """Shares of the map units, indexed by unit code (what a map colours); NaN where not shown (`small_units`)."""
        share = FIGURES[figure][0]
        return pd.Series({a.kod: self.value(a, share) if self.shown(a, figure) else float("nan")
                          for a in self.map_units}, dtype=float)

    def small_units(self, figure: str) -> dict[str, str]:
        """Map units with a value whose base is below MIN_BASE, with the reason as a map legend says it."""
        reason = f"základ pod {MIN_BASE} osob: podíl se neuvádí"
        return {a.kod: reason for a in self.map_units
                if (base := self.base(a, figure)) is not None and base < MIN_BASE}

    def source(self) -> str:
        return metadata.source_line(["podil_osob_v_exekuci"])


def load(selector: str, data_dir: Path | str | None = None, datum: str | None = None) -> SocialData:
    """The newest date of socio-economic data up to `datum` (ISO; None = newest) for the territory."""
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        references = territory.comparisons(chosen, obce)
        orp_of_kraj = _orp_of_kraj(chosen, references, obce)
        # the territory's own ORP is among the ORP of its kraj: each area once
        okresy = _okresy(chosen, obce)
        map_units = territory.map_units(chosen)
        areas: dict[tuple[str, str], Area] = {}
        for area in [chosen.area, *references, *territory.obec_areas(chosen), *orp_of_kraj, *okresy, *map_units]:
            areas.setdefault((area.typ, area.kod), area)
        ind = socialni.compute(con, list(areas.values()))
        counts = socialni.area_counts(con, list(areas.values()))
        housing = socialni.housing(con, [chosen.area, *references])
        care = socialni.care_allowance(con, [chosen.area, *references])
        facilities = socialni.facilities(con, [chosen.area, *references])
        shapes, boundary = uzemi.territory_boundaries(con, chosen, map_units)
    ind = ind[ind["obdobi"] <= datum] if datum else ind
    if ind.empty:
        raise SprssError("Sklad dat neobsahuje sociálně-ekonomické údaje obcí"
                         + (f" k datu {czech_iso(datum)} ani dříve" if datum else "")
                         + "; importujte např. tabulku Index sociálního vyloučení.")
    dates = {str(code): str(day) for code, day in ind.groupby("ukazatel")["obdobi"].max().items()}
    main = dates.get("podil_osob_v_exekuci") or max(dates.values())
    if datum:
        care, facilities = care[care["obdobi"] <= datum], facilities[facilities["obdobi"] <= datum]
    return SocialData(chosen, references, main, dates, ind.reset_index(drop=True), counts, orp_of_kraj, map_units,
                      shapes, boundary, housing,
                      okresy, care.reset_index(drop=True), facilities.reset_index(drop=True))


def _okresy(chosen: Territory, obce: pd.DataFrame) -> list[Area]:
    """The okresy the territory lies in, and its kraj where the two coincide (Praha: obec, okres and kraj at once,
    left out of the comparisons as the same area, and ČSÚ publishes its unemployment for the kraj only)."""
    if chosen.area.typ in ("okres", "kraj", "stat"):
        return []
    members = chosen.obce[["okres_kod", "okres_nazev"]].drop_duplicates()
    okresy = [Area("okres", kod, nazev, tuple(obce.loc[obce["okres_kod"] == kod, "obec_kod"]))
              for kod, nazev in members.itertuples(index=False)]
    kraje = territory.units_of(chosen, "kraj")
    return okresy + [k for k in kraje if set(k.obce) == set(obce.loc[obce["kraj_kod"] == k.kod, "obec_kod"])
                     == set(chosen.obce["obec_kod"])]


def _orp_of_kraj(chosen: Territory, references: list[Area], obce: pd.DataFrame) -> list[Area]:
    """All ORP of the kraj, when the territory is one ORP or lies in one (the rank is about that ORP)."""
    orp = [chosen.area] if chosen.area.typ == "orp" else [a for a in references if a.typ == "orp"]
    if len(orp) != 1:
        return []
    kraj = obce.loc[obce["orp_kod"] == orp[0].kod, "kraj_kod"].iloc[0]
    members = obce[obce["kraj_kod"] == kraj]
    return [Area("orp", kod, nazev, tuple(members.loc[members["orp_kod"] == kod, "obec_kod"]))
            for kod, nazev in members[["orp_kod", "orp_nazev"]].drop_duplicates().itertuples(index=False)]


def rank_area(d: SocialData) -> Area | None:
    """The ORP whose rank among the ORP of its kraj the chapter states."""
    if d.head.typ == "orp":
        return d.head
    return next((a for a in d.references if a.typ == "orp"), None) if d.orp_of_kraj else None


def rank(d: SocialData, code: str) -> tuple[int, int] | None:
    """(position from the highest value, number of ORP with a value) of rank_area among the ORP of its kraj."""
    orp = rank_area(d)
    if orp is None:
        return None
    values = {a.kod: v for a in d.orp_of_kraj if (v := d.value(a, code)) is not None}
    if orp.kod not in values:
        return None
    return 1 + sum(v > values[orp.kod] for v in values.values()), len(values)


# --- tables ------------------------------------------------------------------------------------------------


def comparison_table(d: SocialData) -> Table:
    """Count, share and quotient of every figure for the territory and its comparison areas."""
    meta = metadata.by_code()
    rows = []
    for figure, (share, quotient, _) in FIGURES.items():
        for area in d.comparison:
            rows.append({"Ukazatel": meta[figure].nazev, "Území": label(area), "Počet": d.value(area, figure),
                         "Podíl (%)": d.value(area, share), "Lokalizační kvocient (ČR = 1)": d.value(area, quotient)})
    return Table(pd.DataFrame(rows), {"Počet": 0, "Podíl (%)": 2, "Lokalizační kvocient (ČR = 1)": 2}, d.source())


def units_table(d: SocialData) -> Table:
    """Per map unit (an obec; the ORP of a kraj, the kraje of ČR, as the maps and the demographic chapter): bases,
    counts, shares (suppressed below MIN_BASE) and, for obce, the published index. A kraj's 700 obce would fill
    40 landscape pages of the document."""
    units = d.map_units or d.obce
    rows = []
    for unit in units:
        row: dict[str, object] = {territory.UNIT_HEADER[unit.typ]: unit.nazev, "Kód": unit.kod,
                                  "Obyvatelé 15+": d.base(unit, "osoby_v_exekuci"),
                                  "Obyvatelé 15–64": d.base(unit, "dlouhodobi_uchazeci")}
        for figure, (share, _, _) in FIGURES.items():  # headers are the indicators' titles
            row[metadata.by_code()[figure].nazev] = d.value(unit, figure)
            row[f"{metadata.by_code()[share].nazev} (%)"] = d.value(unit, share) if d.shown(unit, figure) else None
        if territory.of_obce(units):
            row["Index vyloučení (body)"] = d.value(unit, INDEX)
        rows.append(row)
    frame = pd.DataFrame(rows)
    decimals = {c: (2 if c.endswith("(%)") else 1 if "příspěvk" in c else 0) for c in frame.columns[2:]}
    return Table(frame, decimals, d.source())


# --- sentences ---------------------------------------------------------------------------------------------


def overview(d: SocialData, figure: str) -> str:
    """The territory's share next to ČR, with the quotient and (for an ORP) its rank in the kraj."""
    share, quotient, _ = FIGURES[figure]
    meta = metadata.by_code()
    value, cr = d.value(d.head, share), next((d.value(a, share) for a in d.references if a.typ == "stat"), None)
    name = meta[share].nazev
    if value is None:
        if d.base(d.head, figure) == 0:  # in the file, but nobody of the base lives there (vojenský újezd Boletice)
            return (f"{name} nelze pro území {of_area(d.head)} vypočítat: podle souboru v něm nežijí žádní "
                    f"{BASE_NOMINATIVE[_base_type(d, figure)]} (jmenovatel podílu je 0).")
        missing = "obec v souboru chybí" if d.head.typ == "obec" else "některá obec území v souboru chybí"
        return f"{name} není pro území {of_area(d.head)} k dispozici: {missing}."
    sentence = f"{name} je v území {of_area(d.head)} {czech_number(value, 2)} %"
    lq = d.value(d.head, quotient)
    base = d.base(d.head, figure)
    if d.head.typ == "stat":
        sentence += "."
    elif base is not None and base < MIN_BASE:  # the territory's own value is shown, never compared (small bases)
        people = BASE_LABEL[_base_type(d, figure)]  # 'obyvateli …' is also the locative singular
        people = people if base == 1 else people.replace("obyvateli", "obyvatelích", 1)
        return (sentence + f"; při {czech_number(base)} {people} hodnotu mění jediná osoba, "
                "proto se s ČR ani s ORP kraje neporovnává.")
    elif cr is not None and lq is not None:
        sentence += f" proti {czech_number(cr, 2)} % v ČR, tedy {_times(lq)} celostátního podílu."
    else:
        sentence += "; podíl za ČR v podkladech analýzy není (soubor nepokrývá všechny obce), kvocient se proto nepočítá."
    position = rank(d, share)
    orp = rank_area(d)
    if position and orp:
        sentence += (f" Mezi {position[1]} ORP kraje je {label(orp)} na {position[0]}. místě od nejvyššího podílu."
                     if position[1] > 1 else "")
    return sentence


def _times(lq: float) -> str:
    return f"{czech_number(lq, 2)}násobek" if lq >= 1 else f"{czech_number(lq * 100, 0)} %"


def above_national(d: SocialData, figure: str) -> str | None:
    """Which obce exceed the national share and how many times; None for a territory of one obec."""
    if len(d.obce) < 2:
        return None
    share, quotient, _ = FIGURES[figure]
    shown = [o for o in d.obce if d.shown(o, figure)]
    hidden = len(d.obce) - len(shown)
    hidden_text = (f" {plural(hidden, 'obec', 'obce', 'obcí')} s méně než {MIN_BASE} {BASE_LABEL[_base_type(d, figure)]} "
                   "se nehodnotí." if hidden else "")
    quotients = {o.kod: q for o in shown if (q := d.value(o, quotient)) is not None}
    names = {o.kod: o.nazev for o in shown}
    if not shown:
        return f"Žádnou obec území nelze samostatně hodnotit.{hidden_text}"
    if not quotients:
        return f"Podíl za ČR v podkladech analýzy není, obce proto nelze s ČR srovnat.{hidden_text}"
    above = sorted(((q, names[k]) for k, q in quotients.items() if round(q, 2) > 1), reverse=True)  # as shown
    name = metadata.by_code()[share].nazev.lower()
    if not above:
        rated = plural(len(quotients), 'hodnocené obce', 'hodnocených obcí', 'hodnocených obcí')
        return f"Žádná {before_number('z', len(quotients))} {rated} " \
               f"nemá {name} vyšší než ČR.{hidden_text}"
    listed = ", ".join(f"{n} ({czech_number(q, 2)}×)" for q, n in above[:5])
    more = f" a {plural(len(above) - 5, 'další', 'další', 'dalších')}" if len(above) > 5 else ""
    count = plural(len(above), "obec", "obce", "obcí")
    verb = "má" if len(above) == 1 else "mají" if len(above) < 5 else "má"
    rated = f"{before_number('z', len(quotients))} {czech_number(len(quotients))} hodnocených"
    return (f"{capitalised(name)} vyšší než ČR {verb} {count} {rated}: "
            f"{listed}{more} (násobek podílu ČR).{hidden_text}")


def _base_type(d: SocialData, figure: str) -> str:
    rows = d.counts[d.counts.ukazatel == figure]
    return str(rows["zaklad_typ"].dropna().iloc[0]) if rows["zaklad_typ"].notna().any() else "obyvatel_15_plus"


def index_sentence(d: SocialData) -> str | None:
    """The published index as published: how many obce fall in each of its point bands."""
    points = {o.kod: v for o in d.obce if (v := d.value(o, INDEX)) is not None}
    names = {o.kod: o.nazev for o in d.obce}
    if not points:
        return None
    if len(d.obce) == 1:
        (value,) = points.values()
        return (f"Zveřejněný index sociálního vyloučení obce {d.obce[0].nazev} je {int(value)} "
                f"{'bod' if value == 1 else 'body' if 2 <= value <= 4 else 'bodů'} ze 30 (uvádíme beze změny).")
    ranked = sorted((v, names[k]) for k, v in points.items() if v > 0)[::-1]
    # the three highest and every obec tied with the third, so that "nejvíce" stays true
    top = [(n, v) for v, n in ranked if len(ranked) and v >= ranked[min(2, len(ranked) - 1)][0]]
    bands = {"0–1 bod": 0, "2–7 bodů": 0, "8–11 bodů": 0, "12–30 bodů": 0}  # the noun agrees with the upper bound
    for v in points.values():
        bands["0–1 bod" if v <= 1 else "2–7 bodů" if v <= 7 else "8–11 bodů" if v <= 11 else "12–30 bodů"] += 1
    parts = ", ".join(f"{plural(n, 'obec', 'obce', 'obcí')} v pásmu {band}" for band, n in bands.items() if n)
    highest = ", ".join(f"{n} ({int(v)})" for n, v in top[:6]) + (
        f" a {plural(len(top) - 6, 'další', 'další', 'dalších')} se stejným počtem" if len(top) > 6 else "")
    verb = "má" if len(top) == 1 else "mají"
    return (f"Zveřejněný index sociálního vyloučení (0–30 bodů) uvádíme u obcí beze změny; za území se nesčítá ani "
            f"neprůměruje. {before_number('z', len(points)).capitalize()} {plural(len(points), 'obce', 'obcí', 'obcí')} území: {parts}."
            + (f" Nejvíce bodů {verb} {highest}." if top and len(points) > 1 else ""))


def series_break_notes(d: SocialData) -> list[str]:
    """Breaks of the benefit series on or before the chapter's date: figures across them are never compared."""
    return [f"{b.popisek.capitalize()} ({czech_iso(b.datum)}): {b.vysvetleni}"
            for b in metadata.series_breaks("zlomy_rady_socialni") if b.datum <= d.obdobi]


def housing_table(d: SocialData) -> Table | None:
    """Housing exclusion (ORP figures) for the areas of the comparison that are whole ORP or unions of them."""
    if d.housing.empty:
        return None
    meta = metadata.by_code()
    areas = [a for a in d.comparison if ((d.housing.uzemi_typ == a.typ) & (d.housing.uzemi_kod == a.kod)).any()]
    latest = d.housing["obdobi"].max()
    rows = d.housing[d.housing["obdobi"] == latest]
    frame = pd.DataFrame({"Ukazatel": [meta[c].nazev for c in dict.fromkeys(rows["ukazatel"])]})
    for area in areas:
        mine = rows[(rows.uzemi_typ == area.typ) & (rows.uzemi_kod == area.kod)].set_index("ukazatel")["hodnota"]
        frame[label(area)] = [mine.get(c) for c in dict.fromkeys(rows["ukazatel"])]
    return Table(frame, {label(a): 0 for a in areas}, metadata.source_line(["bytova_nouze_osoby"]))


def housing_sentence(d: SocialData) -> str:
    """What the housing table covers: the territory itself, or only the larger areas when it splits an ORP."""
    year = d.housing["obdobi"].max()[:4]
    own = ((d.housing.uzemi_typ == d.head.typ) & (d.housing.uzemi_kod == d.head.kod)).any()
    scope = ("" if own else f" Území {of_area(d.head)} netvoří celé ORP, proto jsou uvedena jen větší území, jejichž "
                            "je součástí.")
    return (f"Údaje o bytové nouzi z roku {year} jsou jen za celá ORP; kraj a ČR jsou součty jejich ORP. Za obce "
            f"nejsou k dispozici a na obce se nerozpočítávají.{scope}")


UNEMPLOYED = "dosazitelni_uchazeci"


def unemployment_trend(d: SocialData) -> pd.Series:
    """Monthly count of dosažitelní uchazeči of the territory (sum over its obce), indexed by ISO date."""
    rows = d.ind[(d.ind.uzemi_typ == d.head.typ) & (d.ind.uzemi_kod == d.head.kod) & (d.ind.ukazatel == UNEMPLOYED)]
    return rows.set_index("obdobi")["hodnota"].sort_index()


def unemployment_sentence(d: SocialData) -> str | None:
    """The newest count and, with more months, its change since the first month (counts only: the file has no base)."""
    series = unemployment_trend(d)
    if series.empty:
        return None
    last = f"K {czech_iso(series.index[-1])} bylo v území {of_area(d.head)} {czech_number(series.iloc[-1])} " \
           "dosažitelných uchazečů o zaměstnání ve věku 15–64 let."
    if len(series) < 2:
        return last
    first = series.iloc[0]
    change = "beze změny" if series.iloc[-1] == first else (
        f"{'více' if series.iloc[-1] > first else 'méně'} o {czech_number(abs(series.iloc[-1] - first))}"
        + (f" ({czech_number(abs(series.iloc[-1] / first - 1) * 100, 1)} %)" if first else ""))
    return f"{last} Proti {czech_iso(series.index[0])} ({czech_number(first)}) je to {change}."


def latest_of(d: SocialData, area: Area, code: str) -> tuple[str, float] | None:
    """(date, value) of the area's newest known value of `code`: published figures of areas differ in date from obce."""
    rows = d.ind[(d.ind.uzemi_typ == area.typ) & (d.ind.uzemi_kod == area.kod) & (d.ind.ukazatel == code)
                 & d.ind.hodnota.notna()]  # a published table may list an area without its figure
    if rows.empty:
        return None
    last = rows.sort_values("obdobi").iloc[-1]
    return str(last["obdobi"]), float(last["hodnota"])


def published_unemployment(d: SocialData) -> str | None:
    """The share of unemployed as ČSÚ publishes it for the okresy, kraj and ČR of the territory (each on its date)."""
    parts = []
    for area in [*(d.okresy if d.head.typ not in ("okres", "kraj", "stat") else []), d.head, *d.references]:
        found = latest_of(d, area, "podil_nezamestnanych") if area.typ in ("okres", "kraj", "stat") else None
        if found:
            parts.append(f"{label(area)} {czech_number(found[1], 2)} % (k {czech_iso(found[0])})")
    if not parts:
        return None
    return ("Podíl nezaměstnaných osob (dosažitelní uchazeči 15–64 let na obyvatele 15–64 let), jak ho ČSÚ zveřejňuje "
            "za okresy, kraje a ČR: " + ", ".join(parts) + ".")


def care_tables(d: SocialData) -> list[tuple[str, Table]]:
    """(caption, table) of příspěvek na péči: by stupeň over the years, and by age and stupeň in the newest year."""
    if d.care.empty:
        return []
    source = metadata.source_line(["prijemci_prispevku_na_peci"])
    tables = []
    yearly = d.care[(d.care.vyber == "SZB09") & (d.care.pohlavi == "Celkem") & (d.care.vek == "Celkem")]
    for (name,), rows in yearly.groupby(["uzemi_nazev"], sort=False):
        wide = rows.pivot_table(index="obdobi", columns="stupen", values="hodnota", sort=False).reset_index()
        wide.insert(0, "Rok", wide.pop("obdobi").str[:4])
        tables.append((f"Příjemci příspěvku na péči podle stupně závislosti (prosinec), {name}",
                       Table(wide.rename_axis(columns=None), {c: 0 for c in wide.columns[1:]}, source)))
    detail = d.care[(d.care.vyber == "SZB09B") & (d.care.pohlavi == "Celkem")]
    for key, rows in detail.groupby(["uzemi_nazev", "obdobi"], sort=False):
        name, obdobi = str(key[0]), str(key[1])  # a two-column groupby key is a tuple
        wide = rows.pivot_table(index="vek", columns="stupen", values="hodnota", sort=False).reset_index()
        wide = wide.rename(columns={"vek": "Věková skupina"}).rename_axis(columns=None)
        tables.append((f"Příjemci příspěvku na péči podle věku a stupně závislosti, prosinec {obdobi[:4]}, {name}",
                       Table(wide, {c: 0 for c in wide.columns[1:]}, source)))
    return tables


def care_sentence(d: SocialData) -> str | None:
    totals = d.care[(d.care.vyber == "SZB09") & (d.care.stupen == "Celkem") & (d.care.pohlavi == "Celkem")
                    & (d.care.vek == "Celkem")].sort_values("obdobi")
    if totals.empty:
        return None
    parts = []
    for name, rows in totals.groupby("uzemi_nazev", sort=False):
        last = rows.iloc[-1]
        text = f"{name}: {czech_number(last['hodnota'])} příjemců v prosinci {last['obdobi'][:4]}"
        if len(rows) > 1:
            first = rows.iloc[0]
            text += f" ({czech_number(first['hodnota'])} v prosinci {first['obdobi'][:4]})"
        parts.append(text)
    covered = "Za ORP a obce DataStat příspěvek na péči neuvádí"
    if d.head.typ != "stat" and "kraj" not in set(totals["uzemi_typ"]):
        covered += "; údaje za kraj v podkladech analýzy nejsou, uvedena je proto jen Česká republika"
    covered += "."
    return "Příjemci příspěvku na péči v prosinci roku – " + "; ".join(parts) + f". {covered}"


def facilities_table(d: SocialData) -> Table | None:
    """Facilities of social services by type (ČSÚ, SZB07C) for the areas that are whole ORP or unions of them."""
    if d.facilities.empty:
        return None
    latest = d.facilities["obdobi"].max()
    rows = d.facilities[d.facilities["obdobi"] == latest]
    areas = [a for a in d.comparison if ((rows.uzemi_typ == a.typ) & (rows.uzemi_kod == a.kod)).any()]
    frame = pd.DataFrame({"Druh zařízení": list(dict.fromkeys(rows["druh"]))})
    for area in areas:
        mine = rows[(rows.uzemi_typ == area.typ) & (rows.uzemi_kod == area.kod)].set_index("druh")["pocet"]
        frame[label(area)] = frame["Druh zařízení"].map(mine)
    return Table(frame, {label(a): 0 for a in areas},
                 sources.source_line(f"{sources.meta('csu_datastat').citation}, výběr SZB07C"))
