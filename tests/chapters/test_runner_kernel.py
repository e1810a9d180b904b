"""The runner renders every chapter of a territory, and every territory of a batch worker, in one kernel: the
outputs must be those of a kernel per chapter, and a failing chapter must still be named (real warehouse)."""
from dataclasses import dataclass
from pathlib import Path

import pytest

from builders import copy_data_dir, real, run_sprss
from pipeline import chapters
from pipeline.chapters import Chapter, runner
from pipeline.chapters.runner import render_all, render_batch, render_study
from pipeline.core.errors import SprssError
from pipeline.render.document import verify
from pipeline.warehouse import build as warehouse
from socialni_support import INDEX_TABLE

LHOTA = "obec:561771"  # Vysoká Lhota, 14 inhabitants: every chapter, quickly


def items(out: Path) -> list[dict]:
    return verify(out)["polozky"]


@pytest.mark.slow
def test_one_kernel_for_all_chapters_gives_what_a_kernel_per_chapter_gives(real_warehouse, tmp_path):
    data = copy_data_dir(real_warehouse, tmp_path / "data")
    assert run_sprss("import", real(INDEX_TABLE), data=data).returncode == 0  # a second chapter: socialni
    together = render_all(LHOTA, tmp_path / "spolu", data)
    with warehouse.connect(data) as con:
        present = chapters.present(con)
    assert [c.name for c in present] == ["demografie", "socialni"]
    for spec in present:
        alone = render_study(LHOTA, tmp_path / "zvlast" / spec.name, data, chapter=spec.name)
        assert items(together / (spec.subdir or spec.name)) == items(alone), spec.name


@pytest.mark.slow
def test_a_batch_worker_renders_its_territories_in_one_kernel_as_separately(real_warehouse, tmp_path):
    batch = render_batch("okres:Jihlava", "orp", tmp_path / "davka", real_warehouse, jobs=1, chapter="demografie")
    assert [p.name for p in batch] == ["orp-jihlava", "orp-telc"]
    alone = render_study("orp:Telč", tmp_path / "telc", real_warehouse)  # the worker's second territory
    assert items(batch[1]) == items(alone)


@dataclass(frozen=True)
class LocalChapter(Chapter):
    """A chapter whose notebook is a file written by the test."""
    path: Path = Path()

    @property
    def notebook(self) -> Path:  # type: ignore[override]
        return self.path


NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
out_dir = None

# %%
from pipeline.render.document import Study
study = Study(out_dir)
study.text("Kapitola.")

# %%
{fault}study.finish()
"""


def test_a_failing_chapter_after_a_good_one_is_named_in_czech(real_warehouse, tmp_path, monkeypatch):
    specs = {}
    for name, fault in (("dobra", ""), ("vadna", "1 / 0\n")):
        path = tmp_path / f"{name}.py"
        path.write_text(NOTEBOOK.format(fault=fault), encoding="utf-8")
        specs[name] = LocalChapter(name, path.name, name.capitalize(), name, name, None, (), path)
    monkeypatch.setattr(chapters, "present", lambda con: list(specs.values()))
    monkeypatch.setattr(runner, "registered", specs.__getitem__)
    monkeypatch.setattr(runner, "preload", lambda found: [])
    with pytest.raises(SprssError, match=r"^Studie území .*Vysoká Lhota selhala v buňce 4 notebooku vadna\.py: "
                                         r"ZeroDivisionError: division by zero \(podrobnosti v .*vadna/studie\.ipynb\)"):
        render_all(LHOTA, tmp_path / "out", real_warehouse)
    assert verify(tmp_path / "out" / "dobra")["polozky"][0]["text"] == "Kapitola."
