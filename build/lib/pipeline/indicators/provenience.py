"""The files the warehouse was built from (table `provenience`): what the numbers of a study rest on."""
import duckdb
import pandas as pd


def imported_files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every imported file with its source, original name, reference date and URL."""
    return con.execute("SELECT zdroj, puvodni_nazev, referencni_datum, url FROM provenience "
                       "ORDER BY zdroj, referencni_datum, puvodni_nazev").df()
