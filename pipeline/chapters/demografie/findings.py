"""Key findings as Czech sentences with numbers, from the indicator table alone.

Pure functions of `indicators.compute` output and the areas, so each sentence can be checked against a
small hand-made table. A change across a series break (`metadata.series_breaks`) is named as a break,
never as growth or decline.
"""
from collections.abc import Sequence

import pandas as pd

from pipeline.chapters.demografie.periods import breaks_between, comparable_periods, stock_dates
from pipeline.core.territory import Area, label, of_area
from pipeline.core.text import before_number, collation_key, czech_iso, czech_join, plural
from pipeline.indicators import metadata, small_bases
from pipeline.indicators.metadata import SeriesBreak
from pipeline.render.style import czech_number

NBSP = "\u00a0"
IN_REFERENCE = {"orp": "v ORP", "pou": "v POÚ", "okres": "v okrese", "kraj": "v kraji", "stat": "v ČR"}
REFERENCE = {"orp": "ORP", "pou": "POÚ", "okres": "okres", "kraj": "kraj", "stat": "ČR"}
MIN_POPULATION = small_bases.MIN_POPULATION  # rankings and comparisons leave out the smallest obce


def _series(ind: pd.DataFrame, area: Area, code: str) -> pd.Series:
    rows = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.ukazatel == code)]
    return rows.set_index("obdobi")["hodnota"].sort_index()


def _at(ind: pd.DataFrame, areas: list[Area], code: str, obdobi: str) -> dict[Area, float]:
    rows = ind[(ind.ukazatel == code) & (ind.obdobi == obdobi)]
    known = {(t, k): v for t, k, v in rows[["uzemi_typ", "uzemi_kod", "hodnota"]].itertuples(index=False)}
    return {a: known[(a.typ, a.kod)] for a in areas if (a.typ, a.kod) in known}


def _amount(value: float, code: str) -> str:
    """'19,8 %', '120,1', '1 112 osob' as the indicator's unit needs."""
    meta = metadata.by_code()[code]
    if meta.jednotka == "%":
        return f"{czech_number(value, 1)}{NBSP}%"
    if meta.jednotka == "osoby":
        return _people(value)
    return czech_number(value, 1)


def _people(value: float, signed: bool = False, accusative: bool = False) -> str:
    """'65 osob', '+3 osoby', 'o 1 osobu': the noun agrees with the count."""
    n = abs(round(value))
    noun = ("osobu" if accusative else "osoba") if n == 1 else "osoby" if 2 <= n <= 4 else "osob"
    return f"{_signed(value) if signed else czech_number(value)}{NBSP}{noun}"


def _signed(value: float, decimals: int = 0) -> str:
    return ("+" if round(value, decimals) > 0 else "") + czech_number(value, decimals)


def obce_count(n: int) -> str:
    return plural(n, "obec", "obce", "obcí")


def population_change(ind: pd.DataFrame, area: Area, local: Sequence[SeriesBreak] = ()) -> list[str]:
    """The latest population, the change over comparable periods, and the breaks set apart."""
    series = _series(ind, area, "obyvatel_celkem")
    dates = stock_dates(series.index)
    if not dates:
        return []
    latest = series[dates[-1]]
    sentences = [f"Území {of_area(area)} mělo k {czech_iso(dates[-1])} celkem {czech_number(latest)} obyvatel." if latest
                 else f"Území {of_area(area)} nemělo k {czech_iso(dates[-1])} žádné obyvatele."]
    steps = [(a, b, series[b] - series[a], breaks_between(a, b, local)) for a, b in zip(dates, dates[1:], strict=False)]
    runs = comparable_periods(dates, local)
    if runs:
        total = sum(series[b] - series[a] for a, b in runs)
        periods = czech_join([f"{czech_iso(a)}–{czech_iso(b)}" for a, b in runs])
        direction = "vzrostl" if total > 0 else "klesl" if total < 0 else "se nezměnil"
        amount = f" o {_people(abs(total), accusative=True)}" if total else ""
        base = series[runs[0][0]]
        relative = f" ({_signed(total / base * 100, 1)}{NBSP}%)" \
            if len(runs) == 1 and total and base >= MIN_POPULATION else ""  # the small-bases rule: no per cent
        where = "V období" if len(runs) == 1 else "V obdobích"
        sentences.append(f"{where} bez zlomu řady ({periods}) počet obyvatel {direction}{amount}{relative}.")
    broken = [(a, b, delta, crossed) for a, b, delta, crossed in steps if crossed]
    against = [(a, b, delta, crossed) for a, b, delta, crossed in broken if _against_break(delta, crossed)]
    mixed = [step for step in broken if step not in against]
    if mixed:
        parts = [f"{czech_iso(a)} → {czech_iso(b)} {_people(delta, signed=True) if delta else 'beze změny'} "
                 f"({', '.join(x.popisek for x in crossed)})"
                 for a, b, delta, crossed in mixed]
        cause = "změnu metodiky" if not any(x in local for *_, crossed in mixed for x in crossed) \
            else "změnu metodiky nebo hranic obcí"
        sentences.append(f"Změny přes zlom řady zahrnují i {cause}, a nelze je proto číst jako skutečný přírůstek "
                         "ani úbytek obyvatel: " + "; ".join(parts) + ".")
    for a, b, delta, crossed in against:
        sentences.append(f"Mezi {czech_iso(a)} a {czech_iso(b)} počet obyvatel {'klesl' if delta < 0 else 'vzrostl'} "
                         f"o {_people(abs(delta), accusative=True)}, ačkoli změna metodiky ({', '.join(x.popisek for x in crossed)}) "
                         f"počty {'zvyšuje' if delta < 0 else 'snižuje'}; skutečný {'úbytek' if delta < 0 else 'přírůstek'} "
                         f"tedy nebyl menší než {_people(abs(delta))}.")
    return sentences


def population_series(series: pd.DataFrame, ind: pd.DataFrame, area: Area) -> str | None:
    """Which population series the chapter shows, when the warehouse also holds DataStat's census-revised one
    (the two are never summed or drawn together); None when it holds only the publications."""
    revised = series[(series.rada == "revidovana") & (series.uzemi_typ == area.typ) & (series.uzemi_kod == area.kod)]
    revised = revised.dropna(subset=["pocet"]).sort_values("obdobi")
    if revised.empty:
        return None
    shown = _series(ind, area, "obyvatel_celkem")
    shown = shown[shown.index.str.endswith("-01-01")]
    text = ("Počty obyvatel k 1. 1. jsou v této kapitole z publikací ČSÚ Počet obyvatel v obcích, jak byly vydány. "
            f"Podklady analýzy obsahují i řadu ČSÚ DataStat revidovanou podle výsledků SLDB 2021 (k 1. 1. "
            f"{revised.obdobi.iloc[0][:4]}–{revised.obdobi.iloc[-1][:4]}); obě řady se nesčítají ani nekreslí spolu.")
    differ = [(o, p) for o, p in revised[["obdobi", "pocet"]].itertuples(index=False) if o in shown.index and shown[o] != p]
    if differ:
        obdobi, revised_count = differ[0]
        text += (f" Liší se k {czech_iso(obdobi)}: {_people(shown[obdobi])} podle publikace, "
                 f"{_people(revised_count)} v revidované řadě.")
    newer = revised[revised.obdobi > shown.index.max()] if len(shown) else revised
    if len(newer):
        text += (f" Revidovaná řada sahá dál: k {czech_iso(newer.obdobi.iloc[-1])} v ní má území "
                 f"{_people(newer.pocet.iloc[-1])}.")
    return text


def _against_break(delta: float, crossed: list[SeriesBreak]) -> bool:
    """A change opposite to the direction every crossed break pushes the counts: at least that much is real."""
    signs = {b.smer for b in crossed}
    return bool(delta) and len(signs) == 1 and None not in signs and (delta > 0) != (signs == {"+"})


def compare(ind: pd.DataFrame, area: Area, references: list[Area], code: str, obdobi: str) -> str | None:
    """'Podíl seniorů 65+ let činil k 31. 12. 2020 v území ORP Jihlava 19,8 %, o 0,6 p. b. méně než v kraji (…)'."""
    values = _at(ind, [area, *references], code, obdobi)
    meta = metadata.by_code()[code]
    if area not in values:
        return (f"{meta.nazev} nelze k {czech_iso(obdobi)} pro území {of_area(area)} vypočítat: jmenovatel vzorce "
                f"({meta.vzorec}) je nulový.")
    own = values[area]
    unit = "" if meta.jednotka in ("%", "osoby") else f" ({meta.jednotka})"
    text = f"{meta.nazev} činil k {czech_iso(obdobi)} v území {of_area(area)} {_amount(own, code)}{unit}"
    population = small_bases.population_at(ind, area, obdobi)
    if population is not None and population < MIN_POPULATION and meta.jednotka != "osoby":
        return (text + f"; při {czech_number(population)}{NBSP}{'obyvateli' if population == 1 else 'obyvatelích'} hodnotu mění "
                "jediné narození či úmrtí, proto se s hodnotami srovnávacích území neporovnává.")
    gaps = []
    for ref in references:
        if ref not in values or ref.typ not in IN_REFERENCE:
            continue
        gap = round(round(own, 1) - round(values[ref], 1), 1)  # the difference of the numbers the reader sees
        difference = ("stejně jako" if gap == 0 else
                      f"o {czech_number(abs(gap), 1)}{' procentního bodu' if meta.jednotka == '%' else ''} "
                      f"{'více' if gap > 0 else 'méně'} než")
        gaps.append(f"{difference} {IN_REFERENCE[ref.typ]} ({label(ref)}: {_amount(values[ref], code)})")
    return text + (", " + czech_join(gaps) if gaps else "") + "."


def _populous(ind: pd.DataFrame, obce: list[Area], obdobi: str) -> list[Area]:
    population = _at(ind, obce, "obyvatel_celkem", obdobi)
    return [a for a in obce if population.get(a, 0) >= MIN_POPULATION]


def extremes(ind: pd.DataFrame, obce: list[Area], code: str, obdobi: str, n: int = 3) -> str | None:
    """The obce with the highest and the lowest value (leaving out the smallest obce)."""
    values = _at(ind, _populous(ind, obce, obdobi), code, obdobi)
    n = min(n, len(values) // 2)
    if n == 0:
        return None
    ranked = sorted(values, key=lambda a: (-values[a], collation_key(a.nazev)))
    name = metadata.by_code()[code].nazev

    def listed(areas: list[Area]) -> str:
        return czech_join([f"{a.nazev} ({_amount(values[a], code)})" for a in areas])
    return (f"{name} je nejvyšší v obcích {listed(ranked[:n])}, nejnižší v obcích {listed(ranked[::-1][:n])} "
            f"(srovnány obce s alespoň {MIN_POPULATION} obyvateli, k {czech_iso(obdobi)}).")


def above_reference(ind: pd.DataFrame, obce: list[Area], reference: Area, code: str, obdobi: str) -> str | None:
    """How many obce are above the kraj (or another reference) in an indicator."""
    values = _at(ind, [*obce, reference], code, obdobi)
    if reference not in values or len(values) < 3:
        return None
    limit = round(values[reference], 1)
    compared = [a for a in _populous(ind, obce, obdobi) if a in values]
    above = sum(round(values[a], 1) > limit for a in compared)
    name = metadata.by_code()[code].nazev
    subject = f"{name} vyšší než {REFERENCE.get(reference.typ, 'území')} ({label(reference)}: {_amount(limit, code)})"
    whole = len(compared) == len(obce)
    n = czech_number(len(compared))
    of = f"ze všech {n}" if whole else f"{before_number('z', len(compared))} {n}"
    if above == 0:
        counted = f"nemá žádná {of} {'obcí' if whole else 'srovnávaných obcí'}"
    elif above == len(compared):
        counted = f"mají všechny {'obce' if whole else 'srovnávané obce'} ({n})"
    else:
        counted = f"{'mají' if 2 <= above <= 4 else 'má'} {above} {of} {'obcí' if whole else 'srovnávaných obcí'}"
    sentence = f"{subject} {counted}."
    left_out = [a for a in obce if a not in compared]
    if left_out:
        small = small_bases.small_among(ind, left_out, obdobi)
        reasons = ([f"méně než {MIN_POPULATION} obyvatel"] if small else []) + \
                  (["index nelze vypočítat"] if len(small) < len(left_out) else [])
        names = f": {czech_join([a.nazev for a in left_out])}" if len(left_out) <= 10 else ""
        verb = "Nesrovnávají" if 2 <= len(left_out) <= 4 else "Nesrovnává"
        sentence += f" {verb} se {obce_count(len(left_out))} ({' nebo '.join(reasons)}){names}."
    return sentence


def sub_areas(ind: pd.DataFrame, oblasti: list[Area], code: str, obdobi: str) -> str | None:
    values = _at(ind, oblasti, code, obdobi)
    if len(values) < 2:
        return None
    ranked = sorted(values, key=lambda a: (-values[a], a.nazev))
    name = metadata.by_code()[code].nazev
    return (f"Z oblastí má nejvyšší {name.lower()} oblast {ranked[0].nazev} "
            f"({_amount(values[ranked[0]], code)}), nejnižší oblast {ranked[-1].nazev} ({_amount(values[ranked[-1]], code)}).")


def seniors_trend(ind: pd.DataFrame, area: Area) -> str | None:
    """Change of the 65+ and 80+ counts between the first and the last date with age data."""
    changes = []
    for code in ("obyvatel_65_plus", "obyvatel_80_plus"):
        series = _series(ind, area, code)
        if len(series) < 2:
            return None
        first, last = series.index[0], series.index[-1]
        changes.append(f"{metadata.by_code()[code].nazev.lower()} {before_number('z', series[first])} {czech_number(series[first])} "
                       f"na {czech_number(series[last])} ({_signed(series[last] - series[first])})")
    crossed = breaks_between(first, last)
    caveat = (f" Mezi těmito daty leží zlom řady ({', '.join(b.popisek for b in crossed)}); "
              "část změny je proto statistická.") if crossed else ""
    return f"Mezi {czech_iso(first)} a {czech_iso(last)} se v území {of_area(area)} změnil počet: {czech_join(changes)}.{caveat}"


def ageing(ind: pd.DataFrame, obce: list[Area], n: int = 3) -> str | None:
    """The obce whose index stáří rose the most between the first and the last date with age data."""
    dates = sorted(ind.loc[ind.ukazatel == "index_stari", "obdobi"].unique())
    if len(dates) < 2:
        return None
    first, last = dates[0], dates[-1]
    start = _at(ind, _populous(ind, obce, last), "index_stari", first)
    end = _at(ind, list(start), "index_stari", last)
    rises = {a: end[a] - start[a] for a in end}
    if not rises:
        return None
    fastest = sorted(rises, key=lambda a: (-rises[a], a.nazev))[:n]
    crossed = breaks_between(first, last)
    caveat = f" (mezi daty leží zlom řady: {', '.join(b.popisek for b in crossed)})" if crossed else ""
    return (f"Nejrychleji mezi {czech_iso(first)} a {czech_iso(last)} stárnou obce "
            f"{czech_join([f'{a.nazev} (index stáří {_signed(rises[a], 1)})' for a in fastest])}{caveat}.")


def settlement(ind: pd.DataFrame, area: Area, obce: list[Area], obdobi: str, small: int = 500) -> str | None:
    """The largest obec and how many obce are small: what shapes the reach of services in the territory."""
    population = _at(ind, [area, *obce], "obyvatel_celkem", obdobi)
    counted = [a for a in obce if a in population]
    if len(counted) < 2 or area not in population:
        return None
    largest = max(counted, key=lambda a: population[a])
    share = population[largest] / population[area] * 100
    below = sum(population[a] < small for a in counted)
    of = f"ze všech {czech_number(len(counted))}" if len(counted) == len(obce) else \
        f"{before_number('z', len(counted))} {czech_number(len(counted))} obcí s údajem"
    if below == 0:
        count = f"žádná {of} {'obcí ' if len(counted) == len(obce) else ''}nemá"
    elif below == len(counted):
        count = "všechny obce mají"
    else:
        count = f"{below} {of}{' obcí' if len(counted) == len(obce) else ''} {'mají' if 2 <= below <= 4 else 'má'}"
    # 'Největší obec, Svitavy, má …': no verb agrees with the name (Svitavy, Vysoké Mýto, Polička)
    return (f"Největší obec, {largest.nazev}, má {czech_number(population[largest])} obyvatel "
            f"({czech_number(share, 1)}{NBSP}% obyvatel území); {count} méně než {czech_number(small)} obyvatel.")


def key_findings(ind: pd.DataFrame, area: Area, oblasti: list[Area], obce: list[Area],
                 references: list[Area], local: Sequence[SeriesBreak] = ()) -> list[str]:
    """The summary chapter: population, ageing against the kraj and ČR, and where in the territory it is strongest.
    `local` are the area's own series breaks, as in the chapter on population (a split is never a decline here either)."""
    age_dates = sorted(_series(ind, area, "podil_65_plus").index)  # defined wherever anyone lives
    found: list[str | None] = [" ".join(population_change(ind, area, local))]
    if age_dates:
        latest = age_dates[-1]
        kraj = next((r for r in references if r.typ == "kraj"), None)
        small = small_bases.is_small(ind, area, latest)  # no comparison of a small obec's rates in the summary
        found += [None if small else compare(ind, area, references, "podil_65_plus", latest),
                  None if small else compare(ind, area, references, "index_stari", latest),
                  seniors_trend(ind, area),
                  sub_areas(ind, oblasti, "podil_65_plus", latest),
                  above_reference(ind, obce, kraj, "index_stari", latest) if kraj else None,
                  extremes(ind, obce, "index_stari", latest),
                  ageing(ind, obce)]
    return [sentence for sentence in found if sentence]
