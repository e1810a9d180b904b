"""Coverage of a territory by registered social services, and its obce without a service of a type.

A service counts in an area when one of its facilities in provision on the date lies in one of the area's
obce; it counts once per area however many facilities it has there, and with its whole registered capacity:
the registry records capacity per service and form, not per facility, so there is nothing to split it by.
Sums over the obce of a territory can therefore exceed the territory's own figure; the territory, kraj and
ČR rows never count a service twice. Facilities without a known obec are counted nowhere and reported.

The SQL is in sql/sluzby_pokryti.sql and sql/sluzby_mezery.sql; the target population of each service type
in cilove_populace.yaml. Population counts are the per-obec counts of the demographic indicators
(sql/uzemi_pocty.sql), summed over the obce of each area.
"""
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Territory, comparisons, membership, obec_areas
from pipeline.core.text import czech_date
from pipeline.indicators.sluzby import activity

SQL_DIR = Path(__file__).parents[1] / "sql"
TARGETS_FILE = Path(__file__).with_name("cilove_populace.yaml")
POPULATION_LABELS = {
    "obyvatel_celkem": "celá populace",
    "obyvatel_0_14": "obyvatelé 0–14 let",
    "obyvatel_15_64": "obyvatelé 15–64 let",
    "obyvatel_65_plus": "obyvatelé 65+",
    "obyvatel_80_plus": "obyvatelé 80+",
    "obyvatel_85_plus": "obyvatelé 85+",
}
COVERAGE_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "druh_kod", "druh_nazev", "forma", "typ_kapacity",
                    "pocet_sluzeb", "kapacita", "cilova_populace", "kapacita_na_1000", "cilova_populace_popis",
                    "cilova_populace_k", "datum", "registr_k"]
GAP_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "orp_kod", "orp_nazev", "druh_kod", "druh_nazev",
               "terenni_sluzby_s_pusobnosti", "terenni_sluzby", "datum", "registr_k"]
SHOWN_CODES = 10


@dataclass
class Result:
    table: pd.DataFrame
    registr_k: date
    notes: list[str] = field(default_factory=list)  # Czech lines for the analyst (stderr)


@dataclass(frozen=True)
class Targets:
    default: str
    by_type: dict[str, str]


@cache
def targets(path: Path = TARGETS_FILE) -> Targets:
    """Population column per service type, checked so that a typo fails loudly instead of giving NULLs."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SprssError(f"Soubor cílových populací {path} nelze přečíst: {exc}.") from exc
    entries = {"vychozi": (spec or {}).get("vychozi") or {}}
    entries.update({str(kod): value or {} for kod, value in ((spec or {}).get("druhy") or {}).items()})
    for name, entry in entries.items():
        if entry.get("populace") not in POPULATION_LABELS:
            raise SprssError(f"Soubor cílových populací {path}, položka {name}: populace {entry.get('populace')!r} "
                             f"není jedním ze sloupců {', '.join(POPULATION_LABELS)}.")
        if not str(entry.get("duvod") or "").strip():
            raise SprssError(f"Soubor cílových populací {path}, položka {name}: chybí důvod volby (duvod).")
    default = entries.pop("vychozi")["populace"]
    return Targets(default, {kod: entry["populace"] for kod, entry in entries.items()})


def coverage_areas(chosen: Territory, obce: pd.DataFrame) -> list[Area]:
    """The territory, its own sub-areas, its obce, then its comparison levels (ORP where finer, kraj, ČR)."""
    return [chosen.area, *chosen.oblasti, *obec_areas(chosen), *comparisons(chosen, obce)]


def compute(con: duckdb.DuckDBPyConnection, chosen: Territory, obce: pd.DataFrame, on_date: date) -> Result:
    return of_areas(con, coverage_areas(chosen, obce), on_date)


def of_areas(con: duckdb.DuckDBPyConnection, areas: list[Area], on_date: date) -> Result:
    """Coverage of any list of areas (the demand matrix passes all ORP of a kraj with the kraj and ČR)."""
    stav_k = activity.edition(con, on_date)
    goal = targets()
    counts_sql = (SQL_DIR / "uzemi_pocty.sql").read_text(encoding="utf-8")
    con.register("clenstvi", membership(areas))
    con.register("cilove_populace", pd.DataFrame(list(goal.by_type.items()), columns=["druh_kod", "sloupec"]))
    try:
        table = con.execute(f"""
            WITH aktivni_zarizeni AS ({activity.active_sql()}),
            uzemi_pocty AS ({counts_sql})
            SELECT * FROM ({(SQL_DIR / "sluzby_pokryti.sql").read_text(encoding="utf-8")})
            ORDER BY uzemi_poradi, try_cast(druh_kod AS INTEGER) NULLS LAST, druh_kod, forma, typ_kapacity NULLS LAST
        """, {"stav_k": stav_k, "datum": on_date, "vychozi": goal.default}).df()
    finally:
        con.unregister("clenstvi")
        con.unregister("cilove_populace")
    table["cilova_populace_popis"] = table["cilova_populace_sloupec"].map(POPULATION_LABELS)
    table["cilova_populace_k"] = pd.to_datetime(table["cilova_populace_k"]).dt.strftime("%Y-%m-%d")
    notes = _registry_notes(con, stav_k, on_date)
    if len(table) and table["cilova_populace"].isna().all():
        notes.append("Počty obyvatel těchto území nejsou k dispozici: cílová populace a kapacita na 1 000 zůstávají "
                     "prázdné (chybí počty obyvatel a věkové složení obcí ČSÚ).")
    return Result(_finish(table, COVERAGE_COLUMNS, on_date, stav_k), stav_k, notes)


def gaps(con: duckdb.DuckDBPyConnection, chosen: Territory, on_date: date) -> Result:
    stav_k = activity.edition(con, on_date)
    con.register("clenstvi", membership(obec_areas(chosen)))
    try:
        table = con.execute(f"""
            WITH aktivni_zarizeni AS ({activity.active_sql()})
            SELECT * FROM ({(SQL_DIR / "sluzby_mezery.sql").read_text(encoding="utf-8")})
            ORDER BY uzemi_poradi, try_cast(druh_kod AS INTEGER) NULLS LAST, druh_kod
        """, {"stav_k": stav_k, "datum": on_date}).df()
    finally:
        con.unregister("clenstvi")
    notes = _registry_notes(con, stav_k, on_date)
    declared = con.execute("SELECT count(*) FROM sluzby_pusobnost WHERE stav_k = $stav_k", {"stav_k": stav_k}).fetchall()[0][0]
    if not declared:
        notes.append("Registr neuvádí u žádné služby rozšířenou působnost v kraji; sloupec terenni_sluzby je proto prázdný.")
    return Result(_finish(table, GAP_COLUMNS, on_date, stav_k), stav_k, notes)


def _finish(table: pd.DataFrame, columns: list[str], on_date: date, stav_k: date) -> pd.DataFrame:
    """Output columns in order; counts as integers with empty cells where a value is missing (CSV and XLSX)."""
    table = table.assign(datum=on_date.isoformat(), registr_k=stav_k.isoformat())[columns].copy()
    for column in ("pocet_sluzeb", "kapacita", "cilova_populace", "terenni_sluzby_s_pusobnosti"):
        if column in table:
            table[column] = pd.Series([None if pd.isna(v) else int(v) for v in table[column]], index=table.index,
                                      dtype=object)
    return table.reset_index(drop=True)


def _registry_notes(con: duckdb.DuckDBPyConnection, stav_k: date, on_date: date) -> list[str]:
    """Edition used, facilities counted in no area, codes missing from the code lists."""
    notes = [f"Registr MPSV ve stavu k {czech_date(stav_k)}; služby v poskytování k {czech_date(on_date)}."]
    lost = activity.unlocated(con, stav_k, on_date)
    if len(lost):
        shown = ", ".join(f"{r.identifikator} ({r.duvod})"
                          for r in lost.head(SHOWN_CODES).itertuples())
        more = f" a dalších {len(lost) - SHOWN_CODES}" if len(lost) > SHOWN_CODES else ""
        notes.append(f"{len(lost)} zařízení aktivních služeb nelze přiřadit k obci, v žádném území nejsou započtena: "
                     f"služby {shown}{more}.")
    unknown = con.execute("""
        SELECT hodnota, count(DISTINCT sluzba_id) AS sluzeb
        FROM sluzby_kontrola
        WHERE stav_k = $stav_k AND kontrola = 'neznámý kód'
        GROUP BY hodnota
        ORDER BY hodnota
    """, {"stav_k": stav_k}).fetchall()
    if unknown:
        notes.append("Kódy, které nejsou v číselnících MPSV (služby jsou započteny, název chybí): "
                     + ", ".join(f"{_code_label(code)} (služeb: {n})" for code, n in unknown) + ".")
    has_types = con.execute("SELECT count(*) FROM mpsv_ciselnik WHERE ciselnik = 'DruhSocialniSluzby'").fetchall()[0][0]
    if not has_types:
        notes.append("Číselník druhů sociálních služeb MPSV chybí: druhy služeb jsou uvedeny jen kódem.")
    return notes


# the MPSV code lists as a reader of the plan names them ('CilovaSkupinaOsoby/30' -> 'cílová skupina 30')
CODE_LISTS = {"DruhSocialniSluzby": "druh služby", "FormaSocialniSluzby": "forma služby",
              "TypKapacitySocialniSluzby": "jednotka kapacity", "CilovaSkupinaOsoby": "cílová skupina",
              "VekovaSkupinaOsoby": "věková skupina"}


def _code_label(value: str) -> str:
    ciselnik, _, kod = value.partition("/")
    return f"{CODE_LISTS.get(ciselnik, ciselnik)} {kod}"
