"""Render the study: run a chapter notebook with papermill and export it; one territory or a batch.

Chapters: `demografie` (notebooks/studie.py, the socio-demographic analysis), `sluzby` (notebooks/sluzby.py,
the supply of social services) and `pruzkum` (notebooks/pruzkum.py, the results of a stored survey, rendered by
`sprss survey report`). A notebook is the single place of its chapter's text; this module only runs it
(in a kernel of this very interpreter, so no Jupyter installation is needed) and turns the result into a
self-contained HTML page.
"""
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
import html
import multiprocessing
import os
from pathlib import Path
import subprocess

from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jinja2 import DictLoader
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
import jupytext
from nbconvert import HTMLExporter
import papermill
from papermill.exceptions import PapermillExecutionError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from traitlets import CaselessStrEnum

from pipeline.core import config, territory
from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write
from pipeline.core.territory import label
from pipeline.core.text import czech_date, fold, plural
from pipeline.indicators import demografie as indicators
from pipeline.render import document
from pipeline.render.style import czech_number
from pipeline.warehouse import build as warehouse

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXECUTED, PAGE = "studie.ipynb", "studie.html"
REPORTS = Path("reports")


@dataclass(frozen=True)
class Chapter:
    notebook: Path
    title: str  # 'Sociodemografická analýza' + ': ORP Jihlava'
    batch_title: str  # heading of a batch's index page
    subdir: str  # below reports/<territory>/ when no output directory is given; {fields} come from params


CHAPTERS = {
    "demografie": Chapter(NOTEBOOKS / "studie.py", "Sociodemografická analýza", "Sociodemografické analýzy", ""),
    "sluzby": Chapter(NOTEBOOKS / "sluzby.py", "Analýza nabídky sociálních služeb",
                      "Analýzy nabídky sociálních služeb", "sluzby"),
    "pruzkum": Chapter(NOTEBOOKS / "pruzkum.py", "Výsledky dotazníkového šetření",
                       "Výsledky dotazníkových šetření", "pruzkum-{pruzkum}"),
}

# The lab template without its CDN scripts (require.js, MathJax, mermaid): the page must open offline.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
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


class _Kernel(AsyncKernelManager):
    """ipykernel of the running interpreter (the venv): works with no kernel installed globally and ignores a
    user's differently configured 'python3' kernel. IPC sockets: parallel studies never race for TCP ports.

    The kernel's own log (TCP notice, 'KeyboardInterrupt caught' from the interrupt that precedes every
    shutdown, font-cache notes) would reach the analyst's terminal; cell errors arrive as messages anyway.
    """
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    async def start_kernel(self, **kw):
        return await super().start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def _data_dir(value) -> config.DataDir:
    """The CLI passes its DataDir; Python callers may pass a path or None ($SPRSS_DATA_DIR, ./data)."""
    return value if isinstance(value, config.DataDir) else config.data_dir(value)


def _is_file(selector: str) -> bool:
    return selector.lower().endswith((".yaml", ".yml"))


def _iso(datum) -> str | None:
    if datum is None or isinstance(datum, date):
        return datum.isoformat() if datum else None
    try:
        return date.fromisoformat(datum).isoformat()
    except ValueError:
        raise SprssError(f"Neplatné datum {datum!r}; očekáváno RRRR-MM-DD.") from None


def _chapter(name: str) -> Chapter:
    if name not in CHAPTERS:
        raise SprssError(f"Neznámá kapitola {name!r}; známé kapitoly: {', '.join(CHAPTERS)}.")
    return CHAPTERS[name]


def render_study(selector: str, out_dir: Path | str | None = None, data_dir=None, datum=None,
                 chapter: str = "demografie", params: dict[str, str] | None = None) -> Path:
    """Execute a chapter notebook for one territory; returns the output directory with all its files.

    Parameters go to papermill as strings (codes like '0100' must never become numbers), which is what
    `papermill -r` does on the command line; `params` are the chapter's own (the survey's name).
    """
    data = _data_dir(data_dir)
    spec = _chapter(chapter)
    with warehouse.connect(data) as con:
        chosen = territory.resolve(selector, territory.load_obce(con))
    out_dir = Path(out_dir or REPORTS / chosen.slug / spec.subdir.format(**(params or {}))).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = jupytext.read(spec.notebook)
    notebook.metadata["title"] = f"{spec.title}: {label(chosen.area)}"
    parameters = {"uzemi": str(Path(selector).resolve()) if _is_file(selector) else selector,
                  "datum": _iso(datum), "data_dir": str(data.root), "out_dir": str(out_dir), **(params or {})}
    try:
        executed = papermill.execute_notebook(notebook, str(out_dir / EXECUTED), parameters=parameters,
                                              kernel_name="python3", kernel_manager_class=_Kernel,
                                              progress_bar=False, request_save_on_cell_execute=False,
                                              cwd=str(out_dir))
    except PapermillExecutionError as exc:
        if exc.ename == "SprssError":
            raise SprssError(exc.evalue) from None
        raise SprssError(f"Studie území {label(chosen.area)} selhala v buňce {exc.exec_count} notebooku "
                         f"{spec.notebook.name}: {exc.ename}: {exc.evalue} (podrobnosti v {out_dir / EXECUTED}).") from None
    atomic_write(out_dir / PAGE, _page(executed).encode("utf-8"))
    document.verify(out_dir)
    return out_dir


def _page(notebook) -> str:
    """Rendered text and outputs only: no code, no prompts, no stderr; images are embedded as data URIs."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    exporter = HTMLExporter(template_name="lab", template_file="studie.html.j2",
                            extra_loaders=[DictLoader({"studie.html.j2": TEMPLATE})],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code="cs")
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _render_one(job: tuple[str, str, str, str | None, str]) -> Path:
    selector, out_dir, data_root, datum, chapter = job
    return render_study(selector, out_dir, data_root, datum, chapter)


def render_batch(selector_parent: str, each: str = "orp", out_root: Path | str | None = None, data_dir=None,
                 jobs: int | None = None, datum=None, console: Console | None = None,
                 chapter: str = "demografie") -> list[Path]:
    """One study per `each` unit (e.g. every ORP of a kraj) in parallel processes, plus out_root/index.html.

    Workers are spawned, not forked: a fork would copy the progress bar's thread and open DuckDB handles.
    """
    if each not in territory.LEVELS:
        raise SprssError(f"Neplatná úroveň {each!r}; očekávána jedna z {', '.join(territory.LEVELS)}.")
    data = _data_dir(data_dir)
    spec = _chapter(chapter)
    out_root = Path(out_root or REPORTS).resolve()
    with warehouse.connect(data) as con:
        obce = territory.load_obce(con)
        parent = territory.resolve(selector_parent, obce)
        code_col, _ = territory.LEVELS[each]
        children = [territory.resolve(f"{each}:{kod}", obce) for kod in parent.obce[code_col].drop_duplicates()]
        children.sort(key=lambda t: fold(t.area.nazev))
        latest = _latest_population(con, [c.area for c in children])
    if not children:
        raise SprssError(f"Území {label(parent.area)} nemá žádné jednotky úrovně {each}.")
    jobs = jobs or os.cpu_count() or 1
    results: dict[str, Path | SprssError] = {}
    work = {c.area.kod: (f"{each}:{c.area.kod}", str(out_root / c.slug / spec.subdir), str(data.root), _iso(datum), chapter)
            for c in children}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress, \
            ProcessPoolExecutor(min(jobs, len(work)), multiprocessing.get_context("spawn")) as pool:
        task = progress.add_task(f"Studie {label(parent.area)}", total=len(work))
        futures = {pool.submit(_render_one, job): kod for kod, job in work.items()}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except SprssError as exc:
                results[futures[future]] = exc
            progress.advance(task)
    atomic_write(out_root / "index.html",
                 _index(parent, children, results, latest, out_root, spec.batch_title).encode("utf-8"))
    failed = [(c, results[c.area.kod]) for c in children if isinstance(results[c.area.kod], SprssError)]
    if failed:
        raise SprssError(f"{len(failed)} z {len(children)} studií selhalo (přehled v {out_root / 'index.html'}): "
                         + "; ".join(f"{label(c.area)}: {exc}" for c, exc in failed))
    return [results[c.area.kod] for c in children]


def _latest_population(con, areas) -> dict[str, tuple[float, str]]:
    table = indicators.compute(con, areas)
    rows = table[table["ukazatel"] == "obyvatel_celkem"].sort_values("obdobi").groupby("uzemi_kod").last()
    return {kod: (row.hodnota, row.obdobi) for kod, row in rows.iterrows()}


def _index(parent, children, results, latest, out_root: Path, heading: str) -> str:
    """The summary page of a batch: every study with its territory, obce and population, linked relatively."""
    rows = []
    for child in children:
        result = results[child.area.kod]
        population, obdobi = latest.get(child.area.kod, (None, None))
        name = html.escape(label(child.area))
        link = (f'<a href="{html.escape(Path(result, PAGE).relative_to(out_root).as_posix())}">{name}</a>'
                if isinstance(result, Path) else f'{name} <span class="chyba">(chyba: {html.escape(str(result))})</span>')
        rows.append(f"<tr><td>{link}</td><td class='cislo'>{len(child.obce)}</td>"
                    f"<td class='cislo'>{czech_number(population) if population is not None else '–'}</td>"
                    f"<td>{czech_date(date.fromisoformat(obdobi)) if obdobi else '–'}</td></tr>")
    title = html.escape(f"{heading}: {label(parent.area)}")
    return f"""<!DOCTYPE html>
<html lang="cs">
<head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; }} th, td {{ padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }}
td.cislo {{ text-align: right; }} th {{ background: #e8eef4; }} .chyba {{ color: #b00020; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{plural(len(children), "studie", "studie", "studií")}; každá obsahuje stránku studie, grafy (PNG, SVG), tabulky (XLSX) a dokument Word.</p>
<table><thead><tr><th>Území</th><th>Obcí</th><th>Počet obyvatel</th><th>K datu</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
