"""The DuckDB warehouse: rebuilt from data/raw into a temporary file and swapped in only when complete.

A build is one transaction on a fresh file; a failure leaves the previous warehouse untouched.
"""
from collections.abc import Callable, Iterable
from contextlib import contextmanager
import os
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import sources
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.core.text import czech_date
from pipeline.raw import snapshots as raw
from pipeline.raw.surveys import load_surveys

SQL_DIR = Path(__file__).parent / "sql"
POPULATION_TABLES = {"populace_celkem": ["obec_kod", "obdobi", "pohlavi", "zdroj"],
                     "populace_vek": ["obec_kod", "obdobi", "pohlavi", "vek_od", "zdroj"]}
AGE_BOUNDARIES = (15, 65, 80, 85)
# Tables that hold one edition only: a newer snapshot (snapshots load in date order) replaces the older
# one — of the whole table, or of the same value of the given column (boundaries per level).
LATEST_EDITION_ONLY = {"obce": None, "hranice": "uroven"}  # indicator age groups start here; no band may straddle them


def build(data: DataDir, new: Iterable[raw.Snapshot] = (),
          progress: Callable[[str], None] | None = None,
          before_swap: Callable[[], None] | None = None) -> dict[str, int]:
    """Rebuild the warehouse from data/raw plus `new` (not yet stored) snapshots; returns row counts.

    `before_swap` runs once the new warehouse is complete (the import stores its raw files there),
    so a file is kept only if it loads, and the warehouse is replaced only if the files were kept.
    """
    snapshots = raw.stored(data)
    known = {s.relative_path for s in snapshots}
    snapshots += [s for s in new if s.relative_path not in known]
    snapshots.sort(key=lambda s: (s.source_id not in sources.TERRITORY_SOURCES, s.relative_path))

    data.processed.mkdir(parents=True, exist_ok=True)
    temporary = data.warehouse.with_name(f".{data.warehouse.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(temporary))
        try:
            con.execute("BEGIN TRANSACTION")
            for schema in sorted(SQL_DIR.glob("schema*.sql")):  # schema.sql, then one file per later domain
                con.execute(schema.read_text())
            for snapshot in snapshots:
                if snapshot.source_id not in sources.TERRITORY_SOURCES:
                    _derive_territory(con)  # population is checked against obce: they must exist first
                if progress:
                    progress(snapshot.name)
                _load(con, snapshot)
            _derive_territory(con)
            _check_population(con)
            for model in sorted((SQL_DIR / "models").glob("*.sql")):
                con.execute(model.read_text())
            load_surveys(con, data)  # answers of data/raw/pruzkum/*, validated against the obce loaded above
            con.execute("COMMIT")
            counts = {t: _first(con, f"SELECT count(*) FROM {t}")[0]
                      for (t,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()}
        finally:
            con.close()
        if before_swap:
            before_swap()
        os.replace(temporary, data.warehouse)
    finally:
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)
    return counts


def _load(con: duckdb.DuckDBPyConnection, snapshot: raw.Snapshot) -> None:
    for table, frame in snapshot.parsed.tables.items():
        if table in POPULATION_TABLES:
            _check_codes(con, frame, snapshot)
            _check_overlap(con, table, frame, snapshot)
        con.register("incoming", frame)
        if table in LATEST_EDITION_ONLY:
            column = LATEST_EDITION_ONLY[table]
            con.execute(f"DELETE FROM {table}" + (f" WHERE {column} IN (SELECT {column} FROM incoming)" if column else ""))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    provenance = pd.DataFrame([snapshot.provenance])
    provenance["importovano"] = pd.to_datetime(provenance["importovano"], utc=True).dt.tz_localize(None)
    con.register("incoming", provenance)
    con.execute("INSERT INTO provenience BY NAME SELECT * FROM incoming")
    con.unregister("incoming")


def _first(con, sql: str) -> tuple | None:
    """First row; the result is read to its end so the connection is free for the next statement."""
    rows = con.execute(sql).fetchall()
    return rows[0] if rows else None


def _check_codes(con, frame: pd.DataFrame, snapshot: raw.Snapshot) -> None:
    con.register("incoming", frame)
    unknown = [code for (code,) in con.execute(
        "SELECT DISTINCT obec_kod FROM incoming ANTI JOIN obce USING (obec_kod) ORDER BY 1").fetchall()]
    con.unregister("incoming")
    if not unknown:
        return
    if _first(con, "SELECT count(*) FROM obce")[0] == 0:
        raise SprssError(f"Soubor {snapshot.name}: chybí územní struktura; nejdřív importujte Strukturu území ČR "
                         "nebo číselníky obcí ČSÚ.")
    shown = ", ".join(unknown[:5]) + (f" a dalších {len(unknown) - 5}" if len(unknown) > 5 else "")
    raise SprssError(f"Soubor {snapshot.name}: neznámé kódy obcí {shown}; očekávány kódy obcí z územní struktury.")


def _check_overlap(con, table: str, frame: pd.DataFrame, snapshot: raw.Snapshot) -> None:
    """Two files with the same figures (e.g. one table imported under two dates) would double count."""
    keys = POPULATION_TABLES[table]
    con.register("incoming", frame)
    clash = _first(con, f"SELECT {', '.join(keys)} FROM incoming SEMI JOIN {table} USING ({', '.join(keys)}) LIMIT 1")
    con.unregister("incoming")
    if clash:
        raise SprssError(f"Soubor {snapshot.name}: obec {clash[0]} k {czech_date(clash[1])} už je v datech z jiného souboru "
                         "téhož zdroje; jeden soubor je zřejmě importován dvakrát.")


def _derive_territory(con) -> None:
    """Without the Struktura území file, obce come from the ČSÚ code lists and link tables."""
    if _first(con, "SELECT count(*) FROM obce")[0]:
        return
    if _first(con, "SELECT count(*) FROM ciselnik_polozky WHERE kodcis = '43'")[0]:
        con.execute("INSERT INTO obce BY NAME " + (SQL_DIR / "obce_z_ciselniku.sql").read_text())


def _check_population(con) -> None:
    straddling = _first(con, f"""
        SELECT obec_kod, vek_od, vek_do FROM populace_vek
        WHERE list_has_any(range(vek_od + 1, coalesce(vek_do, vek_od) + 1), {list(AGE_BOUNDARIES)})
        LIMIT 1""")
    if straddling:
        raise SprssError(f"Věková skupina {straddling[1]}–{straddling[2]} (obec {straddling[0]}) přesahuje hranici "
                         f"skupin ukazatelů {AGE_BOUNDARIES}; očekávány jednoleté nebo pětileté skupiny.")


@contextmanager
def connect(data: DataDir, read_only: bool = True):
    if not data.warehouse.exists():
        raise SprssError(f"Sklad dat {data.warehouse} neexistuje; spusťte nejdřív sprss import nebo sprss build.")
    con = duckdb.connect(str(data.warehouse), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether an input table holds data (a chapter reading it is rendered by `sprss run` only then)."""
    return bool(con.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchall()[0][0])
