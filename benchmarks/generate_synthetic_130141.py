"""Write a SYNTHETIC ČSÚ open-data file 130141 "Pohyb obyvatel" of realistic size for the country benchmark.

Run: `.venv/bin/python benchmarks/generate_synthetic_130141.py OUT.csv [REAL_DATA_DIR]`.
The layout is that of ../shared/data/real/csu/vaclavstibor-NDBI046/130141-22schema2021.json (every level in one
file: 6,258 obce, 206 SO ORP, 77 okresů, 14 krajů, ČR) for the years 2015–2019. The stocks are the real publications
k 1. 1. (an area's are the sums of its obce, as in today's territory); births, deaths and migration are made up so
that every year balances. Nothing here is real movement data.
"""
import csv
from pathlib import Path
import random
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.sources import csu_pocet_obyvatel, csu_struktura_uzemi  # noqa: E402

YEARS = range(2015, 2020)
LEVELS = [("43", "obec_kod", "obec_nazev"), ("65", "orp_kod", "orp_nazev"), ("101", "okres_kod", "okres_nazev"),
          ("100", "kraj_kod", "kraj_nazev")]


def main(out: Path, real: Path) -> None:
    rng = random.Random(130141)
    obce = csu_struktura_uzemi.parse((real / "geo/Olbrasoft-cr/struktura_uzemi_cr_2025.csv").read_bytes()).tables["obce"]
    stocks = {}
    for year in [*YEARS, YEARS[-1] + 1]:
        path = real / f"csu/svarnyjunak-obyvateleceska/population_{year}.xlsx"
        table = csu_pocet_obyvatel.parse(path.read_bytes(), path.name).tables["populace_celkem"]
        stocks[year] = table[table.pohlavi == "celkem"].set_index("obec_kod")["pocet"]
    units = []
    for cis, code, name in LEVELS:
        for (kod, nazev), members in obce.groupby([code, name])["obec_kod"]:
            units.append((cis, kod, nazev, list(members)))
    units.append(("97", "19", "Česká republika", None))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["idhod", "hodnota", "vuk", "vuk_txt", "stapro_kod", "vuzemi_cis", "vuzemi_kod", "rok",
                         "casref_od", "casref_do", "vuzemi_txt"])
        n = 0
        for cis, kod, nazev, members in units:
            for year in YEARS:
                def total(y: int) -> int:
                    s = stocks[y]
                    return int(s.sum() if members is None else s.reindex(members).fillna(0).sum())
                start, end = total(year), total(year + 1)
                births, deaths = round(start * rng.uniform(0.008, 0.012)), round(start * rng.uniform(0.009, 0.012))
                immigrants = round(start * rng.uniform(0.01, 0.04))
                emigrants = births - deaths + immigrants - (end - start)
                if emigrants < 0:
                    immigrants, emigrants = immigrants - emigrants, 0
                whole = (f"{year}-01-01", f"{year}-12-31")
                for stapro, value, (od, do) in (("2406", start, (f"{year}-01-01",) * 2),
                                                ("9379", round((start + end) / 2), whole), ("5389", births, whole),
                                                ("5393", deaths, whole), ("5403", immigrants, whole),
                                                ("5404", emigrants, whole), ("2406", end, (f"{year}-12-31",) * 2)):
                    n += 1
                    writer.writerow([f"{800000000 + n}", value, "DEM", "synteticky", stapro, cis, kod, year, od, do, nazev])


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):  # '--help' once became a 230,000-line file of that name
        sys.exit(__doc__.split("\n\n")[0] + "\n\nPoužití: generate_synthetic_130141.py VÝSTUP.csv [ADRESÁŘ_SKUTEČNÝCH_DAT]")
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else
         Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
