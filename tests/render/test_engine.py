"""The in-process papermill engine gives a notebook what a kernel gave it: outputs, counts, errors, isolation."""
import gc
import sys
import warnings

from IPython import get_ipython
import nbformat
from nbformat import v4
import papermill
from papermill.exceptions import PapermillExecutionError
import pytest

from pipeline.core.errors import SprssError
from pipeline.render import engine
from pipeline.render.notebook import NotebookFailed, render


def _run(tmp_path, *sources: str, parameters: dict | None = None) -> nbformat.NotebookNode:
    notebook = v4.new_notebook(cells=[v4.new_code_cell(s) for s in sources])
    notebook.metadata.kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.cells[0].metadata.tags = ["parameters"]
    return papermill.execute_notebook(notebook, str(tmp_path / "out.ipynb"), parameters=parameters or {},
                                      engine_name=engine.NAME, kernel_name="python3", progress_bar=False,
                                      request_save_on_cell_execute=False, cwd=str(tmp_path))


def test_outputs_are_those_a_kernel_sends(tmp_path):
    executed = _run(tmp_path, "x = 1",
                    "from IPython.display import Markdown, Image, display\n"
                    "print('a'); print('b')\nimport sys; print('varování', file=sys.stderr)\n"
                    "display(Markdown('**tučně**'))\nx + 41",
                    parameters={"x": 2})
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3]  # the parameters cell papermill injected is the second
    stdout, stderr, shown, result = code[2].outputs
    assert (stdout.output_type, stdout.name, stdout.text) == ("stream", "stdout", "a\nb\n")  # one output per stream run
    assert (stderr.name, stderr.text) == ("stderr", "varování\n")
    assert shown.output_type == "display_data" and shown.data["text/markdown"] == "**tučně**"
    assert result.output_type == "execute_result" and result.data["text/plain"] == "43" and result.execution_count == 3
    assert executed.metadata.language_info.name == "python"


def test_images_are_base64_text_as_in_an_ipynb(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    (tmp_path / "a.png").write_bytes(png)
    executed = _run(tmp_path, "", "from IPython.display import Image, display\ndisplay(Image(filename='a.png'))")
    data = executed.cells[-1].outputs[0].data["image/png"]
    assert isinstance(data, str) and __import__("base64").b64decode(data) == png
    nbformat.validate(executed)


def test_an_error_stops_the_notebook_at_its_cell(tmp_path):
    with pytest.raises(PapermillExecutionError) as raised:
        _run(tmp_path, "a = 0", "a = 1", "raise ValueError('špatně')", "open('po_chybe', 'w')")
    assert (raised.value.ename, raised.value.evalue, raised.value.exec_count) == ("ValueError", "špatně", 3)
    assert not (tmp_path / "po_chybe").exists()
    failed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert any(o.output_type == "error" and "ValueError" in "".join(o.traceback) for c in failed.cells
               for o in c.get("outputs", []))


HEADER = ("# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n"
          "#     name: python3\n# ---\n\n")  # as the chapters' notebooks begin


def test_render_passes_an_analysts_error_through_and_names_the_cell_of_others(tmp_path):
    source = tmp_path / "kapitola.py"
    source.write_text(HEADER + "# %% tags=['parameters']\nuzemi = None\n\n# %%\nfrom pipeline.core.errors import SprssError\n"
                      "raise SprssError('Území nemá obce.')\n", encoding="utf-8")
    with pytest.raises(SprssError, match="^Území nemá obce.$"):
        render(source, tmp_path / "a", {"uzemi": "orp:6105"}, "Pokus")
    source.write_text(HEADER + "# %% tags=['parameters']\nuzemi = None\n\n# %%\n1 / 0\n", encoding="utf-8")
    with pytest.raises(NotebookFailed) as failed:
        render(source, tmp_path / "b", {"uzemi": "orp:6105"}, "Pokus")
    assert (failed.value.cell, failed.value.ename) == (3, "ZeroDivisionError")


def test_each_notebook_starts_clean_and_leaves_the_process_as_it_was(tmp_path):
    filters, main = list(warnings.filters), sys.modules["__main__"]
    _run(tmp_path, "", "import warnings\nwarnings.filterwarnings('ignore')\ntajne = 42")
    assert warnings.filters == filters and sys.modules["__main__"] is main and get_ipython() is None
    with pytest.raises(PapermillExecutionError) as raised:
        _run(tmp_path, "", "tajne")
    assert raised.value.ename == "NameError"


def test_ctrl_c_stops_the_run_instead_of_becoming_a_cell_error(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, "", "raise KeyboardInterrupt")
    assert get_ipython() is None


def test_the_same_study_gives_the_same_page(tmp_path):
    source = tmp_path / "kapitola.py"
    source.write_text(HEADER + "# %% tags=['parameters']\nout_dir = None\n\n# %%\nfrom pipeline.render.document import Study\n"
                      "study = Study(out_dir)\nstudy.title('Pokus')\nstudy.text('Odstavec s **tučným** slovem.')\n"
                      "_ = study.finish()\n", encoding="utf-8")
    pages = [render(source, tmp_path / name, {"out_dir": str(tmp_path / name)}, "Pokus") / "studie.html"
             for name in ("a", "b")]
    assert pages[0].read_bytes() == pages[1].read_bytes()
    assert "tučným" in pages[0].read_text(encoding="utf-8")


def test_a_finished_notebook_leaves_nothing_alive(tmp_path):
    """Its namespace is freed at once (IPython's atexit handler held every notebook's data until the process ended)."""
    _run(tmp_path, "", "import sys, weakref\nclass Big: pass\nbig = Big()\nsys.sprss_probe = weakref.ref(big)")
    gc.collect()
    try:
        assert sys.sprss_probe() is None  # type: ignore[attr-defined]
    finally:
        del sys.sprss_probe  # type: ignore[attr-defined]


def test_collections_in_a_notebook_skip_what_lived_before_it(tmp_path):
    """The full collection at a notebook's end walked every object of pandas and matplotlib (0.16 s a notebook):
    objects alive before the notebook are frozen while it runs, its own cyclic garbage is still freed, and
    afterwards the process's objects are collectable again."""
    class Before:
        pass

    sys.sprss_before = before = Before()  # type: ignore[attr-defined]
    try:
        _run(tmp_path, "import gc, sys, weakref\n"
                       "assert not any(o is sys.sprss_before for o in gc.get_objects()), 'walked'\n"
                       "class Cycle: pass\nc = Cycle()\nc.self = c\nsys.sprss_probe = weakref.ref(c)")
        gc.collect()
        assert sys.sprss_probe() is None  # type: ignore[attr-defined]
        assert any(o is before for o in gc.get_objects())
    finally:
        del sys.sprss_before, sys.sprss_probe  # type: ignore[attr-defined]


def test_a_chart_on_the_page_has_its_caption_as_alternative_text(tmp_path):
    source = tmp_path / "kapitola.py"
    source.write_text(HEADER + "# %% tags=['parameters']\nout_dir = None\n\n# %%\nimport matplotlib.pyplot as plt\n"
                      "from pipeline.render.document import Study\nstudy = Study(out_dir)\nstudy.title('Pokus')\n"
                      "fig, ax = plt.subplots()\nax.plot([1, 2])\n"
                      "study.chart(fig, 'cara', 'Vývoj počtu obyvatel & \"obce\"', 'Zdroj: ČSÚ')\n_ = study.finish()\n",
                      encoding="utf-8")
    page = (render(source, tmp_path / "a", {"out_dir": str(tmp_path / "a")}, "Pokus") / "studie.html").read_text("utf-8")
    assert """<img alt='Vývoj počtu obyvatel &amp; "obce"'""" in page
    assert "No description" not in page and page.count("<img") == 1
