"""The obce of the warehouse: the rows every territory selector resolves against (core.territory stays pure)."""
import duckdb
import pandas as pd

from pipeline.core.errors import SprssError


def load_obce(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Table `obce`, the rows every territory selector resolves against."""
    obce = con.execute("SELECT * FROM obce ORDER BY obec_kod").df()
    if obce.empty:
        raise SprssError("Ve skladu dat nejsou obce; importujte Strukturu území ČR nebo číselníky obcí ČSÚ.")
    return obce
