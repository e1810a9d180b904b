"""Whole-country benchmark: import every population file, build the warehouse, compute every indicator.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_country.py [REAL_DATA_DIR]`).
Each phase runs in its own process so that its peak memory (ru_maxrss) is its own. The files: the territory, the
14 publications 2010–2023 in ../shared, the 2020 age tables and five years of 130141 for every level (no real file
is in ../shared: benchmarks/generate_synthetic_130141.py writes one of the real size from the publications).
"""
from collections.abc import Callable
from pathlib import Path
import resource
import sys
import tempfile
import time

from common import in_own_process, peak_mb

REAL = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
MOVEMENT = Path(tempfile.gettempdir()) / "sprss_bench_synthetic_130141.csv"
FILES = [REAL / "geo/Olbrasoft-cr/struktura_uzemi_cr_2025.csv",
         *(REAL / f"csu/svarnyjunak-obyvateleceska/population_{year}.xlsx" for year in range(2010, 2024)),
         *sorted((REAL / "csu/DataRozhlas-covid-obce-mapa").glob("2020_vek_*.xlsx")),
         MOVEMENT]


def parse_all(_: str) -> tuple[float, float, int]:
    from pipeline.raw import snapshots as raw
    start = time.perf_counter()
    rows = sum(len(t) for f in FILES for t in raw.stage(f).parsed.tables.values())
    return time.perf_counter() - start, peak_mb(), rows


def import_and_build(root: str) -> tuple[float, float, int]:
    from pipeline.core.config import data_dir
    from pipeline.raw import snapshots as raw
    from pipeline.warehouse import build as warehouse
    data = data_dir(root)
    start = time.perf_counter()
    snapshots = [raw.stage(f) for f in FILES]
    counts = warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return time.perf_counter() - start, peak_mb(), counts["populace_vek"]


def rebuild(root: str) -> tuple[float, float, int]:
    from pipeline.core.config import data_dir
    from pipeline.warehouse import build as warehouse
    start = time.perf_counter()
    counts = warehouse.build(data_dir(root))
    return time.perf_counter() - start, peak_mb(), counts["obec_pocty"]


def all_indicators(root: str) -> tuple[float, float, int]:
    from pipeline.core import territory
    from pipeline.core.config import data_dir
    from pipeline.indicators import demografie as indicators
    from pipeline.indicators import pohyb
    from pipeline.warehouse import build as warehouse
    from pipeline.warehouse.obce import load_obce
    start = time.perf_counter()
    with warehouse.connect(data_dir(root)) as con:
        obce = load_obce(con)
        areas = []
        for level in ("obec", "orp", "okres", "kraj", "stat"):
            code, name = territory.LEVELS[level]
            for (kod, nazev), members in obce.groupby([code, name], sort=True)["obec_kod"]:
                areas.append(territory.Area(level, kod, nazev, tuple(members)))
        table = indicators.compute(con, areas)
        movement = pohyb.compute(con, areas)
    print(f"    ukazatele pohybu: {len(movement):,} řádků")
    counts = table.drop_duplicates(["uzemi_typ", "uzemi_kod"])["uzemi_typ"].value_counts().to_dict()
    print(f"    území: {counts}")
    return time.perf_counter() - start, peak_mb(), len(table)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(phase: Callable[[str], tuple[float, float, int]], root: str) -> tuple[float, float, int, float]:
    """The phase's wall time, peak memory and rows, plus the CPU time of its process: on a machine shared with
    other jobs the wall time grows with the load, the CPU time much less."""
    before = _cpu_seconds()
    seconds, peak, rows = phase(root)
    return seconds, peak, rows, _cpu_seconds() - before


def main() -> None:
    if not MOVEMENT.exists():
        from generate_synthetic_130141 import main as generate
        generate(MOVEMENT, REAL)
    with tempfile.TemporaryDirectory() as root:
        for label, phase in [("parse all files (no write)", parse_all),
                             ("import all files + build warehouse", import_and_build),
                             ("rebuild warehouse from data/raw", rebuild),
                             ("indicators: 6,258 obce + 206 ORP + 77 okresů + 14 krajů + ČR", all_indicators)]:
            seconds, peak, rows, cpu = in_own_process(measured, phase, root)
            print(f"{label:<62} {seconds:6.2f} s  cpu {cpu:6.2f} s  peak {peak:6.0f} MB  rows {rows:,}")


if __name__ == "__main__":
    main()
