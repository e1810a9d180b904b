"""The chapters of a study, registered once in kapitoly.yaml: which notebook, titles, output folder, input.

`sprss report --chapter`, `sprss run`, `sprss survey report` and dvc.yaml all read that file; rendering a
chapter for a territory is pipeline/chapters/runner.py. Kept light (no papermill), since the CLI reads the
registry when it starts.
"""
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

import duckdb
import yaml

from pipeline.core.errors import SprssError
from pipeline.warehouse.build import has_rows

NOTEBOOKS = "pipeline.notebooks"  # the top-level notebooks/ folder, installed as this package


@dataclass(frozen=True)
class Chapter:
    name: str  # demografie | sluzby | pruzkum
    notebook_file: str
    title: str  # 'Sociodemografická analýza' + ': ORP Jihlava'
    batch_title: str  # heading of a batch's index page
    subdir: str  # below reports/<territory>/ when no output directory is given; {fields} come from params
    input_table: str | None  # must hold rows for `sprss run` to add the chapter; None: always added
    parameters: tuple[str, ...]  # the chapter's own notebook parameters, given by its own command

    @property
    def notebook(self) -> Traversable:
        """Found through the installed package, so it works from an editable and a regular install alike."""
        return files(NOTEBOOKS) / self.notebook_file


def _load() -> dict[str, Chapter]:
    registry = yaml.safe_load((files("pipeline.chapters") / "kapitoly.yaml").read_text(encoding="utf-8"))
    return {name: Chapter(name, entry["notebook"], entry["titul"], entry["titul_davky"], entry["podadresar"],
                          entry["vstup"], tuple(entry["parametry"]))
            for name, entry in registry["kapitoly"].items()}


CHAPTERS = _load()


def chapter(name: str) -> Chapter:
    if name not in CHAPTERS:
        raise SprssError(f"Neznámá kapitola {name!r}; známé kapitoly: {', '.join(CHAPTERS)}.")
    return CHAPTERS[name]


def for_territory() -> list[Chapter]:
    """The chapters of `sprss report --chapter`: those needing nothing but a territory (and a date)."""
    return [c for c in CHAPTERS.values() if not c.parameters]


def present(con: duckdb.DuckDBPyConnection) -> list[Chapter]:
    """What `sprss run` renders: every territory chapter whose input the warehouse holds."""
    return [c for c in for_territory() if c.input_table is None or has_rows(con, c.input_table)]
