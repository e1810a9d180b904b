"""Run a notebook with papermill and export it as one self-contained HTML page; knows nothing of what it is about.

The notebook runs in a kernel of this very interpreter (no Jupyter installation needed), with string parameters
and its output directory as working directory; it writes its own outputs and manifest (render.document), which
are verified at the end. Several notebooks may run one after another in one `Kernel`. Which notebook, for what
territory and where to is the chapters layer's business.

papermill, jupytext and nbconvert are imported when a notebook runs, not with this module: a kernel started
first boots (and preloads) on the other core while this process imports them.
"""
import asyncio
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources.abc import Traversable
import json
from pathlib import Path
from queue import Empty
import subprocess
from typing import TYPE_CHECKING, Any

from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import CaselessStrEnum, Type

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


class _SharedClient(AsyncKernelClient):
    """Started once: nbclient starts the channels of the client it is given for every notebook. Not pinged for
    readiness either: Kernel.prepared() has just had its reset answered, and nbclient's kernel_info pings (one
    more each second without an answer) would be requests sent while a reply is on its way."""

    def start_channels(self, *args: Any, **kw: Any) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kw)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        return None


class _Kernel(AsyncKernelManager):
    """ipykernel of the running interpreter (the venv): works with no kernel installed globally and ignores a
    user's differently configured 'python3' kernel. IPC sockets: parallel studies never race for TCP ports.

    The kernel's own log (TCP notice, 'KeyboardInterrupt caught' from the interrupt that precedes every
    shutdown, font-cache notes) would reach the analyst's terminal; cell errors arrive as messages anyway.
    """
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")
    client_factory = Type(default_value=_SharedClient, klass=AsyncKernelClient)

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    # jupyter_client assigns the async start_kernel to AsyncKernelManager, so type checkers see KernelManager's sync one
    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        await super().start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)

    def client(self, **kw: Any) -> Any:  # the AsyncKernelClient all notebooks in this kernel share
        """One client for every request to the kernel, each sent after the previous one is answered: ipykernel 7
        can leave a request unread when it arrives while a reply is being sent (ipython/ipykernel#1554), which
        happens once several clients talk to one kernel. nbclient asks for a client per notebook and, not owning
        the kernel, never closes it; it gets this one."""
        if "_sprss_client" not in self.__dict__:
            self.__dict__["_sprss_client"] = super().client(**kw)
        return self.__dict__["_sprss_client"]


# Run before each notebook, so that it sees what a new kernel shows: no variables, no history, cell numbers (in
# errors too) from 1, the warning filters of a kernel that ran nothing, and its output folder as working directory.
RESET = """get_ipython().reset(new_session=True)
import os as __os, warnings as __warnings
__warnings.resetwarnings()  # invalidates the once-registries too
__warnings.filters.extend(getattr(__warnings, "_sprss_filters", []))
__os.chdir({cwd})
del __os, __warnings"""
POKE_SECONDS = 5  # no reply for this long: connect a client (see _reply)
# run by the kernel at its start (before it serves requests), so no request is sent to a kernel not yet listening
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

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch the kernel, which imports `preload` before it listens; returns at once (it boots in its own
        process)."""
        if self._manager is not None:
            return
        self._manager = _Kernel()
        run_sync(self._manager.start_kernel)(extra_arguments=[
            "--HistoryManager.hist_file=:memory:",  # as nbclient starts kernels
            f"--IPKernelApp.code_to_run={PRELOAD.format(modules=json.dumps(self.preload))}"])
        self._manager.client().start_channels()  # its iopub hears the kernel announce itself


    def prepared(self, cwd: Path) -> AsyncKernelManager:
        """The running kernel, reset for the next notebook and moved to `cwd` (papermill's cwd moves only this
        process); a kernel that died in the previous notebook is replaced by a new one."""
        if self._manager is not None and not run_sync(self._manager.is_alive)():
            self.close()
        self.start()
        assert self._manager is not None
        client = self._manager.client()
        reset = _execute(client, RESET.format(cwd=json.dumps(str(cwd))))
        reply = run_sync(_reply)(self._manager, reset)
        if reply["status"] != "ok":
            raise RuntimeError(f"Jádro nelze připravit pro další notebook: {reply.get('evalue')}")
        request = reset
        while not run_sync(_heard)(client, request):  # iopub not connected yet: ask again, as nbclient does
            request = client.kernel_info()
            run_sync(_reply)(self._manager, request)
        return self._manager

    def close(self) -> None:
        if self._manager is None:
            return
        self._manager.client().stop_channels()
        # now: nothing in the kernel is worth a graceful stop (history in memory, outputs written by the cells)
        run_sync(self._manager.shutdown_kernel)(now=True)
        self._manager = None


def _execute(client: AsyncKernelClient, code: str) -> str:
    """Send `code` without a cell: no output, no history, no execution count."""
    return client.execute(code, silent=True, store_history=False, allow_stdin=False)


async def _heard(client: AsyncKernelClient, msg_id: str) -> bool:
    """Whether iopub brings the kernel's 'idle' after `msg_id` within a few seconds: nbclient reads every output
    there and gives up on a cell whose outputs do not come."""
    try:
        while True:
            message = await client.get_iopub_msg(timeout=3)
            if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"):
                return True
    except Empty:
        return False


async def _reply(manager: "_Kernel", msg_id: str) -> dict:
    """The content of the reply to `msg_id`, however long the kernel takes (booting, preloading under load) while
    it lives; replies to earlier requests (nbclient's) are passed over.

    ipykernel 7 can leave a request unread in its socket until the next client connects (ipython/ipykernel#1554;
    seen here for a request sent while the kernel booted): while no reply comes, a client connects now and then."""
    client = manager.client()
    waited = 0
    while True:
        try:
            reply = await client.get_shell_msg(timeout=1)
        except Empty:
            if not await manager.is_alive():
                raise RuntimeError("Jádro skončilo dřív, než odpovědělo.") from None
            waited += 1
            if waited % POKE_SECONDS == 0:
                poke = AsyncKernelClient(**manager.get_connection_info(session=True))
                poke.start_channels(iopub=False, stdin=False, hb=False, control=False)
                await asyncio.sleep(0.1)  # connected: the kernel's shell socket wakes up
                poke.stop_channels()
            continue
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
    except BaseException:
        kernel.close()  # died, timed out or interrupted: the next notebook gets a new kernel
        raise
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
