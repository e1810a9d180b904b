"""DataStat files whose codes come from another file — the selection's schema (schemas.zip or a single schema),
imported before or after them — get those codes once every file is loaded: label-only CSVs become coded values, and
the indicators of coded CSVs (which name them by label only) get their codes.

A selection that a coded file (JSON-stat, CSV with kodCiselniku=true) already holds is not taken from labels again.
A CSV without its schema, or with a label the schema cannot place, stops the build with one Czech line naming the
file (and the row), so nothing of the import is kept.
"""
import duckdb
import pandas as pd

from pipeline.core.errors import FormatError, SprssError
from pipeline.sources import csu_datastat

# A newer file of a selection replaces the older one's values (snapshots load in date order); a schema replaces
# only the dimensions it describes, so a schema imported after the data does not drop the data's other dimensions.
LATEST_EDITION_ONLY = {"datastat_hodnoty": ("vyber",), "datastat_polozky": ("vyber",), "datastat_popisky": ("vyber",),
                       "datastat_schemata": ("vyber", "dimenze"), "datastat_dimenze": ("vyber", "dimenze"),
                       "datastat_vybery": ("vyber", "format")}


def resolve(con: duckdb.DuckDBPyConnection) -> None:
    _label_csvs(con)
    _indicator_codes(con)


def _indicator_codes(con: duckdb.DuckDBPyConnection) -> None:
    """A coded CSV names its indicator by label only; the selection's schema, where imported, gives the code
    (only a label that the schema has once)."""
    con.execute(f"""
        UPDATE datastat_hodnoty AS h SET ukazatel_kod = s.kod
        FROM (SELECT vyber, popisek, any_value(kod) AS kod FROM datastat_schemata
              WHERE dimenze = '{csu_datastat.METRIC}' GROUP BY ALL HAVING count(*) = 1) AS s
        WHERE h.ukazatel_kod IS NULL AND s.vyber = h.vyber AND s.popisek = h.ukazatel""")


def _label_csvs(con: duckdb.DuckDBPyConnection) -> None:
    pending = "SELECT DISTINCT vyber FROM datastat_popisky WHERE vyber NOT IN (SELECT DISTINCT vyber FROM datastat_hodnoty)"
    files = dict(con.execute(f"SELECT vyber, any_value(soubor) FROM datastat_popisky WHERE vyber IN ({pending}) "
                             "GROUP BY vyber ORDER BY vyber").fetchall())
    if not files:
        return
    # everything the pending selections need, read at once (a query per selection costs more than the mapping)
    rows = con.execute(f"SELECT * FROM datastat_popisky WHERE vyber IN ({pending}) ORDER BY vyber, radek, poradi").df()
    dimensions = con.execute(f"SELECT * FROM datastat_dimenze WHERE vyber IN ({pending}) ORDER BY vyber, poradi").df()
    schemata = con.execute(f"SELECT * FROM datastat_schemata WHERE vyber IN ({pending})").df()
    titles = dict(con.execute(f"SELECT vyber, max(nazev) FROM datastat_vybery WHERE vyber IN ({pending}) "
                              "GROUP BY vyber").fetchall())
    resolved: dict[str, list[pd.DataFrame]] = {}
    for vyber, soubor in files.items():
        dimenze = dimensions[dimensions["vyber"] == vyber]
        if dimenze.empty:
            raise SprssError(
                f"Soubor {soubor}: výběr {vyber} má jen popisky bez kódů; nejdřív importujte jeho schéma "
                f"({vyber}_schema.json, např. v archivu schemas.zip) nebo stáhněte výběr s kódy "
                f"(sprss fetch {csu_datastat.META.id}:{vyber}).")
        try:
            tables = csu_datastat.resolve_labels(rows[rows["vyber"] == vyber], dimenze,
                                                 schemata[schemata["vyber"] == vyber], titles.get(vyber))
        except FormatError as exc:
            raise exc.in_file(soubor) from exc
        for table, frame in tables.items():
            resolved.setdefault(table, []).append(frame)
    for table, frames in resolved.items():
        con.register("incoming", pd.concat(frames, ignore_index=True))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
