"""What the main callback decides once for every command: the data dir, --debug and where to print."""
from dataclasses import dataclass

from rich.console import Console
import typer

from pipeline.core.config import DataDir


@dataclass(frozen=True)
class Context:
    data: DataDir
    debug: bool
    out: Console  # results (tables, CSV) on standard output
    err: Console  # progress, notes and errors on standard error

    @classmethod
    def of(cls, ctx: typer.Context) -> "Context":
        """The context the main callback put into click's `ctx.obj` (subcommands of `survey` inherit it)."""
        found = ctx.find_object(cls)
        if found is None:
            raise RuntimeError("Příkaz běží bez hlavního callbacku sprss (pipeline.cli.app).")
        return found
