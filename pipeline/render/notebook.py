"""Run a notebook with papermill and export it as one self-contained HTML page; knows nothing of what it is about.

The notebook runs in a kernel of this very interpreter (no Jupyter installation needed), with string parameters
and its output directory as working directory; it writes its own outputs and manifest (render.document), which
are verified at the end. Several notebooks may run one after another in one `Kernel`. Which notebook, for what
territory and where to is the chapters layer's business.

papermill, jupytext and nbconvert are imported when a notebook runs, not with this module: a kernel started
first boots (and preloads) on the other core while this process imports them.
"""
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources.abc import Traversable
import json
from pathlib import Path
import subprocess
from typing import TYPE_CHECKING, Any

from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.client import KernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import CaselessStrEnum

from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write

if TYPE_CHECKING:
    from nbformat import NotebookNode

EXECUTED, PAGE = "studie.ipynb", "studie.html"


class NotebookFailed(SprssError):
    """A cell raised an unexpected error; the executed notebook in `executed` shows the traceback."""

    def __init__(self, notebook: str, cell: int, ename: str, evalue: str, executed: Path) -> None:
        super().__init__(f"Notebook {notebook} selhal v buňce {cell}: {ename}: {evalue} (podrobnosti v {executed}).")
        self.notebook, self.cell, self.ename, self.evalue, self.executed = notebook, cell, ename, evalue, executed


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

    # jupyter_client assigns the async start_kernel to AsyncKernelManager, so type checkers see KernelManager's sync one
    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        await super().start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)

    def client(self, **kw: Any) -> Any:  # an AsyncKernelClient
        """nbclient makes one client per notebook and, not owning the kernel, never closes it: Kernel does."""
        made = super().client(**kw)
        self.clients.append(made)
        return made

    @property
    def clients(self) -> list[KernelClient]:
        return self.__dict__.setdefault("_sprss_clients", [])


STARTUP_SECONDS = 60  # nbclient's default startup timeout
# Run before each notebook, so that it sees what a new kernel shows: no variables, no history, cell numbers (in
# errors too) from 1, the warning filters of a kernel that ran nothing, and its output folder as working directory.
RESET = """get_ipython().reset(new_session=True)
import os as __os, warnings as __warnings
__warnings.resetwarnings()  # invalidates the once-registries too
__warnings.filters.extend(getattr(__warnings, "_sprss_filters", []))
__os.chdir({cwd})
del __os, __warnings"""
PRELOAD = """import importlib, warnings
for name in {modules}:
    try:
        importlib.import_module(name)
    except Exception:  # the notebook's own import cell reports it, with its cell number
        pass
warnings._sprss_filters = list(warnings.filters)  # with the filters the preloaded libraries add on import"""


class Kernel:
    """One kernel for several notebooks in turn (the chapters of a territory, the territories of a batch worker):
    the kernel start and the imports of the notebooks are paid once. Started on first use; `preload` names modules
    the kernel imports at once, while this process goes on (resolving the territory, importing papermill)."""

    def __init__(self, preload: Iterable[str] = ()) -> None:
        self.preload = list(preload)
        self._manager: _Kernel | None = None
        self._preloading: BlockingKernelClient | None = None  # the client that sent the preload

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch the kernel and queue the preload; returns at once (the kernel boots in its own process)."""
        if self._manager is not None:
            return
        self._manager = _Kernel()
        run_sync(self._manager.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])  # as nbclient
        self._preloading = self._connect()
        _execute(self._preloading, PRELOAD.format(modules=json.dumps(self.preload)))

    def prepared(self, cwd: Path) -> AsyncKernelManager:
        """The running kernel, reset for the next notebook and moved to `cwd` (papermill's cwd moves only this
        process); a kernel that died in the previous notebook is replaced by a new one."""
        if self._manager is not None and not run_sync(self._manager.is_alive)():
            self.close()
        self.start()
        assert self._manager is not None
        self._release_clients()
        # a client made now: one kept across a notebook run by nbclient gets no replies any more
        client = self._preloading or self._connect()
        self._preloading = None
        try:
            # A request sent before the kernel listens can be lost (nbclient asks for kernel_info until it is
            # answered, too): the preload then simply did not happen and the notebook imports for itself. Replies
            # come in order, so once kernel_info is answered the reset is answered after any preload.
            client.wait_for_ready(timeout=STARTUP_SECONDS)
            reset = _execute(client, RESET.format(cwd=json.dumps(str(cwd))))
            reply = _reply(client, reset)
        finally:
            client.stop_channels()
        if reply["status"] != "ok":
            raise RuntimeError(f"Jádro nelze připravit pro další notebook: {reply.get('evalue')}")
        return self._manager

    def close(self) -> None:
        if self._manager is None:
            return
        self._release_clients()
        if self._preloading is not None:
            self._preloading.stop_channels()
        # now: nothing in the kernel is worth a graceful stop (history in memory, outputs written by the cells)
        run_sync(self._manager.shutdown_kernel)(now=True)
        self._manager, self._preloading = None, None

    def _connect(self) -> BlockingKernelClient:
        assert self._manager is not None
        client = BlockingKernelClient(**self._manager.get_connection_info(session=True))
        client.start_channels()
        return client

    def _release_clients(self) -> None:
        if self._manager is not None:
            for client in self._manager.clients:
                client.stop_channels()
            self._manager.clients.clear()


def _execute(client: BlockingKernelClient, code: str) -> str:
    """Queue `code` without a cell: no output, no history, no execution count."""
    return client.execute(code, silent=True, store_history=False, allow_stdin=False)


def _reply(client: BlockingKernelClient, msg_id: str) -> dict:
    """The content of the reply to `msg_id` (replies to other requests of this client are passed over)."""
    while True:
        reply = client.get_shell_msg(timeout=STARTUP_SECONDS)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def render(source: Traversable, out_dir: Path, parameters: Mapping[str, str | None], title: str,
           kernel: Kernel | None = None) -> Path:
    """Execute `source` (a jupytext script) in out_dir, save it as studie.ipynb and studie.html; returns out_dir.

    Parameters are strings (codes like '0100' must never become numbers), as `papermill -r` passes them.
    An SprssError raised in a cell is the analyst's message and is raised as it is. Without `kernel` the notebook
    gets a kernel of its own.
    """
    if kernel is None:
        with Kernel() as own:
            return render(source, out_dir, parameters, title, own)
    kernel.start()  # boots while the imports below run here
    _exporter()  # nbconvert and its templates, for _page
    import jupytext
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from pipeline.render import document

    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt={"extension": Path(source.name).suffix})
    notebook.metadata["title"] = title
    try:
        executed = papermill.execute_notebook(notebook, str(out_dir / EXECUTED), parameters=dict(parameters),
                                              kernel_name="python3", km=kernel.prepared(out_dir),
                                              progress_bar=False, request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        if exc.ename == "SprssError":
            raise SprssError(exc.evalue) from None
        raise NotebookFailed(source.name, exc.exec_count, exc.ename, exc.evalue, out_dir / EXECUTED) from None
    atomic_write(out_dir / PAGE, _page(executed).encode("utf-8"))
    document.verify(out_dir)
    return out_dir


def _page(notebook: "NotebookNode") -> str:
    """Rendered text and outputs only: no code, no prompts, no stderr; images are embedded as data URIs."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    body, _ = _exporter().from_notebook_node(notebook)
    return body


@cache
def _exporter() -> Any:  # an nbconvert HTMLExporter
    """One exporter per process: compiling its templates costs more than exporting a chapter."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file="studie.html.j2",
                        extra_loaders=[DictLoader({"studie.html.j2": TEMPLATE})],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        language_code="cs")
