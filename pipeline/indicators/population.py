"""Population counts of areas that charts need beyond the indicators (the age pyramid)."""
from pathlib import Path

import pandas as pd

from pipeline.core.territory import Area, membership

PYRAMID_SQL = Path(__file__).with_name("sql") / "pyramida.sql"


def age_pyramid(con, areas: list[Area]) -> pd.DataFrame:
    """Columns uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, pohlavi (muzi|zeny), vek_od, vek_do (NaN = 85+), pocet."""
    members = membership(areas)
    con.register("clenstvi", members)
    try:
        counts = con.execute(PYRAMID_SQL.read_text()).df()
    finally:
        con.unregister("clenstvi")
    labels = members.drop_duplicates("uzemi_poradi").drop(columns="obec_kod")
    result = counts.merge(labels, on="uzemi_poradi").sort_values(["uzemi_poradi", "obdobi", "pohlavi", "vek_od"])
    result["obdobi"] = pd.to_datetime(result["obdobi"]).dt.strftime("%Y-%m-%d")
    return result[["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "pohlavi", "vek_od", "vek_do", "pocet"]].reset_index(drop=True)
