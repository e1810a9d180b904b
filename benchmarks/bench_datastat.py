"""DataStat benchmark: parse the real JSON-stat population, schemas.zip and the label CSVs; import them and build.

Run: `.venv/bin/python benchmarks/bench_datastat.py [REAL_DATA_DIR]`.
Each phase runs in its own process so that its peak memory (ru_maxrss) is its own.
"""
from pathlib import Path
import sys
import tempfile
import time

from common import in_own_process, peak_mb

REAL = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
SELECTIONS = REAL / "csu/michaelmiscanuk-czsu-multi-agent-text-to-sql"
POPULATION = REAL / "csu/waiff-sreality/csu_population.json"
FILES = [POPULATION, SELECTIONS / "schemas.zip", *sorted((SELECTIONS / "CSVs").glob("*.csv"))]


def parse(paths: list[Path]) -> tuple[float, float, int]:
    from pipeline.raw import snapshots as raw
    start = time.perf_counter()
    rows = sum(len(t) for f in paths for t in raw.stage(f).parsed.tables.values())
    return time.perf_counter() - start, peak_mb(), rows


def import_and_build(root: str) -> tuple[float, float, int]:
    from pipeline.core.config import data_dir
    from pipeline.raw import snapshots as raw
    from pipeline.warehouse import build as warehouse
    data = data_dir(root)
    start = time.perf_counter()
    snapshots = [raw.stage(f) for f in FILES]
    counts = warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return time.perf_counter() - start, peak_mb(), counts["datastat_hodnoty"]


def main() -> None:
    phases = [("parse the JSON-stat population of obce (43,904 values)", parse, [POPULATION]),
              ("parse schemas.zip (976 selection schemas)", parse, [SELECTIONS / "schemas.zip"]),
              ("parse the 15 label CSVs", parse, FILES[2:])]
    with tempfile.TemporaryDirectory() as root:
        for label, function, argument in [*phases, ("import all + build (labels mapped to codes)", import_and_build, root)]:
            seconds, peak, rows = in_own_process(function, argument)
            print(f"{label}: {seconds:.2f} s, peak {peak:.0f} MB, {rows:,} rows")


if __name__ == "__main__":
    main()
