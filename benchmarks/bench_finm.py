"""FIN 2-12 M benchmark: a synthetic national FINM201 of realistic size in the documented 2015 layout.

Run: `.venv/bin/python benchmarks/bench_finm.py [ROWS]` (default 1,500,000 rows: about 7,500 accounting units with 200
budget rows each, the order of a whole-country December extract). Each phase runs in its own process so that its
peak memory (ru_maxrss) is its own. Parsing reads the CSV row by row with the csv module and validates every row.
"""
from pathlib import Path
import random
import sys
import tempfile
import time

from common import in_own_process, peak_mb

HEADER = ("ZC_VYKAZ:ZC_VYKAZ;ZC_VTAB:ZC_VTAB;0FISCPER:0FISCPER;ZC_UCJED:ZC_UCJED;ZC_ICO:ZC_ICO;ZC_KRAJ:ZC_KRAJ;"
          "ZC_NUTS:ZC_NUTS;0CI_TYPE:0CI_TYPE;0FUNC_AREA:0FUNC_AREA;ZCMMT_ITM:ZCMMT_ITM;ZU_ROZSCH:ZU_ROZSCH;"
          "ZU_ROZPZM:ZU_ROZPZM;ZU_ROZKZ:ZU_ROZKZ")
PARAGRAPHS = [f"{p}" for p in (2212, 3113, 3314, 3412, 3612, 3631, 3722, 3745, 4351, 4357, 4359, 5512, 6171, 6310, 6399)]
ITEMS = [str(i) for i in (5011, 5021, 5031, 5032, 5137, 5139, 5151, 5153, 5154, 5156, 5169, 5171, 5222, 5331, 6121)]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        written, ico = 0, 0
        while written < rows:
            ico += 1
            pairs = rng.sample([(p, i) for p in PARAGRAPHS for i in ITEMS], min(200, rows - written))
            for paragraf, polozka in pairs:
                amount = rng.randint(0, 10**8) / 100
                sign = "-" if rng.random() < 0.01 else ""
                out.write(f"051;000200;2024012;{ico};{ico:010d};CZ063;CZ0632;3;{paragraf};{polozka};"
                          f"{amount:.2f};{amount:.2f};{amount:.2f}{sign}\n")
            written += len(pairs)


def parse_only(path: str) -> tuple[float, float, int]:
    from pipeline.sources import mf_finm
    content = Path(path).read_bytes()
    start = time.perf_counter()
    parsed = mf_finm.parse(content, Path(path).name)
    return time.perf_counter() - start, peak_mb(), len(parsed.tables[mf_finm.TABLE])


def import_and_build(path: str, root: str) -> tuple[float, float, int]:
    from pipeline.core.config import data_dir
    from pipeline.raw import snapshots as raw
    from pipeline.warehouse import build as warehouse
    data = data_dir(root)
    start = time.perf_counter()
    snapshots = [raw.stage(Path(path))]
    counts = warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return time.perf_counter() - start, peak_mb(), counts["financovani_rozpocet"]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_500_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "FINM201_2024012.csv"
        generate(path, rows)
        print(f"synthetic FINM201: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        for name, function, args in (("parse", parse_only, (str(path),)),
                                     ("import + build", import_and_build, (str(path), str(Path(tmp) / "data")))):
            seconds, peak, count = in_own_process(function, *args)
            print(f"{name:<16} {seconds:6.1f} s  peak {peak:6.0f} MB  ({count:,} rows)")


if __name__ == "__main__":
    main()
