"""Municipal spending on social services (MF Monitor, FIN 2-12 M) for any set of areas, as tidy tables.

What counts as 'výdaje na sociální oblast' is stated once in indicators.yaml (pravidlo_socialni_oblast) and applied
by the warehouse models financovani_obec_rok / financovani_obec_paragraf; here the obce of each area that have data
for a year are summed (sql/financovani_uzemi.sql) and divided by the indicators' rules. Every row says how many
obce of the area have data, so that no chapter can present a sum over some obce as the whole area.
"""
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core.territory import Area, membership
from pipeline.indicators.metadata import financing, paragraph_names

AREA_SQL = Path(__file__).with_name("sql") / "financovani_uzemi.sql"
OUTPUT_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "hodnota", "jednotka",
                  "obci_s_udaji", "obci_celkem"]
AREA_COLUMNS = ["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev"]


def compute(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Tidy table (OUTPUT_COLUMNS; obdobi = the budget year 'RRRR') for every area and year in which at least one
    of its obce has data; areas keep the order given."""
    indicators = financing()
    con.register("clenstvi", membership(areas))
    try:
        values = ",\n".join(f"{i.sql()} AS {i.kod}" for i in indicators)
        wide = con.execute(f"""
            WITH uzemi AS ({AREA_SQL.read_text()})
            SELECT {', '.join(AREA_COLUMNS)}, rok, obci_s_udaji, obci_celkem, {values}
            FROM uzemi
        """).df()
    finally:
        con.unregister("clenstvi")
    order = {i.kod: n for n, i in enumerate(indicators)}
    tidy = wide.melt(id_vars=[*AREA_COLUMNS, "rok", "obci_s_udaji", "obci_celkem"], var_name="ukazatel",
                     value_name="hodnota").dropna(subset=["hodnota"])
    tidy["jednotka"] = tidy["ukazatel"].map({i.kod: i.jednotka for i in indicators})
    tidy["_order"] = tidy["ukazatel"].map(order)
    tidy = tidy.sort_values(["uzemi_poradi", "_order", "rok"], kind="stable")
    tidy["obdobi"] = tidy["rok"].astype(int).astype(str)
    tidy["hodnota"] = tidy["hodnota"].astype(float)
    tidy[["obci_s_udaji", "obci_celkem"]] = tidy[["obci_s_udaji", "obci_celkem"]].astype(int)
    return tidy[OUTPUT_COLUMNS].reset_index(drop=True)


def paragraphs(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Social spending by paragraph 43xx: uzemi_typ, uzemi_kod, uzemi_nazev, obdobi, paragraf, paragraf_nazev,
    schvaleny_rozpocet, upraveny_rozpocet, skutecnost, obci_s_udaji (obce of the area with data that year)."""
    members = membership(areas)
    con.register("clenstvi", members)
    try:
        frame = con.execute("""
            WITH s AS (
                SELECT c.uzemi_poradi, p.rok, p.paragraf, min(p.paragraf_nazev) AS nazev_v_souboru,
                    sum(p.schvaleny_rozpocet) AS schvaleny_rozpocet, sum(p.upraveny_rozpocet) AS upraveny_rozpocet,
                    sum(p.skutecnost) AS skutecnost
                FROM clenstvi AS c JOIN financovani_obec_paragraf AS p USING (obec_kod)
                GROUP BY ALL
            ), n AS (
                SELECT c.uzemi_poradi, f.rok, count(*) AS obci_s_udaji
                FROM clenstvi AS c JOIN financovani_obec_rok AS f USING (obec_kod)
                GROUP BY ALL
            )
            SELECT * FROM s JOIN n USING (uzemi_poradi, rok) ORDER BY uzemi_poradi, rok, paragraf
        """).df()
    finally:
        con.unregister("clenstvi")
    labels = members.drop_duplicates("uzemi_poradi")[AREA_COLUMNS]
    frame = frame.merge(labels, on="uzemi_poradi", how="left")
    names = paragraph_names()
    frame["paragraf_nazev"] = [names.get(p) or (n if isinstance(n, str) else None)
                               for p, n in zip(frame["paragraf"], frame["nazev_v_souboru"], strict=True)]
    frame["obdobi"] = frame["rok"].astype(int).astype(str)
    frame["obci_s_udaji"] = frame["obci_s_udaji"].astype(int)
    return frame[["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "paragraf", "paragraf_nazev",
                  "schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost", "obci_s_udaji"]].reset_index(drop=True)


def unplaced(con: duckdb.DuckDBPyConnection) -> list[str]:
    """IČO with budget rows that no placement names: their spending counts in no area."""
    return [ico for (ico,) in con.execute(
        "SELECT DISTINCT ico FROM financovani_rozpocet ANTI JOIN financovani_prirazeni USING (ico) ORDER BY 1").fetchall()]
