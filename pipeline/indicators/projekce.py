"""Projected population of any areas (`sprss projection`, the chapter vyhled): tidy rows like `sprss indicators`.

The ČSÚ projection is the warehouse model `projekce_obyvatel` (DataStat selections OBY02PT03 for ČR and
OBY02PKT03 for kraje, read by the DataStat source); the base is the latest age structure held for every obec
(`populace_vek`). The method is in projekce_metoda.py.
"""
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from pipeline.core.errors import SprssError
from pipeline.core.territory import Area
from pipeline.core.text import czech_date, czech_number
from pipeline.indicators import projekce_metoda as method
from pipeline.indicators.demografie import OUTPUT_COLUMNS
from pipeline.indicators.metadata import projection_catalogue

VARIANTS = {"stredni": "střední", "nizka": "nízká", "vysoka": "vysoká"}
CONTROL_TABLE = "projekce_obyvatel"


@dataclass(frozen=True)
class Inputs:
    """Everything a projection needs, read once (the benchmark projects 206 ORP from one read)."""
    base: method.Base
    base_date: pd.Timestamp
    scaled_to: pd.Timestamp | None  # date of the obec totals the base was scaled to
    control: method.Control
    varianta: str
    kraj_of_obec: dict[str, str]


def variants(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Variants the warehouse holds, in the order stredni, nizka, vysoka."""
    if not _has_table(con, CONTROL_TABLE):
        return []
    held = {v for (v,) in con.execute(f"SELECT DISTINCT varianta FROM {CONTROL_TABLE}").fetchall()}
    return [v for v in VARIANTS if v in held]


def load(con: duckdb.DuckDBPyConnection, varianta: str = "stredni") -> Inputs:
    if varianta not in VARIANTS:
        raise SprssError(f"Neznámá varianta projekce {varianta!r}; možné: {', '.join(VARIANTS)}.")
    held = variants(con)
    if not held:
        raise SprssError("Ve skladu není projekce obyvatelstva ČSÚ; importujte výběry DataStat OBY02PT03 "
                         "(projekce ČR podle jednotek věku) a schemas.zip, případně OBY02PKT03 (kraje).")
    if varianta not in held:
        raise SprssError(f"Ve skladu je jen projekce varianty {', '.join(VARIANTS[v] for v in held)}; variantu "
                         f"{VARIANTS[varianta]} ČSÚ vydává v tabulkách Projekce obyvatelstva ČR 2023–2100 (soubory "
                         "1301392301–03.xlsx), které sprss zatím neimportuje.")
    frame = con.execute(f"""
        SELECT uzemi_kod, pohlavi, vek, rok, pocet FROM {CONTROL_TABLE} WHERE varianta = ? ORDER BY ALL
    """, [varianta]).df()
    control = method.Control.from_frame(frame)
    obce = con.execute("SELECT obec_kod, coalesce(kraj_nuts_kod, kraj_kod) AS kraj FROM obce ORDER BY obec_kod").df()
    base_date = _base_date(con, len(obce))
    bands = con.execute("""
        SELECT obec_kod, pohlavi, vek_od, vek_do, sum(pocet) AS pocet FROM populace_vek WHERE obdobi = ? GROUP BY ALL
    """, [base_date]).df()
    base = method.single_years(bands, list(obce["obec_kod"]), control.sexes(), method.base_year(base_date))
    base, scaled_to = _scaled(con, base, base_date)
    inputs = Inputs(base, pd.Timestamp(base_date), scaled_to, control, varianta,
                    dict(zip(obce["obec_kod"], obce["kraj"], strict=True)))
    _check_coverage(inputs)
    return inputs


def years(inputs: Inputs, to_year: int | None) -> list[int]:
    """Projection years from the base on, up to `to_year` (default: the projection's last year)."""
    held = [int(y) for y in inputs.control.years if y >= inputs.base.year]
    if not held:
        raise SprssError(f"Projekce končí rokem {int(inputs.control.years[-1])}, před datem věkové struktury "
                         f"{czech_date(inputs.base_date)}; importujte novější projekci ČSÚ.")
    if to_year is not None and not held[0] <= to_year <= held[-1]:
        raise SprssError(f"Rok {to_year} je mimo roky projekce {held[0]}–{held[-1]}; zadejte --to v tomto rozmezí.")
    return [y for y in held if to_year is None or y <= to_year]


def compute(inputs: Inputs, areas: list[Area], to_year: int | None = None) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS of the indicators) of the projected age groups, obdobi = 1. 1. of each year."""
    chosen = years(inputs, to_year)
    counts = project(inputs, areas, chosen)
    rows = []
    indicators = projection_catalogue()
    for i, area in enumerate(areas):
        for indicator in indicators:
            ages = indicator.vypocet["projekce"]
            end = None if ages["vek_do"] is None else ages["vek_do"] + 1
            for j, year in enumerate(chosen):
                value = counts[i, j, ages["vek_od"]:end].sum()
                rows.append((area.typ, area.kod, area.nazev, f"{year}-01-01", indicator.kod, float(value),
                             indicator.jednotka))
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


def project(inputs: Inputs, areas: list[Area], chosen: list[int]) -> np.ndarray:
    """[area, year, age] projected counts; an area's obce outside the base are an error."""
    index = {kod: i for i, kod in enumerate(inputs.base.obce)}
    members = np.zeros((len(areas), len(index)))
    for i, area in enumerate(areas):
        missing = [kod for kod in area.obce if kod not in index]
        if missing:
            raise SprssError(f"Území {area.nazev}: obec {missing[0]} nemá ve skladu věkovou strukturu.")
        members[i, [index[kod] for kod in area.obce]] = 1
    return method.project(inputs.base, inputs.control, inputs.kraj_of_obec, members, chosen)


def source_line_parts(inputs: Inputs) -> list[str]:
    """What the projection rests on, for source lines and the methods appendix."""
    scaled = f" přepočtená na počty obyvatel k {czech_date(inputs.scaled_to)}" if inputs.scaled_to is not None else ""
    return [f"ČSÚ, Projekce obyvatelstva ČR (varianta {VARIANTS[inputs.varianta]}), DataStat OBY02PT03/OBY02PKT03",
            f"věková struktura obcí k {czech_date(inputs.base_date)}{scaled}"]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
    return bool(found[0][0])


def _base_date(con: duckdb.DuckDBPyConnection, obce: int) -> pd.Timestamp:
    """The latest date whose age structure covers every obec: the shares must add up over all of ČR."""
    row = con.execute("""
        SELECT max(obdobi) FROM (
            SELECT obdobi FROM populace_vek GROUP BY obdobi HAVING count(DISTINCT obec_kod) = ?
        )
    """, [obce]).fetchall()[0][0]
    if row is None:
        raise SprssError("Ve skladu není věková struktura všech obcí k jednomu datu (projekce ji potřebuje pro celou ČR); "
                         "importujte Věkové složení obyvatelstva obcí ČSÚ (soubory do 999 i nad 1000 obyvatel).")
    return pd.Timestamp(row)


def _scaled(con: duckdb.DuckDBPyConnection, base: method.Base,
            base_date: pd.Timestamp) -> tuple[method.Base, pd.Timestamp | None]:
    """The base scaled, obec by obec, to the latest total population held for every obec after the age structure.

    Age tables are published less often than totals; the totals carry the 2021 census revision (−13 % in ORP
    Bílina) and later migration. The back-cast (README) halves the error of ORP totals with this step.
    """
    latest = con.execute("""
        SELECT max(obdobi) FROM (
            SELECT obdobi FROM obec_pocty WHERE obyvatel_celkem IS NOT NULL AND obdobi > ?
            GROUP BY obdobi HAVING count(*) = ?
        )
    """, [base_date, len(base.obce)]).fetchall()[0][0]
    if latest is None:
        return base, None
    totals = con.execute("SELECT obec_kod, obyvatel_celkem FROM obec_pocty WHERE obdobi = ?", [latest]).df()
    target = totals.set_index("obec_kod")["obyvatel_celkem"].reindex(list(base.obce)).to_numpy(float)
    now = np.sum(list(base.counts.values()), axis=0).sum(axis=1)
    factor = np.divide(target, now, out=np.ones_like(now), where=now > 0)
    counts = {sex: matrix * factor[:, None] for sex, matrix in base.counts.items()}
    return method.Base(base.year, base.obce, base.sexes, counts, base.top), pd.Timestamp(latest)


def _check_coverage(inputs: Inputs) -> None:
    """A warehouse of a few obce (a test territory) would get the whole of ČR's projection."""
    base_total = sum(c.sum() for c in inputs.base.counts.values())
    first = inputs.control.years[0]
    national = sum(inputs.control.of(method.NATIONAL, s, int(first)).sum()  # type: ignore[union-attr]
                   for s in inputs.control.sexes())
    low, high = method.BASE_COVERAGE
    if not low <= base_total / national <= high:
        raise SprssError(f"Věková struktura obcí ve skladu ({czech_number(base_total, 0)} obyvatel k "
                         f"{czech_date(inputs.base_date)}) nepokrývá ČR z projekce ({czech_number(national, 0)} v roce "
                         f"{int(first)}); importujte věkové složení všech obcí ČR.")
