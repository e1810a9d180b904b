"""Which registered services are in provision on a date, and where (the rule is in sql/sluzby_aktivni.sql).

The warehouse may hold several editions of the registry. A date is answered from the latest edition on or
before it — what the registry said that day, with that day's capacities, which the registry does not date —
and a date before every loaded edition from the earliest one.
"""
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core.errors import SprssError

ACTIVE_SQL = Path(__file__).parents[1] / "sql" / "sluzby_aktivni.sql"


def active_sql() -> str:
    """The query of active facilities, to be used as the CTE `aktivni_zarizeni` (parameters $stav_k, $datum)."""
    return ACTIVE_SQL.read_text(encoding="utf-8")


def edition(con: duckdb.DuckDBPyConnection, on_date: date) -> date:
    latest_before, earliest = con.execute(
        "SELECT max(stav_k) FILTER (WHERE stav_k <= $datum), min(stav_k) FROM sluzby", {"datum": on_date}).fetchall()[0]
    if earliest is None:
        raise SprssError("Ve skladu dat není registr poskytovatelů sociálních služeb MPSV; importujte soubor rpss.json "
                         "(sprss import rpss.json nebo sprss fetch mpsv_rpss).")
    return latest_before or earliest


def editions(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Reference dates of every registry edition in the warehouse, oldest first."""
    return [day for (day,) in con.execute("SELECT DISTINCT stav_k FROM sluzby ORDER BY stav_k").fetchall()]


def facilities(con: duckdb.DuckDBPyConnection, stav_k: date, on_date: date) -> pd.DataFrame:
    """Active facilities of services in provision on `on_date`, one row per service × facility."""
    return con.execute(active_sql(), {"stav_k": stav_k, "datum": on_date}).df()


def unlocated(con: duckdb.DuckDBPyConnection, stav_k: date, on_date: date) -> pd.DataFrame:
    """Active facilities that belong to no area: without obec, or with an obec code the territory does not know."""
    return con.execute(f"""
        WITH aktivni_zarizeni AS ({active_sql()})
        SELECT a.identifikator, a.druh_kod, a.zarizeni_nazev, a.obec_kod,
               CASE WHEN a.obec_kod IS NULL THEN 'bez obce' ELSE 'neznámý kód obce ' || a.obec_kod END AS duvod
        FROM aktivni_zarizeni AS a
        ANTI JOIN obce AS o USING (obec_kod)
        ORDER BY a.identifikator, a.poradi
    """, {"stav_k": stav_k, "datum": on_date}).df()
