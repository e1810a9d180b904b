"""A papermill engine that runs a notebook's cells in an IPython shell of this process instead of a Jupyter kernel.

Why: a kernel is a second interpreter. Every chapter paid for its start and for importing pandas, DuckDB and
matplotlib again before its first cell (1.5–2 s each), and every output travelled over ZeroMQ; a kernel shared
between notebooks to save that could leave a request unanswered (ipykernel#1554). Here the modules are imported
once per process, a batch worker keeps them for all its territories, and there is no message to lose.
Papermill still parameterises the notebook, times its cells and turns an error output into
PapermillExecutionError, exactly as with a kernel.

Each notebook gets a shell of its own (a fresh namespace, the process's warnings filters restored afterwards);
a cell's outputs are what a kernel would have sent: display() data, the value of its last expression, stdout
and stderr as streams, an exception as an error output with its traceback.
"""
import atexit
from base64 import b64encode
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
import gc
import platform
from typing import Any
import warnings

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat import NotebookNode, v4
from papermill.engines import Engine, NotebookExecutionManager, papermill_engines
from traitlets.config import Config

NAME = "sprss"  # papermill.execute_notebook(..., engine_name=NAME)
LANGUAGE = {"name": "python", "version": platform.python_version(), "mimetype": "text/x-python",
            "file_extension": ".py", "pygments_lexer": "ipython3", "codemirror_mode": {"name": "ipython", "version": 3},
            "nbconvert_exporter": "python"}  # what ipykernel reports as the notebook's language


def _mime_bundle(data: dict[str, Any]) -> dict[str, Any]:
    """Binary outputs (PNG) base64-encoded, as the kernel protocol and the .ipynb format carry them."""
    return {mime: b64encode(value).decode("ascii") if isinstance(value, bytes) else value for mime, value in data.items()}


class _Cell:
    """Where the outputs of the running cell go; None between cells (a display outside a cell is dropped)."""
    outputs: list[NotebookNode] | None = None

    @classmethod
    def add(cls, output: NotebookNode) -> None:
        if cls.outputs is not None:
            cls.outputs.append(output)

    @classmethod
    def stream(cls, name: str, text: str) -> None:
        """Consecutive writes to one stream become one output, as a kernel batches them."""
        if cls.outputs is None or not text:
            return
        if cls.outputs and cls.outputs[-1].output_type == "stream" and cls.outputs[-1].name == name:
            cls.outputs[-1].text += text
        else:
            cls.outputs.append(v4.new_output("stream", name=name, text=text))


class _Stream:
    """sys.stdout / sys.stderr of a running cell."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        _Cell.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass


class _Displays(DisplayPublisher):
    def publish(self, data: dict[str, Any], metadata: dict | None = None, *args: Any, **kwargs: Any) -> None:
        _Cell.add(v4.new_output("display_data", data=_mime_bundle(data), metadata=metadata or {}))

    def clear_output(self, wait: bool = False) -> None:
        if _Cell.outputs is not None:
            _Cell.outputs.clear()


class _Results(DisplayHook):
    """The last expression's value as an execute_result, not an 'Out[n]:' line on stdout."""

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict: dict[str, Any], md_dict: dict | None = None) -> None:
        _Cell.add(v4.new_output("execute_result", data=_mime_bundle(format_dict), metadata=md_dict or {},
                                execution_count=self.prompt_count))

    def finish_displayhook(self) -> None:
        pass


class _Shell(InteractiveShell):
    displayhook_class = _Results
    display_pub_class = _Displays

    def init_sys_modules(self) -> None:
        """Leave sys.modules['__main__'] alone: the CLI's own __main__ must survive (spawned batch workers need it)."""

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        _Cell.add(v4.new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=stb))


@contextmanager
def _shell() -> Iterator[_Shell]:
    """A shell for one notebook, torn down afterwards so that get_ipython() is None again outside notebooks.

    IPython registers each shell's exit handler with atexit, which would keep every notebook's namespace (its data
    and figures) alive until the process ends: a batch worker grew by 5–10 MB a notebook. The handler runs here.

    The handler ends with a full garbage collection, which walked every object of pandas, matplotlib and DuckDB
    (0.16 s a notebook, a third of a second per ORP's chapters). What lives before the notebook is frozen while it
    runs, so that this and every other collection in between look at the notebook's own objects; it is unfrozen
    afterwards (back with the oldest generation, for the process's own collections)."""
    config = Config()
    config.HistoryManager.enabled = False  # no history database in the analyst's home
    gc.freeze()
    try:
        with warnings.catch_warnings():  # notebooks silence library warnings for their page only
            shell = _Shell.instance(config=config)
            try:
                yield shell
            finally:
                atexit.unregister(shell.atexit_operations)
                shell.atexit_operations()  # clears the namespaces, removes the shell's temporary files
                _Shell.clear_instance()
    finally:
        gc.unfreeze()


class InProcessEngine(Engine):
    @classmethod
    def execute_managed_notebook(cls, nb_man: NotebookExecutionManager, kernel_name: str, **kwargs: Any) -> None:
        """Run the code cells in order; stop at the first error, as papermill does with a kernel."""
        nb_man.nb.metadata.language_info = LANGUAGE
        with _shell() as shell:
            for index, cell in enumerate(nb_man.nb.cells):
                if cell.cell_type != "code":
                    continue
                nb_man.cell_start(cell, index)
                _Cell.outputs = cell.outputs = []
                try:
                    with redirect_stdout(_Stream("stdout")), redirect_stderr(_Stream("stderr")):
                        result = shell.run_cell(cell.source, store_history=True)
                finally:
                    _Cell.outputs = None
                cell.execution_count = result.execution_count
                if isinstance(result.error_in_exec, KeyboardInterrupt):
                    raise result.error_in_exec  # Ctrl+C stops the whole run, it is not an error of the notebook
                if not result.success:
                    nb_man.cell_exception(cell, index)
                    nb_man.cell_complete(cell, index)
                    return
                nb_man.cell_complete(cell, index)


papermill_engines.register(NAME, InProcessEngine)
