"""Demographic indicators for any set of areas, computed from summed counts (never averaged ratios).

What each indicator is, and how it is computed, lives in indicators.yaml; this module only turns
that into SQL over the area counts (sql/uzemi_pocty.sql).
"""
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from pipeline.core.territory import Area, membership

METADATA_FILE = Path(__file__).with_name("indicators.yaml")
AREA_COUNTS_SQL = Path(__file__).with_name("sql") / "uzemi_pocty.sql"
OUTPUT_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka"]


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
    return dict(_metadata()["zdroje"])


@dataclass(frozen=True)
class SeriesBreak:
    datum: str  # ISO date of the first value after the break
    popisek: str
    vysvetleni: str


def series_breaks() -> list[SeriesBreak]:
    return [SeriesBreak(str(b["datum"]), b["popisek"], b["vysvetleni"]) for b in _metadata()["zlomy_rady"]]


def compute(con, areas: list[Area]) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS) for every area and date; areas keep the order given."""
    indicators = catalogue()
    con.register("clenstvi", membership(areas))
    try:
        values = ",\n".join(f"{i.sql()} AS {i.kod}" for i in indicators)
        wide = con.execute(f"""
            WITH uzemi_pocty AS ({AREA_COUNTS_SQL.read_text()})
            SELECT uzemi_poradi, uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, {values}
            FROM uzemi_pocty
        """).df()
    finally:
        con.unregister("clenstvi")
    order = {i.kod: n for n, i in enumerate(indicators)}
    units = {i.kod: i.jednotka for i in indicators}
    tidy = wide.melt(id_vars=["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi"],
                     var_name="ukazatel", value_name="hodnota").dropna(subset=["hodnota"])
    tidy["jednotka"] = tidy["ukazatel"].map(units)
    tidy["_order"] = tidy["ukazatel"].map(order)
    tidy = tidy.sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    tidy["obdobi"] = pd.to_datetime(tidy["obdobi"]).dt.strftime("%Y-%m-%d")
    tidy["hodnota"] = tidy["hodnota"].astype(float)
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)
