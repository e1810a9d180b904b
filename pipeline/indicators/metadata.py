"""Indicator metadata: the one place of Czech titles, units, formulas, sources and series breaks.

Read from indicators.yaml; chart titles, table footnotes, source lines and the methods appendix are generated
from it, so charts and text cannot disagree. How a source is cited comes from the source's META.
"""
from collections.abc import Collection, Iterable
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
    obdobi: str = ""  # what the reference date stands for, when it is not a state on the day ("průměr roku")

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


def sections() -> list[str]:
    """The indicator sections of indicators.yaml (`ukazatele`, `ukazatele_pohybu`, …): each domain's indicators are
    computed by its own module from its own counts."""
    return [key for key in _metadata() if key.startswith("ukazatele")]


def catalogue(section: str = "ukazatele") -> list[Indicator]:
    """The indicators of one section of indicators.yaml (`ukazatele` = demographic, `ukazatele_pohybu` = movement, …)."""
    return [Indicator(i["kod"], i["nazev"], i["jednotka"], i["vzorec"], i["vypocet"], tuple(i["zdroj"]),
                      i.get("obdobi", "")) for i in _metadata().get(section) or []]


def movement_catalogue() -> list[Indicator]:
    return catalogue("ukazatele_pohybu")


def projection_catalogue() -> list[Indicator]:
    """The projected age groups (`ukazatele_projekce`); `vypocet.projekce` holds their ages."""
    return catalogue("ukazatele_projekce")


@cache
def by_code() -> dict[str, Indicator]:
    """Every indicator of every section by its code (read-only: one dict per process, asked for hundreds of times)."""
    return {i.kod: i for section in sections() for i in catalogue(section)}


def financing() -> list[Indicator]:
    """Indicators of municipal spending (section ukazatele_financovani), computed by indicators/financovani.py."""
    return catalogue("ukazatele_financovani")


def financing_rule() -> str:
    """The Czech statement of what 'výdaje na sociální oblast' include (chapter methods, tables)."""
    return str(_metadata()["pravidlo_socialni_oblast"]).strip()


def paragraph_names() -> dict[str, str]:
    """Paragraph 43xx -> its name in the rozpočtová skladba."""
    return {str(k): v for k, v in _metadata()["paragrafy_socialni_oblast"].items()}


def source_titles() -> dict[str, str]:
    """Source id -> citation of every source an indicator rests on, in the order the indicators name them."""
    ids = dict.fromkeys(source_id for indicator in catalogue() for source_id in indicator.zdroj)
    return {source_id: sources.meta(source_id).citation for source_id in ids}


@dataclass(frozen=True)
class SeriesBreak:
    datum: str  # ISO date of the first value after the break
    popisek: str
    vysvetleni: str
    smer: str | None = None  # '+' when the new method only adds persons, '-' when it only removes them, else None
    ukazatele: tuple[str, ...] = ()  # the indicators it breaks; empty = every indicator of its section


def series_breaks(section: str = "zlomy_rady") -> list[SeriesBreak]:
    """Breaks of the population series (default) or of another domain's series (`zlomy_rady_socialni`)."""
    return [SeriesBreak(str(b["datum"]), b["popisek"], b["vysvetleni"], b.get("smer"), tuple(b.get("ukazatele", ())))
            for b in _metadata()[section]]


def source_line(codes: Iterable[str], used: Collection[str] = ()) -> str:
    """'Zdroj: ČSÚ, …; výpočet sprss' from indicator codes (their sources) or source ids, each source once.
    `used`: the sources the shown values come from (the file of a date's population counts); of an indicator with
    several possible sources only those are named (all of them when none is among `used`)."""
    indicators = {**by_code(), **{i.kod: i for i in financing()}}
    keys: list[str] = []
    for code in codes:
        possible = indicators[code].zdroj if code in indicators else (code,)
        for key in [k for k in possible if k in used] or possible:
            if key not in sources.RECORDS:
                raise KeyError(f"unknown indicator or source {key!r}")
            if key not in keys:
                keys.append(key)
    return sources.source_line(*(sources.RECORDS[k].citation for k in keys))
