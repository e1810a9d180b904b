"""The package as users get it: a regular (non-editable) install carries the notebooks and renders a study.

The slow test installs the repository into a temporary folder and runs `sprss report` from outside the
repository with only that folder on PYTHONPATH, so a notebook found through the repository tree would fail it.
"""
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tomllib

import pytest
from setuptools import find_packages

from pipeline.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_of_the_tree_is_installed():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert sorted(listed) == sorted([*find_packages(str(ROOT), include=["pipeline*"]), "pipeline.notebooks"])


def test_every_chapter_has_its_notebook_in_notebooks():
    assert {c.notebook_file for c in CHAPTERS.values()} == {p.name for p in (ROOT / "notebooks").glob("*.py")} - {"__init__.py"}
    assert all(c.notebook_file == f"{c.name}.py" for c in CHAPTERS.values())


@pytest.mark.slow
def test_regular_install_renders_a_study_outside_the_repository(real_warehouse, tmp_path):
    source = tmp_path / "source"  # pip builds in the tree it is given: a copy keeps build/ out of the repository
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "data", "reports", "build", "*.egg-info", "__pycache__"))
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(source)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def python(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)

    where = python("-c", "import pipeline.chapters as c, pipeline.render.notebook as n; "
                         "print(c.__file__, n.__file__, c.CHAPTERS['demografie'].notebook, sep='\\n')")
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(site) for line in where.stdout.split()), where.stdout

    out = tmp_path / "studie"
    report = python("-m", "pipeline.cli", "--data-dir", str(real_warehouse.root),
                    "report", "--territory", "obec:Třešť", "--out", str(out))
    assert report.returncode == 0, report.stdout + report.stderr
    page = (out / "demografie" / "studie.html").read_text(encoding="utf-8")  # each chapter in its own folder
    assert "<title>Sociodemografická analýza: Třešť</title>" in page
    assert "<title>Analytická část: Třešť</title>" in (out / "analyticka-cast.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "demografie" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["polozky"][0]["text"] == "Sociodemografická analýza: Třešť"
    assert not list(elsewhere.iterdir())  # nothing was written to the working directory
