"""Label-only DataStat CSVs become coded values once every file is loaded, because their codes come from another
file: the selection's schema (schemas.zip or a single schema), which may be imported before or after the CSV.

A selection that a coded file (JSON-stat, CSV with kodCiselniku=true) already holds is not taken from labels again.
A CSV without its schema, or with a label the schema cannot place, stops the build with one Czech line naming the
file (and the row), so nothing of the import is kept.
"""
import duckdb

from pipeline.core.errors import FormatError, SprssError
from pipeline.sources import csu_datastat

# every DataStat table a file loads: a newer file of a selection replaces the older one (snapshots load in date order)
TABLES = ("datastat_hodnoty", "datastat_polozky", "datastat_schemata", "datastat_dimenze", "datastat_vybery",
          "datastat_popisky")


def resolve(con: duckdb.DuckDBPyConnection) -> None:
    pending = [row for row in con.execute(
        "SELECT DISTINCT vyber, soubor FROM datastat_popisky "
        "WHERE vyber NOT IN (SELECT DISTINCT vyber FROM datastat_hodnoty) ORDER BY vyber").fetchall()]
    for vyber, soubor in pending:
        dimenze = con.execute("SELECT * FROM datastat_dimenze WHERE vyber = ? ORDER BY poradi", [vyber]).df()
        if dimenze.empty:
            raise SprssError(
                f"Soubor {soubor}: výběr {vyber} má jen popisky bez kódů; nejdřív importujte jeho schéma "
                f"({vyber}_schema.json, např. v archivu schemas.zip) nebo stáhněte výběr s kódy "
                f"(sprss fetch {csu_datastat.META.id}:{vyber}).")
        schemata = con.execute("SELECT * FROM datastat_schemata WHERE vyber = ?", [vyber]).df()
        label = con.execute("SELECT max(nazev) FROM datastat_vybery WHERE vyber = ?", [vyber]).fetchall()[0][0]
        popisky = con.execute("SELECT * FROM datastat_popisky WHERE vyber = ? ORDER BY radek, poradi", [vyber]).df()
        try:
            tables = csu_datastat.resolve_labels(popisky, dimenze, schemata, label)
        except FormatError as exc:
            raise exc.in_file(soubor) from exc
        for table, frame in tables.items():
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
