"""Population movement indicators (births, deaths, migration, increases and their rates) for any set of areas.

The counts come from sql/uzemi_pohyb.sql (published rows of ORP, okresy, kraje, ČR and obce; sums over obce for other
areas, net migration only); the indicators are defined in indicators.yaml (`ukazatele_pohybu`). Small obce are read
over five years (`five_year_sums`), so that one family moving is not read as a trend.
"""
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core.territory import Area, membership, of_area
from pipeline.indicators.metadata import movement_catalogue

AREA_MOVEMENT_SQL = Path(__file__).with_name("sql") / "uzemi_pohyb.sql"
OUTPUT_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka"]
COUNTS = ["zive_narozeni", "zemreli", "prirozeny_prirustek", "pristehovali", "vystehovali", "prirustek_stehovanim",
          "celkovy_prirustek", "stredni_stav"]
GROSS = ["pristehovali", "vystehovali"]
PUBLISHED_LEVELS = ("obec", "orp", "okres", "kraj", "stat")
WINDOW_YEARS = 5


def counts(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Movement counts per area and year (columns of sql/uzemi_pohyb.sql, `obdobi` ISO); empty without 130141 data."""
    con.register("clenstvi", membership(areas))
    try:
        found = con.execute(f"SELECT * FROM ({AREA_MOVEMENT_SQL.read_text()}) ORDER BY uzemi_poradi, obdobi").df()
    finally:
        con.unregister("clenstvi")
    found["obdobi"] = pd.to_datetime(found["obdobi"]).dt.strftime("%Y-%m-%d")
    return found


def compute(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS) of every movement indicator for every area and year; areas keep the order given."""
    return tidy(counts(con, areas))


def tidy(wide: pd.DataFrame) -> pd.DataFrame:
    indicators = movement_catalogue()
    values = wide[["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi"]].copy()
    for indicator in indicators:
        rule = indicator.vypocet
        if "soucet" in rule:
            values[indicator.kod] = wide[rule["soucet"]]
        else:
            numerator = wide[rule["citatel"]].sum(axis=1, min_count=len(rule["citatel"]))
            denominator = wide[rule["jmenovatel"]]
            values[indicator.kod] = (numerator / denominator.where(denominator > 0)) * rule["nasobek"]
    order = {i.kod: n for n, i in enumerate(indicators)}
    long = values.melt(id_vars=["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi"],
                       var_name="ukazatel", value_name="hodnota").dropna(subset=["hodnota"])
    long["jednotka"] = long["ukazatel"].map({i.kod: i.jednotka for i in indicators})
    long["_order"] = long["ukazatel"].map(order)
    long = long.sort_values(["uzemi_poradi", "_order", "obdobi"], kind="stable")
    long["hodnota"] = long["hodnota"].astype(float)
    return long[OUTPUT_COLUMNS].reset_index(drop=True)


def five_year_sums(wide: pd.DataFrame, years: int = WINDOW_YEARS) -> pd.DataFrame:
    """Per area, the counts summed over its last `years` years that have every count, and the rates of the sums
    (Σ births / Σ mid-year population × 1,000, i.e. the average annual rate). Columns: the area, `od`, `do` (years),
    `roku` (years summed), the counts and the `mira_*` rates. An area with fewer years sums what it has and says so."""
    rows = []
    for (poradi, typ, kod, nazev), group in wide.groupby(["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev"],
                                                         sort=True):
        complete = group.dropna(subset=["zive_narozeni", "zemreli", "prirustek_stehovanim", "stredni_stav"])
        last = complete.sort_values("obdobi").tail(years)
        if last.empty:
            continue
        sums = {c: last[c].sum(min_count=len(last)) for c in COUNTS}
        rows.append({"uzemi_poradi": poradi, "uzemi_typ": typ, "uzemi_kod": kod, "uzemi_nazev": nazev,
                     "od": int(last["obdobi"].min()[:4]), "do": int(last["obdobi"].max()[:4]), "roku": len(last), **sums})
    result = pd.DataFrame(rows)
    if result.empty:
        return result
    base = result["stredni_stav"].where(result["stredni_stav"] > 0)
    for rate, count in (("mira_porodnosti", "zive_narozeni"), ("mira_umrtnosti", "zemreli"),
                        ("mira_prirozeneho_prirustku", "prirozeny_prirustek"),
                        ("mira_migracniho_salda", "prirustek_stehovanim"), ("mira_celkoveho_prirustku", "celkovy_prirustek")):
        result[rate] = result[count] / base * 1000
    return result.sort_values("uzemi_poradi").reset_index(drop=True)


def gross_migration_note(area: Area) -> str | None:
    """Why an area has net migration only (None for the levels whose gross flows ČSÚ publishes)."""
    if area.typ in PUBLISHED_LEVELS:
        return None
    return (f"Za území {of_area(area)} se uvádí jen přírůstek stěhováním (saldo): počty přistěhovalých a vystěhovalých "
            "nejsou součtem obcí, protože stěhování mezi obcemi území by se započetlo jako migrace, a ČSÚ je za toto "
            "území nezveřejňuje.")
