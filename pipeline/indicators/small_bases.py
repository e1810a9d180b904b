"""The one rule for small bases: shares, indices and averages of an obec with fewer than MIN_POPULATION inhabitants
are not published, because a single birth, death or move changes them by tens of per cent.

Applied once to the indicator table of a study (`suppress`), so text, tables, charts and maps all leave the same
values out; counts (unit 'osoby') always stay. The analysed territory itself and its comparisons are never
suppressed: a study of a small obec shows its values, and its sentences say that they are not compared.
"""
from collections.abc import Iterable

import pandas as pd

from pipeline.core.territory import Area
from pipeline.core.text import czech_number
from pipeline.indicators import metadata

MIN_POPULATION = 100
RULE = (f"Demografické podíly, indexy a průměrný věk obcí s méně než {czech_number(MIN_POPULATION)} obyvateli se neuvádějí "
        "v textu, tabulkách (znak –), grafech ani mapách: jediné narození, úmrtí či stěhování je mění o desítky "
        "procent. Počty obyvatel těchto obcí se uvádějí vždy.")


def rate_codes() -> set[str]:
    return {i.kod for i in metadata.catalogue() if i.jednotka != "osoby"}


def population_at(ind: pd.DataFrame, area: Area, obdobi: str) -> float | None:
    """Inhabitants of the area on the date, else on the latest earlier date (None when unknown)."""
    rows = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.ukazatel == "obyvatel_celkem")
               & (ind.obdobi <= obdobi)]
    return float(rows.sort_values("obdobi")["hodnota"].iloc[-1]) if len(rows) else None


def is_small(ind: pd.DataFrame, area: Area, obdobi: str) -> bool:
    return bool(small_among(ind, [area], obdobi))


def small_among(ind: pd.DataFrame, areas: Iterable[Area], obdobi: str) -> list[Area]:
    """The areas with fewer than MIN_POPULATION inhabitants on the date (else on the latest earlier date), in one
    pass over `ind` rather than one per area."""
    wanted = {(a.typ, a.kod): a for a in areas}
    rows = ind[(ind.ukazatel == "obyvatel_celkem") & (ind.obdobi <= obdobi) & ind.uzemi_kod.isin([k for _, k in wanted])]
    latest = rows.sort_values("obdobi").groupby(["uzemi_typ", "uzemi_kod"])["hodnota"].last()
    return [area for key, area in wanted.items() if key in latest.index and latest[key] < MIN_POPULATION]


def suppress(ind: pd.DataFrame, keep: Iterable[Area]) -> pd.DataFrame:
    """`ind` without the rates of small obce (except the areas in `keep`), at every date."""
    kept = {(a.typ, a.kod) for a in keep}
    population = ind[(ind.ukazatel == "obyvatel_celkem") & (ind.uzemi_typ == "obec")]
    small = population[population["hodnota"] < MIN_POPULATION][["uzemi_typ", "uzemi_kod", "obdobi"]]
    small = small[[(t, k) not in kept for t, k in zip(small.uzemi_typ, small.uzemi_kod, strict=True)]]
    if small.empty:
        return ind
    flagged = ind.merge(small.assign(_small=True), on=["uzemi_typ", "uzemi_kod", "obdobi"], how="left")
    drop = flagged["_small"].fillna(False).astype(bool).to_numpy() & ind["ukazatel"].isin(rate_codes()).to_numpy()
    return ind[~drop].reset_index(drop=True)
