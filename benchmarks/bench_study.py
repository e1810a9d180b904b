"""Study benchmark: papermill floor (empty parameterised notebook) vs one study vs a batch of ORP studies.

Run: `make bench-study` or `.venv/bin/python benchmarks/bench_study.py [--all]` (--all: all 206 ORP of ČR).
Builds a warehouse from the real files listed in params.yaml (with boundaries, so maps are drawn).
"""
from datetime import date
from pathlib import Path
import sys
import tempfile
import time

import nbformat
import papermill
import yaml

from pipeline.chapters import runner as study
from pipeline.core.config import data_dir
from pipeline.raw import snapshots as raw
from pipeline.render.notebook import _Kernel
from pipeline.warehouse import build as warehouse

ROOT = Path(__file__).resolve().parents[1]


def build_warehouse(root: Path):
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    base = (ROOT / params["vstupy_adresar"]).resolve()
    data = data_dir(root)
    snapshots = [raw.stage(base / v["soubor"], v.get("zdroj"),
                           date.fromisoformat(str(v["datum"])) if v.get("datum") else None)
                 for v in params["vstupy"]]
    warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return data


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<58} {seconds:7.2f} s", flush=True)
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = build_warehouse(tmp / "data")
        empty = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("uzemi = None", metadata={"tags": ["parameters"]})],
            metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
        floor = timed("empty parameterised notebook (papermill floor)", lambda: papermill.execute_notebook(
            empty, str(tmp / "empty.ipynb"), parameters={"uzemi": "6105"}, kernel_name="python3",
            kernel_manager_class=_Kernel, progress_bar=False))
        one = timed("one study, ORP Jihlava (all outputs written)",
                    lambda: study.render_study("orp:6105", tmp / "one", data))
        print(f"{'  ratio to the floor':<58} {one / floor:7.1f} ×")
        timed("combined document, ORP Jihlava (every chapter present + analyticka-cast)",
              lambda: study.render_all("orp:6105", tmp / "all", data))
        timed("batch: 15 ORP of Kraj Vysočina, 2 processes",
              lambda: study.render_batch("kraj:3107", "orp", tmp / "vysocina", data, 2))
        if "--all" in sys.argv:
            timed("batch: all 206 ORP of ČR, 2 processes",
                  lambda: study.render_batch("stat:CZ", "orp", tmp / "cr", data, 2))


if __name__ == "__main__":
    main()
