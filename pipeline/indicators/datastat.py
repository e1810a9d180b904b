"""DataStat selections as tidy frames: the one way indicators read `datastat_hodnoty` and `datastat_polozky`.

`values(con, "NEZ01T1", {"UZ023H2U": "uzemi"})` gives one row per value with, for every dimension, its code
(`uzemi_kod`) and label (`uzemi`), then `ukazatel_kod`, `ukazatel`, `obdobi`, `obdobi_od`, `obdobi_do`, `jednotka`
and `hodnota`. A total over a dimension has the code NULL (label "Celkem"): filter it out before summing parts, or
take it instead of them. Territory codes are text as DataStat writes them: ČR `CZ`, kraje NUTS `CZ0xx`, okresy
`CZ0xxx`, SO ORP 4 digits, obce 6 digits.
"""
from collections.abc import Mapping, Sequence

import duckdb
import pandas as pd

from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, membership

VALUE_COLUMNS = ["ukazatel_kod", "ukazatel", "obdobi", "obdobi_od", "obdobi_do", "jednotka", "hodnota"]


def population_series(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Population k 1. 1. of every area in both series (model populace_rady): uzemi_typ, uzemi_kod, uzemi_nazev,
    rada, obdobi, pocet. Each series is summed on its own — never one series' obce with the other's — and a sum is
    kept only where every obec of the area has the figure (else pocet is missing), as for every indicator."""
    con.register("clenstvi", membership(areas))
    try:
        frame = con.execute("""
            WITH dates AS (SELECT DISTINCT rada, obdobi FROM populace_rady)
            SELECT c.uzemi_poradi, c.uzemi_typ, c.uzemi_kod, c.uzemi_nazev, d.rada, d.obdobi,
                   CASE WHEN count(p.pocet) = count(*) THEN sum(p.pocet) END AS pocet
            FROM clenstvi AS c CROSS JOIN dates AS d
            LEFT JOIN populace_rady AS p ON p.obec_kod = c.obec_kod AND p.rada = d.rada AND p.obdobi = d.obdobi
            GROUP BY ALL ORDER BY c.uzemi_poradi, d.rada, d.obdobi""").df()
    finally:
        con.unregister("clenstvi")
    frame["obdobi"] = pd.to_datetime(frame["obdobi"]).dt.strftime("%Y-%m-%d")
    return frame.drop(columns="uzemi_poradi").reset_index(drop=True)


def selections(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The imported selections: vyber, nazev (title where known), format and the number of values."""
    return con.execute("""
        SELECT h.vyber, any_value(v.nazev) AS nazev, string_agg(DISTINCT v.format, ', ') AS format,
               count(DISTINCT h.radek) AS hodnot
        FROM datastat_hodnoty AS h LEFT JOIN datastat_vybery AS v USING (vyber)
        GROUP BY h.vyber ORDER BY h.vyber""").df()


def dimensions(con: duckdb.DuckDBPyConnection, vyber: str) -> pd.DataFrame:
    """The breakdown dimensions of a selection's values (not indicator and time): dimenze, popisek, role."""
    return con.execute("""
        SELECT p.dimenze, any_value(d.popisek) AS popisek, any_value(d.role) AS role, min(d.poradi) AS poradi
        FROM (SELECT DISTINCT vyber, dimenze FROM datastat_polozky WHERE vyber = ?) AS p
        LEFT JOIN datastat_dimenze AS d USING (vyber, dimenze)
        GROUP BY p.dimenze ORDER BY poradi NULLS LAST, p.dimenze""", [vyber]).df()


def territory_dimension(con: duckdb.DuckDBPyConnection, vyber: str) -> str:
    """The territory (role geo) dimension of a selection; a coded CSV states no roles, so its `Uz…` dimension."""
    found = dimensions(con, vyber)
    geo = found[found["role"] == "geo"]["dimenze"].tolist() or [d for d in found["dimenze"] if d.lower().startswith("uz")]
    if len(geo) != 1:
        raise SprssError(f"Výběr {vyber} nemá právě jednu územní dimenzi (nalezeno: {', '.join(geo) or 'žádná'}).")
    return str(geo[0])


def values(con: duckdb.DuckDBPyConnection, vyber: str,
           dimensions: Mapping[str, str] | Sequence[str] | None = None) -> pd.DataFrame:
    """One wide tidy frame of a selection: `<dim>_kod`, `<dim>` per dimension, then the VALUE_COLUMNS.

    `dimensions` names the columns: a mapping {dimension id: column name} (e.g. {"UZ023H2U": "uzemi"}) renames
    those dimensions and keeps the others under their id; a sequence keeps only the listed dimensions, which is
    right only where the others have one item each (a dimension left out with several items would repeat
    coordinates, so it is refused). None keeps all dimensions under their ids.
    """
    known = _dimension_ids(con, vyber)
    if not known and not _has_values(con, vyber):
        raise SprssError(f"Výběr DataStatu {vyber} není ve skladu dat; importujte ho (sprss import) nebo stáhněte "
                         f"(sprss fetch csu_datastat:{vyber}).")
    names = _names(vyber, known, dimensions)
    frame = con.execute(f"SELECT radek, {', '.join(VALUE_COLUMNS)} FROM datastat_hodnoty WHERE vyber = ? ORDER BY radek",
                        [vyber]).df()
    items = con.execute("SELECT radek, dimenze, kod, popisek FROM datastat_polozky WHERE vyber = ?", [vyber]).df()
    columns = []
    for dimension, name in names.items():
        part = items[items["dimenze"] == dimension].set_index("radek")
        frame[f"{name}_kod"] = frame["radek"].map(part["kod"])
        frame[name] = frame["radek"].map(part["popisek"])
        columns += [f"{name}_kod", name]
    dropped = [d for d in known if d not in names]
    for dimension in dropped:
        if items.loc[items["dimenze"] == dimension, "popisek"].nunique() > 1:
            raise SprssError(f"Dimenze {dimension} výběru {vyber} má více položek; bez ní by se hodnoty opakovaly "
                             f"pro tytéž souřadnice. Uveďte ji v dimensions.")
    frame = frame[columns + VALUE_COLUMNS]
    for column in ("obdobi_od", "obdobi_do"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame.reset_index(drop=True)


def _has_values(con: duckdb.DuckDBPyConnection, vyber: str) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM datastat_hodnoty WHERE vyber = ?)", [vyber]).fetchall()[0][0])


def _dimension_ids(con: duckdb.DuckDBPyConnection, vyber: str) -> list[str]:
    rows = con.execute("""
        SELECT p.dimenze FROM (SELECT DISTINCT vyber, dimenze FROM datastat_polozky WHERE vyber = ?) AS p
        LEFT JOIN datastat_dimenze AS d USING (vyber, dimenze) ORDER BY d.poradi NULLS LAST, p.dimenze""",
                       [vyber]).fetchall()
    return [name for (name,) in rows]


def _names(vyber: str, known: list[str], wanted: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    if wanted is None:
        return {d: d for d in known}
    asked = list(wanted) if isinstance(wanted, Mapping) else list(wanted)
    unknown = [d for d in asked if d not in known]
    if unknown:
        raise SprssError(f"Výběr {vyber} nemá dimenzi {', '.join(unknown)}; má {', '.join(known) or 'žádnou'}.")
    if isinstance(wanted, Mapping):
        renamed = {d: wanted.get(d, d) for d in known}
    else:
        renamed = {d: d for d in asked}
    clash = {n for n in renamed.values() if list(renamed.values()).count(n) > 1} | (set(renamed.values()) & set(VALUE_COLUMNS))
    if clash:
        raise SprssError(f"Názvy sloupců {', '.join(sorted(clash))} se opakují nebo kolidují se sloupci hodnot.")
    return renamed
