"""One kernel for several notebooks (render.notebook.Kernel): each notebook sees what a new kernel shows.

Small jupytext notebooks written here run through render.notebook.render, as the chapters' notebooks do: each
writes a Study (the manifest render() verifies) and records what it saw in it.
"""
import json
from pathlib import Path

from nbclient.exceptions import DeadKernelError
import pytest

from pipeline.core.errors import SprssError
from pipeline.render.notebook import Kernel, NotebookFailed, render

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
out_dir = None

# %%
import json, os, sys, warnings
from pipeline.render.document import Study
study = Study(out_dir)
"""
SEEN = """# %%
seen = {"cwd": os.getcwd(), "leaked": "leaked" in globals(), "count": get_ipython().execution_count,
        "filters": len(warnings.filters)}
study.text(json.dumps(seen))
study.finish()
leaked = True
warnings.filterwarnings("ignore")
"""


def notebook(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def seen(out: Path) -> dict:
    items = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["polozky"]
    return json.loads(items[0]["text"])


def run(source: Path, out: Path, kernel: Kernel | None) -> Path:
    return render(source, out, {"out_dir": str(out)}, "Zkouška", kernel)


def test_each_notebook_in_a_shared_kernel_sees_a_new_one(tmp_path):
    source = notebook(tmp_path, "vidim.py", SEEN)
    alone = seen(run(source, tmp_path / "sam", None))
    with Kernel(["pipeline.render.document"]) as kernel:
        first, second = (seen(run(source, tmp_path / name, kernel)) for name in ("prvni", "druha"))
    assert first["cwd"] == str(tmp_path / "prvni") and second["cwd"] == str(tmp_path / "druha")
    assert alone["leaked"] is first["leaked"] is second["leaked"] is False  # the first one's variables are gone
    assert alone["count"] == first["count"] == second["count"]  # cell numbers count from 1 again
    assert alone["filters"] == first["filters"] == second["filters"]  # 'ignore' of the first one is undone


def test_a_failing_notebook_names_its_cell_as_in_a_kernel_of_its_own(tmp_path):
    good = notebook(tmp_path, "dobry.py", SEEN)
    bad = notebook(tmp_path, "vadny.py", "# %%\nx = 1\n\n# %%\n1 / 0\n")
    with pytest.raises(NotebookFailed) as alone:
        run(bad, tmp_path / "sam", None)
    with Kernel() as kernel:
        run(good, tmp_path / "prvni", kernel)
        with pytest.raises(NotebookFailed) as shared:
            run(bad, tmp_path / "druhy", kernel)
        assert seen(run(good, tmp_path / "treti", kernel))["leaked"] is False  # the kernel goes on
    assert (shared.value.notebook, shared.value.cell, shared.value.ename) == ("vadny.py", alone.value.cell,
                                                                              "ZeroDivisionError")


def test_an_analysts_error_in_a_shared_kernel_stays_one_czech_line(tmp_path):
    bad = notebook(tmp_path, "chyba.py", '# %%\nfrom pipeline.core.errors import SprssError\n'
                                         'raise SprssError("Území nemá žádnou obec.")\n')
    with Kernel() as kernel, pytest.raises(SprssError, match="^Území nemá žádnou obec.$"):
        run(bad, tmp_path / "chyba", kernel)


def test_a_kernel_that_died_is_replaced(tmp_path):
    source = notebook(tmp_path, "vidim.py", SEEN)
    dies = notebook(tmp_path, "umre.py", "# %%\nos._exit(1)\n")
    with Kernel() as kernel:
        with pytest.raises(DeadKernelError):  # a fault of the machine, not of a cell
            run(dies, tmp_path / "umre", kernel)
        assert seen(run(source, tmp_path / "dalsi", kernel))["cwd"] == str(tmp_path / "dalsi")
