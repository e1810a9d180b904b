"""Projection benchmark: all 206 ORP of ČR to 2040 from a warehouse with the real age tables and ČSÚ projection.

Run: `.venv/bin/python benchmarks/bench_projection.py [DATA_DIR]`. Without DATA_DIR it imports, once, the real
territory, the 2020 age tables and the DataStat projection (OBY02PT03, OBY02PKT03 + schemas.zip) from ../shared
into benchmarks/.projection-data (not timed). Timed: reading the inputs (age structure of every obec, the
projection) and projecting the 206 ORP, the kraje and ČR, then the tidy table. Target: ≤ 3 s on 2 cores.
"""
from pathlib import Path
import subprocess
import sys
import time

from common import peak_mb

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
INPUTS = [REAL / "geo/Olbrasoft-cr/struktura_uzemi_cr_2025.csv",
          REAL / "csu/DataRozhlas-covid-obce-mapa/2020_vek_do_999.xlsx",
          REAL / "csu/DataRozhlas-covid-obce-mapa/2020_vek_nad_1000.xlsx",
          REAL / "csu/michaelmiscanuk-czsu-multi-agent-text-to-sql/schemas.zip",
          REAL / "csu/michaelmiscanuk-czsu-multi-agent-text-to-sql/CSVs/OBY02PT03.csv",
          REAL / "csu/michaelmiscanuk-czsu-multi-agent-text-to-sql/CSVs/OBY02PKT03.csv"]


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name(".projection-data")
    if not (root / "processed" / "sprss.duckdb").exists():
        sprss = Path(sys.executable).with_name("sprss")
        subprocess.run([str(sprss), "--data-dir", str(root), "import", *map(str, INPUTS)], check=True)
    start = time.perf_counter()
    from pipeline.core import territory
    from pipeline.core.config import data_dir
    from pipeline.indicators import projekce
    from pipeline.warehouse import build as warehouse
    from pipeline.warehouse.obce import load_obce
    imported = time.perf_counter()
    with warehouse.connect(data_dir(root)) as con:
        obce = load_obce(con)
        inputs = projekce.load(con)
    loaded = time.perf_counter()
    areas = [territory.Area("orp", kod, group["orp_nazev"].iloc[0], tuple(group["obec_kod"]))
             for kod, group in obce.groupby("orp_kod")]
    table = projekce.compute(inputs, areas, 2040)
    done = time.perf_counter()
    peak = peak_mb()
    print(f"{len(areas)} ORP, {len(table)} rows to 2040: import of modules {imported - start:.2f} s, "
          f"inputs {loaded - imported:.2f} s, projection + tidy table {done - loaded:.2f} s, "
          f"total {done - start:.2f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
