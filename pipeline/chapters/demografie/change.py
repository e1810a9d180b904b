"""The change map of the chapter: per unit (obec, the ORP of a kraj, the kraje of ČR) the % change of the
population over the newest period without a national series break (periods.latest_comparable_period), and the one
sentence next to it.

A unit gets no % when its base is small (small_bases.MIN_POPULATION at the start of the period: the same rule as
text and tables), when its own boundary changed inside the period (a transfer of people or a split is neither growth
nor decline; so is a new obec whose parent lies in another unit, which leaves the unit without a start in today's
boundaries), or when a stock is missing. Pure functions of the indicator table, so every case can be tested.
"""
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from pipeline.chapters.demografie.periods import breaks_between, latest_comparable_period, stock_dates
from pipeline.core.territory import Area, label
from pipeline.core.text import NBSP, before_number, czech_iso, czech_join, czech_number
from pipeline.indicators import small_bases
from pipeline.indicators.metadata import SeriesBreak

DECIMALS = 1
# reasons a unit is hatched instead of coloured, as the legend states them
SMALL = f"méně než {czech_number(small_bases.MIN_POPULATION)} obyvatel: změna v % se neuvádí"
BOUNDARY = "změna hranic v období: není růst ani pokles"
MISSING = "bez údaje na začátku nebo konci období"  # the map's grey 'no data', not a hatched reason
REASONS = (SMALL, BOUNDARY)  # the order fixes each reason's pattern on every map
# genitive singular and plural of a unit noun: 'u 1 obce', 'u 12 obcí'
GENITIVE = {"obec": ("obce", "obcí"), "orp": ("ORP", "ORP"), "okres": ("okresu", "okresů"), "kraj": ("kraje", "krajů")}


@dataclass
class UnitChange:
    start: str  # ISO dates of the compared stocks
    end: str
    later: list[SeriesBreak]  # national breaks after `end` up to the newest stock: why newer stocks are not compared
    units: list[Area]
    percent: pd.Series  # unit code -> % change (NaN where not shown)
    hatched: dict[str, str] = field(default_factory=dict)  # unit code -> reason (SMALL, BOUNDARY)

    @property
    def missing(self) -> list[Area]:
        """Units without a stock at the start or the end of the period (and no other reason)."""
        return [u for u in self.units if u.kod not in self.hatched and pd.isna(self.percent[u.kod])]

    @property
    def title_period(self) -> str:
        return f"{czech_iso(self.start)} – {czech_iso(self.end)}"


def unit_change(ind: pd.DataFrame, head: Area, units: Sequence[Area], own_breaks: Mapping[Area, Sequence[SeriesBreak]],
                unplaced: Collection[str] = ()) -> UnitChange | None:
    """The change of every unit over the newest period of the territory without a national break; None when the
    territory has no such period (fewer than two comparable stocks). `unplaced`: codes of units whose older figures
    cannot be placed in today's boundaries (historie.placement_notes)."""
    population = ind[ind.ukazatel == "obyvatel_celkem"]
    own = population[(population.uzemi_typ == head.typ) & (population.uzemi_kod == head.kod)]
    period = latest_comparable_period(own["obdobi"])
    if period is None:
        return None
    start, end = period
    newest = stock_dates(own["obdobi"])[-1]
    later = breaks_between(end, newest) if newest > end else []
    values = {(t, k, o): v for t, k, o, v in population[population.obdobi.isin([start, end])][
        ["uzemi_typ", "uzemi_kod", "obdobi", "hodnota"]].itertuples(index=False)}
    percent, hatched = {}, {}
    for unit in units:
        first, last = values.get((unit.typ, unit.kod, start)), values.get((unit.typ, unit.kod, end))
        start_unplaced = unit.kod in unplaced and (first is None or pd.isna(first)) and not (last is None or pd.isna(last))
        if breaks_between(start, end, own_breaks.get(unit, ())) or start_unplaced:
            hatched[unit.kod] = BOUNDARY  # own breaks only: the period has no national one
        elif first is None or last is None or pd.isna(first) or pd.isna(last):
            continue
        elif first < small_bases.MIN_POPULATION:
            hatched[unit.kod] = SMALL
        else:
            percent[unit.kod] = round((last - first) / first * 100, DECIMALS)
    series = pd.Series({u.kod: percent.get(u.kod, float("nan")) for u in units}, dtype=float)
    return UnitChange(start, end, later, list(units), series, hatched)


def _count(n: int, level: str) -> str:
    """'1 obce', '12 obcí' (after 'u', 'z')."""
    one, many = GENITIVE.get(level, ("části území", "částí území"))
    return f"{czech_number(n)} {one if n == 1 else many}"


def _names(areas: list[Area]) -> str:
    return f": {czech_join([a.nazev for a in areas])}" if len(areas) <= 10 else ""


def change_sentences(change: UnitChange) -> list[str]:
    """What the change map shows, true for any territory: all units growing or declining, one unit, every unit
    hatched, a break in the newest year."""
    level = change.units[0].typ if change.units else "obec"
    one, many = GENITIVE.get(level, ("části území", "částí území"))
    text = (f"Mapa ukazuje změnu počtu obyvatel {many} mezi {czech_iso(change.start)} a {czech_iso(change.end)}, "
            "v nejnovějším období bez zlomu celostátní řady.")
    if change.later:
        text += (f" Novější stavy nejsou se stavem k {czech_iso(change.end)} srovnatelné: mezi nimi leží zlom řady "
                 f"({', '.join(b.popisek for b in change.later)}).")
    sentences = [text]
    shown = change.percent.dropna()
    by_code = {u.kod: u for u in change.units}
    up, down = shown[shown > 0], shown[shown < 0]
    flat = len(shown) - len(up) - len(down)
    if len(shown) == 1:
        unit, value = by_code[shown.index[0]], float(shown.iloc[0])
        how = (f"vzrostl o {czech_number(value, DECIMALS)}{NBSP}%" if value > 0 else
               f"klesl o {czech_number(-value, DECIMALS)}{NBSP}%" if value < 0 else f"se po zaokrouhlení nezměnil (0,0{NBSP}%)")
        sentences.append(f"Změnu v procentech lze uvést jen u {one} {unit.nazev}: počet obyvatel {how}.")
    elif len(shown) > 1:
        if len(up) == len(shown):
            counted = f"Počet obyvatel vzrostl u všech {czech_number(len(shown))} hodnocených {many}"
        elif len(down) == len(shown):
            counted = f"Počet obyvatel klesl u všech {czech_number(len(shown))} hodnocených {many}"
        elif flat == len(shown):
            counted = f"U všech {czech_number(len(shown))} hodnocených {many} se počet obyvatel po zaokrouhlení nezměnil (0,0{NBSP}%)"
        else:
            parts = ([f"vzrostl u {czech_number(len(up))}"] if len(up) else []) \
                + ([f"klesl u {czech_number(len(down))}"] if len(down) else []) \
                + ([f"po zaokrouhlení se nezměnil (0,0{NBSP}%) u {czech_number(flat)}"] if flat else [])
            of = f"{before_number('z', len(shown)).capitalize()} {czech_number(len(shown))}"
            counted = f"{of} hodnocených {many} počet obyvatel " + ", ".join(parts[:-1]) + " a " + parts[-1]
        extremes = []
        if len(up) and len(shown) > 2:
            # no verb: 'má Olbramice' would not agree with a plural name
            extremes.append(f"nejvyšší přírůstek: {label(by_code[str(up.idxmax())])} ({_signed(up.max())}{NBSP}%)")
        if len(down) and len(shown) > 2:
            extremes.append(f"nejvyšší úbytek: {label(by_code[str(down.idxmin())])} ({czech_number(down.min(), DECIMALS)}{NBSP}%)")
        sentences.append(counted + (f"; {', '.join(extremes)}" if extremes else "") + ".")
    else:
        sentences.append("Změnu v procentech nelze uvést u žádné části území (důvody v legendě a níže).")
    hatched = {reason: [u for u in change.units if change.hatched.get(u.kod) == reason]
               for reason in (BOUNDARY, SMALL)}
    if hatched[BOUNDARY]:
        sentences.append(f"U {_count(len(hatched[BOUNDARY]), level)} se v období změnily hranice (převod obyvatel "
                         f"mezi obcemi nebo oddělení obce){_names(hatched[BOUNDARY])}; taková změna počtu obyvatel "
                         "není přírůstek ani úbytek, a proto je v mapě šrafovaná, ne vybarvená.")
    if hatched[SMALL]:
        sentences.append(f"Změna v procentech se neuvádí u {_count(len(hatched[SMALL]), level)} s méně než "
                         f"{czech_number(small_bases.MIN_POPULATION)} obyvateli na začátku období"
                         f"{_names(hatched[SMALL])} (pravidlo malých základů).")
    if change.missing:
        sentences.append(f"Počet obyvatel na začátku nebo konci období chybí u {_count(len(change.missing), level)}"
                         f"{_names(change.missing)}.")
    return sentences


def _signed(value: float) -> str:
    return ("+" if round(value, DECIMALS) > 0 else "") + czech_number(value, DECIMALS)

