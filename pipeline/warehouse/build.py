"""The DuckDB warehouse: rebuilt from data/raw into a temporary file and swapped in only when complete.

A build is one transaction on a fresh file: the tables of every domain (models/<domain>/schema.sql), the
territory files, the territory models, the other files, the other models in the order of their declared
dependencies, the surveys, and then every declared data test (declarations.py, data_tests.py). A failure leaves
the previous warehouse untouched.
"""
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
import json
import os
from pathlib import Path
import re
from typing import Any

import duckdb
import pandas as pd

from pipeline import sources
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.core.text import czech_date
from pipeline.raw import snapshots as raw
from pipeline.warehouse import data_tests, datastat, declarations, surveys

# Population files are checked on load, so that the error names the file: obce known (today's, or listed by a
# population publication older than the territory: obce since merged or abolished), no figures twice.
POPULATION_TABLES = {"populace_celkem": ["obec_kod", "obdobi", "pohlavi", "zdroj"],
                     "populace_vek": ["obec_kod", "obdobi", "pohlavi", "vek_od", "zdroj"]}
# Tables that hold one edition only: a newer snapshot (snapshots load in date order) replaces the older
# one — of the whole table, or of the rows with the same values of the given columns (boundaries per level,
# a DataStat selection).
LATEST_EDITION_ONLY: dict[str, tuple[str, ...]] = {"obce": (), "hranice": ("uroven",), "hranice_ruian": ("uroven",),
                                                   **datastat.LATEST_EDITION_ONLY}
DUPLICATE_KEY = re.compile(r'duplicate key "([^"]*)"')


def build(data: DataDir, new: Iterable[raw.Snapshot] = (),
          progress: Callable[[str], None] | None = None,
          before_swap: Callable[[], None] | None = None) -> dict[str, int]:
    """Rebuild the warehouse from data/raw plus `new` (not yet stored) snapshots; returns row counts.

    `before_swap` runs once the new warehouse is complete (the import stores its raw files there),
    so a file is kept only if it loads, and the warehouse is replaced only if the files were kept.
    """
    project = declarations.load()
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
            for schema in project.schemas:
                con.execute(schema.read_text(encoding="utf-8"))
            _check_declared(con, project)
            territory_modelled = False
            for snapshot in snapshots:
                if snapshot.source_id not in sources.TERRITORY_SOURCES:
                    if not territory_modelled:  # population is checked against obce: they must exist first
                        _run(con, project.territorial())
                        territory_modelled = True
                if progress:
                    progress(snapshot.name)
                _load(con, snapshot)
            datastat.resolve(con)  # label-only DataStat CSVs, now that every schema is loaded
            _run(con, ([] if territory_modelled else project.territorial()) + project.others())
            surveys.load(con, data)  # answers of data/raw/pruzkum/*, validated against the obce loaded above
            data_tests.run(con, project.tests)
            con.execute("COMMIT")
            counts = {t: _count(con, t)
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
            same = " AND ".join(f"i.{c} = {table}.{c}" for c in LATEST_EDITION_ONLY[table])
            con.execute(f"DELETE FROM {table}" + (f" WHERE EXISTS (SELECT 1 FROM incoming AS i WHERE {same})" if same else ""))
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        except duckdb.ConstraintException as exc:
            key = DUPLICATE_KEY.search(str(exc))
            raise SprssError(f"Soubor {snapshot.name}: řádky tabulky {table} se kryjí s jiným souborem téhož zdroje "
                             f"(klíč {key[1] if key else '?'} je tam dvakrát); pro jedno datum importujte jen jedno vydání."
                             ) from None
        con.unregister("incoming")
    provenance = pd.DataFrame([{key: json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
                                for key, value in snapshot.provenance.items()}])
    provenance["importovano"] = pd.to_datetime(provenance["importovano"], utc=True).dt.tz_localize(None)
    con.register("incoming", provenance)
    con.execute("INSERT INTO provenience BY NAME SELECT * FROM incoming")
    con.unregister("incoming")


def _check_declared(con: duckdb.DuckDBPyConnection, project: declarations.Project) -> None:
    """Every table of a schema.sql is declared in its domain's models.yaml, so none is left without its tests."""
    created = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    undeclared = sorted(created - set(project.tables))
    if undeclared:
        raise SprssError(f"Tabulky {', '.join(undeclared)} ze schema.sql nejsou deklarovány v žádném models.yaml.")


def _run(con: duckdb.DuckDBPyConnection, ordered: Sequence[declarations.Model]) -> None:
    for model in ordered:
        model.run(con)


def _first(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...] | None:
    """First row; the result is read to its end so the connection is free for the next statement."""
    rows = con.execute(sql).fetchall()
    return rows[0] if rows else None


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _check_codes(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, snapshot: raw.Snapshot) -> None:
    if _count(con, "obce") == 0:  # without a territory no code is known, not even as a historic obec
        raise SprssError(f"Soubor {snapshot.name}: chybí územní struktura; nejdřív importujte Strukturu území ČR "
                         "nebo číselníky obcí ČSÚ.")
    con.register("incoming", frame)
    unknown = [code for (code,) in con.execute(
        "SELECT DISTINCT obec_kod FROM incoming ANTI JOIN (SELECT obec_kod FROM obce UNION ALL "
        "SELECT obec_kod FROM obce_publikace WHERE obdobi < coalesce((SELECT max(platnost_od) FROM obce), DATE '9999-12-31')) "
        "USING (obec_kod) ORDER BY 1").fetchall()]
    con.unregister("incoming")
    if not unknown:
        return
    shown = ", ".join(unknown[:5]) + (f" a dalších {len(unknown) - 5}" if len(unknown) > 5 else "")
    raise SprssError(f"Soubor {snapshot.name}: neznámé kódy obcí {shown}; očekávány kódy obcí z územní struktury "
                     "nebo obcí, které uvádí publikace Počet obyvatel v obcích starší než územní struktura.")


def _check_overlap(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, snapshot: raw.Snapshot) -> None:
    """Two files with the same figures (e.g. one table imported under two dates) would double count."""
    keys = POPULATION_TABLES[table]
    con.register("incoming", frame)
    clash = _first(con, f"SELECT {', '.join(keys)} FROM incoming SEMI JOIN {table} USING ({', '.join(keys)}) LIMIT 1")
    con.unregister("incoming")
    if clash:
        raise SprssError(f"Soubor {snapshot.name}: obec {clash[0]} k {czech_date(clash[1])} už je v datech ze souboru "
                         f"{_files_of(con, snapshot.source_id, clash[1], snapshot)} téhož zdroje; jeden soubor je zřejmě "
                         "importován dvakrát.")
    if table in SAME_FIGURES_KEYS:
        _check_same_figures(con, table, frame, snapshot)


# Age tables carry no date of their own (--date or the file name gives it): the same table under another date would
# put every figure into two periods. Two real editions never agree in every count of every obec, sex and age band.
SAME_FIGURES_KEYS = {"populace_vek": ["obec_kod", "pohlavi", "vek_od", "pocet", "zdroj"]}


def _check_same_figures(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, snapshot: raw.Snapshot) -> None:
    keys = ", ".join(SAME_FIGURES_KEYS[table])
    con.register("incoming", frame)
    same = _first(con, f"SELECT e.obdobi, count(*) FROM incoming i JOIN {table} e USING ({keys}) "
                       "WHERE e.obdobi <> i.obdobi GROUP BY e.obdobi ORDER BY 2 DESC LIMIT 1")
    con.unregister("incoming")
    if same and same[1] == len(frame):
        raise SprssError(f"Soubory {snapshot.name} (k {czech_date(snapshot.parsed.reference_date)}) a "
                         f"{_files_of(con, snapshot.source_id, same[0], snapshot)} (k {czech_date(same[0])}) mají všechny "
                         f"počty ({len(frame)} řádků) shodné; táž tabulka by byla ve skladu pod dvěma daty. "
                         "Importujte ji jen jednou, se správným --date.")


def _files_of(con: duckdb.DuckDBPyConnection, source_id: str, on: Any, snapshot: raw.Snapshot) -> str:
    """The files of a source and date loaded before `snapshot` (a clash names both: either may be the new one)."""
    names = [name for (name,) in con.execute(
        "SELECT puvodni_nazev FROM provenience WHERE zdroj = ? AND referencni_datum = ? AND soubor <> ? ORDER BY 1",
        [source_id, on, snapshot.relative_path]).fetchall()]
    return ", ".join(names) or "dříve načteného"


@contextmanager
def connect(data: DataDir, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
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
