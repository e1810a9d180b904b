"""Indicator metadata: the one place of Czech titles, units, formulas, sources and series breaks.

Read from indicators.yaml; chart titles, table footnotes, source lines and the methods appendix are generated
from it, so charts and text cannot disagree. How a source is cited comes from the source's META.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline import sources

METADATA_FILE = Path(__file__).with_name("indicators.yaml")


@dataclass(frozen=True)
class Indicator:
    kod: str
    nazev: str
    jednotka: str
    vzorec: str
    vypocet: dict
    zdroj: tuple[str, ...]

    def sql(self) -> str:
        """SQL expression over the columns of uzemi_pocty (plus window functions for trends)."""
        rule = self.vypocet
        if "soucet" in rule:
            return rule["soucet"]
        if "citatel" in rule:
            numerator = " + ".join(rule["citatel"])
            return (f"CASE WHEN {rule['jmenovatel']} > 0 THEN "
                    f"({numerator}) / {rule['jmenovatel']} * {rule['nasobek']} END")
        base = rule.get("zmena") or rule["index"]
        first = (f"first_value({base} IGNORE NULLS) OVER (PARTITION BY uzemi_poradi ORDER BY obdobi "
                 "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
        if "zmena" in rule:
            return f"{base} - {first}"
        return f"{base} / {first} * 100"


@cache
def _metadata() -> dict:
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))


def catalogue() -> list[Indicator]:
    return [Indicator(i["kod"], i["nazev"], i["jednotka"], i["vzorec"], i["vypocet"], tuple(i["zdroj"]))
            for i in _metadata()["ukazatele"]]


def by_code() -> dict[str, Indicator]:
    return {i.kod: i for i in catalogue()}


def source_titles() -> dict[str, str]:
    """Source id -> citation of every source an indicator rests on, in the order the indicators name them."""
    ids = dict.fromkeys(source_id for indicator in catalogue() for source_id in indicator.zdroj)
    return {source_id: sources.meta(source_id).citation for source_id in ids}


@dataclass(frozen=True)
class SeriesBreak:
    datum: str  # ISO date of the first value after the break
    popisek: str
    vysvetleni: str
    smer: str | None  # '+' when the new method only adds persons, '-' when it only removes them, else None


def series_breaks() -> list[SeriesBreak]:
    return [SeriesBreak(str(b["datum"]), b["popisek"], b["vysvetleni"], b.get("smer")) for b in _metadata()["zlomy_rady"]]


def source_line(codes: Iterable[str]) -> str:
    """'Zdroj: ČSÚ, …; výpočet sprss' from indicator codes (their sources) or source ids, each source once."""
    indicators = by_code()
    keys: list[str] = []
    for code in codes:
        for key in indicators[code].zdroj if code in indicators else (code,):
            if key not in sources.RECORDS:
                raise KeyError(f"unknown indicator or source {key!r}")
            if key not in keys:
                keys.append(key)
    return sources.source_line(*(sources.RECORDS[k].citation for k in keys))
