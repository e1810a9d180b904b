"""Study benchmark, every run a whole process: the papermill CLI on an empty parameterised notebook (the floor)
against `sprss report` for one chapter, the combined document and batches of ORP.

Run: `make bench-study` or `.venv/bin/python benchmarks/bench_study.py [--all] [--data-dir DIR] [--rounds N] [--no-batch]`.
Without --data-dir it builds a warehouse from the real files listed in params.yaml (with boundaries, so maps are
drawn). Floor, one study and the combined document run interleaved, `--rounds` times (default 3), and the minimum
counts: on a shared machine the load changes from minute to minute. The batch of Kraj Vysočina (15 ORP, every
chapter) runs once; --all also runs all 206 ORP of ČR, otherwise they are extrapolated from the 15.
"""
import argparse
from datetime import date
from pathlib import Path
import subprocess
import sys
import tempfile
import time

import nbformat
import yaml

from pipeline.core.config import DataDir, data_dir
from pipeline.raw import snapshots as raw
from pipeline.warehouse import build as warehouse

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ORP_OF_CR, ORP_OF_VYSOCINA = 206, 15


def build_warehouse(root: Path) -> DataDir:
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    base = (ROOT / params["vstupy_adresar"]).resolve()
    data = data_dir(root)
    snapshots = [raw.stage(base / v["soubor"], v.get("zdroj"),
                           date.fromisoformat(str(v["datum"])) if v.get("datum") else None)
                 for v in params["vstupy"]]
    warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return data


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one whole process (interpreter start and imports included); a failure stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def report(data: DataDir, *arguments: str) -> list[str]:
    return [str(BIN / "sprss"), "--data-dir", str(data.root), "report", *arguments]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="also run all 206 ORP of ČR")
    parser.add_argument("--data-dir", type=Path, help="an existing data dir (else one is built from params.yaml)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-batch", action="store_true", help="only the floor, one study and the combined document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = data_dir(args.data_dir) if args.data_dir else build_warehouse(tmp / "data")
        empty = tmp / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("uzemi = None", metadata={"tags": ["parameters"]})],
            metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}), empty)
        runs = {
            "empty parameterised notebook: papermill CLI (the floor)":
                [str(BIN / "papermill"), "--no-progress-bar", str(empty), str(tmp / "out.ipynb"), "-p", "uzemi", "6105"],
            "sprss report --territory orp:6105 --chapter demografie":
                report(data, "--territory", "orp:6105", "--chapter", "demografie", "--out", str(tmp / "one")),
            "sprss report --territory orp:6105 (every chapter + analyticka-cast)":
                report(data, "--territory", "orp:6105", "--out", str(tmp / "all")),
        }
        seconds: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(args.rounds):  # interleaved: each round sees about the same load for every run
            for label, command in runs.items():
                seconds[label].append(timed(command, tmp))
        best = {label: min(times) for label, times in seconds.items()}
        floor = best[next(iter(runs))]
        print(f"{'whole process, minimum of ' + str(args.rounds):<70} {'wall':>8}  {'× floor':>8}  all runs")
        for label, times in seconds.items():
            print(f"{label:<70} {best[label]:6.2f} s  {best[label] / floor:7.1f} ×  "
                  + ", ".join(f"{t:.2f}" for t in times), flush=True)
        if args.no_batch:
            return
        batch = timed(report(data, "--territory", "kraj:3107", "--each", "orp", "--jobs", "2",
                             "--out", str(tmp / "vysocina")), tmp)
        print(f"{'batch: 15 ORP of Kraj Vysočina, every chapter, --jobs 2 (one run)':<70} {batch:6.2f} s", flush=True)
        if args.all:
            country = timed(report(data, "--territory", "stat:CZ", "--each", "orp", "--jobs", "2",
                                   "--out", str(tmp / "cr")), tmp)
            print(f"{'batch: all 206 ORP of ČR, every chapter, --jobs 2 (one run)':<70} {country:6.2f} s")
        else:
            print(f"{'  all 206 ORP extrapolated from the 15 (206 / 15 × the batch)':<70} "
                  f"{batch * ORP_OF_CR / ORP_OF_VYSOCINA:6.0f} s")


if __name__ == "__main__":
    main()
