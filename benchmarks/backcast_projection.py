"""Back-cast of the projection method: from the age structure of 31. 12. 2020 to the known population of 31. 12. 2024.

Run: `.venv/bin/python benchmarks/backcast_projection.py DATA_DIR` on a warehouse holding the real territory, the 2020
age tables, the DataStat projection (OBY02PT03, OBY02PKT03, schemas.zip) and the known 2024 figures: OBY02DT01
(ČR and kraje by 5-year age group, 31. 12. 2024) and RSO02A01ORPT1 (population of the 205 ORP outside Praha, 2024).
The projection of 1. 1. 2025 is compared with them: per kraj for 65+ and 80+, per ORP for the total. Two errors:
`raw` against the known figure, and `distribution` after scaling to the known ČR figure of the same age group, which
removes the error of ČSÚ's national projection and leaves the error of sprss's split among areas.
The shared files hold no second age structure of obce, so 65+ and 80+ per ORP cannot be back-cast here.
"""
from pathlib import Path
import sys

import pandas as pd

from pipeline.core import territory
from pipeline.core.config import data_dir
from pipeline.indicators import projekce
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

YEAR = 2025  # 1. 1. 2025 = 31. 12. 2024


def known_kraje(con) -> pd.DataFrame:
    """Known 65+ and 80+ of ČR and the kraje on 31. 12. 2024 (OBY02DT01, both sexes)."""
    return con.execute("""
        WITH v AS (
            SELECT u.kod AS uzemi_kod, CAST(substr(a.kod, 3, 4) AS INTEGER) AS vek_od, h.hodnota
            FROM datastat_hodnoty AS h
            JOIN datastat_polozky AS u ON u.vyber = h.vyber AND u.radek = h.radek AND u.dimenze ILIKE 'uz%'
            JOIN datastat_polozky AS s ON s.vyber = h.vyber AND s.radek = h.radek AND s.dimenze ILIKE 'pohl%'
            JOIN datastat_polozky AS a ON a.vyber = h.vyber AND a.radek = h.radek AND a.dimenze ILIKE 'vek%'
            WHERE h.vyber = 'OBY02DT01' AND s.kod IS NULL AND a.kod IS NOT NULL
        )
        SELECT uzemi_kod, sum(hodnota) FILTER (vek_od >= 65) AS plus_65, sum(hodnota) FILTER (vek_od >= 80) AS plus_80
        FROM v GROUP BY uzemi_kod ORDER BY uzemi_kod
    """).df()


def known_orp(con) -> pd.DataFrame:
    return con.execute("""
        SELECT u.kod AS orp_kod, h.hodnota AS celkem
        FROM datastat_hodnoty AS h
        JOIN datastat_polozky AS u ON u.vyber = h.vyber AND u.radek = h.radek AND u.dimenze ILIKE 'uz%'
        JOIN datastat_polozky AS g ON g.vyber = h.vyber AND g.radek = h.radek AND g.dimenze ILIKE 'vel%'
        WHERE h.vyber = 'RSO02A01ORPT1' AND g.kod IS NULL
    """).df()


def errors(projected: pd.Series, known: pd.Series, national_projected: float, national_known: float) -> pd.DataFrame:
    raw = projected / known - 1
    distribution = projected * (national_known / national_projected) / known - 1
    return pd.DataFrame({"raw": raw, "distribution": distribution})


def summary(name: str, table: pd.DataFrame) -> str:
    def line(column: str) -> str:
        values = table[column].abs() * 100
        return f"mean |error| {values.mean():.2f} %, max {values.max():.2f} %"
    return f"{name}: raw {line('raw')}; distribution {line('distribution')}"


def main() -> None:
    with warehouse.connect(data_dir(sys.argv[1] if len(sys.argv) > 1 else Path("data"))) as con:
        obce = load_obce(con)
        inputs = projekce.load(con)
        kraje_known = known_kraje(con).set_index("uzemi_kod")
        orp_known = known_orp(con).set_index("orp_kod")
    nuts = obce.drop_duplicates("kraj_kod").set_index("kraj_nuts_kod")["kraj_kod"]
    kraje = [territory.resolve(f"kraj:{nuts[k]}", obce).area for k in kraje_known.index if k != "CZ"]
    cr = territory.resolve("stat:CZ", obce).area
    counts = projekce.project(inputs, [cr, *kraje], [YEAR])[:, 0, :]
    for label, start in (("65+", 65), ("80+", 80)):
        column = "plus_" + label[:2]
        projected = pd.Series(counts[1:, start:].sum(axis=1), index=[k for k in kraje_known.index if k != "CZ"])
        table = errors(projected, kraje_known.loc[projected.index, column], counts[0, start:].sum(),
                       kraje_known.loc["CZ", column])
        print(summary(f"kraje {label} (14; Praha is its own ČSÚ projection)", table))
        print((table * 100).round(2).to_string())
    areas = [territory.Area("orp", kod, group["orp_nazev"].iloc[0], tuple(group["obec_kod"]))
             for kod, group in obce.groupby("orp_kod") if kod in orp_known.index]
    projected = pd.Series(projekce.project(inputs, areas, [YEAR])[:, 0, :].sum(axis=1), index=[a.kod for a in areas])
    known = orp_known.loc[projected.index, "celkem"]
    table = errors(projected, known, float(projected.sum()), float(known.sum()))
    print(summary(f"ORP total ({len(areas)} outside Praha; distribution scaled to their known sum)", table))
    worst = table.assign(abs_raw=table["raw"].abs()).sort_values("abs_raw", ascending=False).head(5)
    print((worst[["raw", "distribution"]] * 100).round(2).to_string())
    scaled = f", scaled to the obec totals of {inputs.scaled_to:%Y-%m-%d}" if inputs.scaled_to is not None else ""
    print(f"base: age structure of {inputs.base_date:%Y-%m-%d}{scaled}; ČR 65+ projected for 1. 1. {YEAR}: "
          f"{counts[0, 65:].sum():,.0f}, known 31. 12. 2024: {kraje_known.loc['CZ', 'plus_65']:,.0f}")

if __name__ == "__main__":
    main()
