"""dvc.yaml really rebuilds the warehouse and indicator tables from data/raw (run with the real files)."""
import os
from pathlib import Path
import shutil
import subprocess
import sys

import pytest
import yaml

from builders import NEEDS_REAL, REPO, SHARED_REAL

BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED_REAL.exists(), reason=f"{NEEDS_REAL}: {SHARED_REAL}")]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "SPRSS_DATA_DIR": str(cwd / "data")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_dvc_repro_builds_and_then_is_up_to_date(tmp_path):
    if not (BIN / "dvc").exists():
        pytest.fail("dvc is part of the dev dependencies (pip install -e '.[dev]')")
    project = tmp_path / "projekt"
    project.mkdir()
    shutil.copy(REPO / "dvc.yaml", project)
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    params["vstupy_adresar"] = str(SHARED_REAL)
    params["vstupy"] = [v for v in params["vstupy"] if "population_2023" in v["soubor"] or "struktura" in v["soubor"]
                        or "2020_vek" in v["soubor"]]
    params["uzemi"] = [{"selektor": "orp:6105", "slug": "orp-jihlava"}]
    (project / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True))
    for shared in ("pipeline", "notebooks"):
        (project / shared).symlink_to(REPO / shared)
    run([str(BIN / "dvc"), "init", "--no-scm", "-q"], project)

    run([str(BIN / "dvc"), "repro"], project)
    table = (project / "data" / "processed" / "ukazatele" / "orp-jihlava.csv").read_text()
    assert "orp,6105,Jihlava,2023-01-01,obyvatel_celkem,102996,osoby" in table
    assert len(list((project / "data" / "raw").glob("*/*/*.provenance.json"))) == 4

    study = project / "reports" / "orp-jihlava"
    assert "Sociodemografick" in (study / "studie.html").read_text()
    assert sorted(p.name for p in (study / "grafy").glob("*.png"))[0].startswith("01_")

    again = run([str(BIN / "dvc"), "repro"], project)
    assert "didn't change" in again.stdout or "up to date" in again.stdout
    assert "Running stage" not in again.stdout
