"""Run a notebook with papermill and export it as one self-contained HTML page; knows nothing of what it is about.

The notebook runs in this process (render.engine: no Jupyter kernel, no Jupyter installation), with string
parameters and its output directory as working directory; it writes its own outputs and manifest (render.document), which
are verified at the end. Which notebook, for what territory and where to is the chapters layer's business.
"""
from collections.abc import Mapping
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import DictLoader
import jupytext
from nbconvert import HTMLExporter
from nbformat import NotebookNode
import papermill
from papermill.exceptions import PapermillExecutionError

from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write
from pipeline.render import document, engine

EXECUTED, PAGE = "studie.ipynb", "studie.html"


class NotebookFailed(SprssError):
    """A cell raised an unexpected error; the executed notebook in `executed` shows the traceback."""

    def __init__(self, notebook: str, cell: int, ename: str, evalue: str, executed: Path) -> None:
        super().__init__(f"Notebook {notebook} selhal v buňce {cell}: {ename}: {evalue} (podrobnosti v {executed}).")
        self.notebook, self.cell, self.ename, self.evalue, self.executed = notebook, cell, ename, evalue, executed


# The lab template without its CDN scripts (require.js, MathJax, mermaid): the page must open offline. A chart's
# picture carries its caption as alternative text (nbconvert would put an English placeholder there).
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}"
{%- set width = output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif %}>
</div>
{%- endblock data_png -%}
{%- block extra_css -%}
<style type="text/css">
body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.5; }
.jp-RenderedHTMLCommon h1 { font-size: 1.8em; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
table.sprss-tabulka { border-collapse: collapse; font-size: 13px; width: auto; }
table.sprss-tabulka th { background: #e8eef4; vertical-align: bottom; }
table.sprss-tabulka th, table.sprss-tabulka td { padding: 2px 8px; border-bottom: 1px solid #d0d0d0; }
table.sprss-tabulka td.text, table.sprss-tabulka th.text { text-align: left; }
table.sprss-tabulka td.cislo, table.sprss-tabulka th.cislo { text-align: right; }
table.sprss-tabulka td.cislo { white-space: nowrap; }
</style>
{%- endblock extra_css -%}
"""


def render(source: Traversable, out_dir: Path, parameters: Mapping[str, str | None], title: str) -> Path:
    """Execute `source` (a jupytext script) in out_dir, save it as studie.ipynb and studie.html; returns out_dir.

    Parameters are strings (codes like '0100' must never become numbers), as `papermill -r` passes them.
    An SprssError raised in a cell is the analyst's message and is raised as it is.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt={"extension": Path(source.name).suffix})
    notebook.metadata["title"] = title
    try:
        executed = papermill.execute_notebook(notebook, str(out_dir / EXECUTED), parameters=dict(parameters),
                                              engine_name=engine.NAME, kernel_name="python3",
                                              progress_bar=False, request_save_on_cell_execute=False,
                                              cwd=str(out_dir))
    except PapermillExecutionError as exc:
        if exc.ename == "SprssError":
            raise SprssError(exc.evalue) from None
        raise NotebookFailed(source.name, exc.exec_count, exc.ename, exc.evalue, out_dir / EXECUTED) from None
    atomic_write(out_dir / PAGE, _page(executed).encode("utf-8"))
    document.verify(out_dir)
    return out_dir


def _page(notebook: NotebookNode) -> str:
    """Rendered text and outputs only: no code, no prompts, no stderr; images are embedded as data URIs.
    Cells are numbered in order (jupytext and papermill give them random ids): same study, same page."""
    for index, cell in enumerate(notebook.cells):
        cell.id = f"bunka-{index}"
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    body, _ = _exporter().from_notebook_node(notebook)
    return body


@cache
def _exporter() -> HTMLExporter:
    """One per process: its templates are compiled on first use (0.2 s a page otherwise)."""
    return HTMLExporter(template_name="lab", template_file="studie.html.j2",
                        extra_loaders=[DictLoader({"studie.html.j2": TEMPLATE})],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, language_code="cs")
