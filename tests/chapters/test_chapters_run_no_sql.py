"""Chapters select and plot what the indicators layer computes; every query lives in pipeline/indicators."""
from pathlib import Path
import re

CHAPTERS = Path(__file__).parents[2] / "pipeline" / "chapters"
QUERY = re.compile(r"\.(execute|executemany|sql|query|register)\(|\bSELECT\b|information_schema")


def test_no_chapter_module_runs_a_query():
    found = [f"{path.relative_to(CHAPTERS)}:{number}: {line.strip()}"
             for path in sorted(CHAPTERS.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if QUERY.search(line)]
    assert found == []
