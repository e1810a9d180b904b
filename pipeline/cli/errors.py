"""What reaches the analyst when a command fails: one Czech line `Chyba: …` on standard error, never a traceback.

Three kinds of failure end here (the boundary is `FailsCleanly` in main.py):
- SprssError: already a Czech sentence;
- faults of the machine (OSError, DuckDB's I/O errors, too deep data, no memory): their English system text is
  replaced by Czech (core/system.py);
- usage errors of the command-line framework (missing or unknown options, a value not among the choices): click
  and typer print them in English in a box, so they are rebuilt here from the exception's fields.

The line is printed without Rich markup, so `[…]` in a file name or message stays as it is.
"""
import re

import duckdb
from rich.console import Console
from typer._click import exceptions as usage

from pipeline.core.system import czech_io_text, czech_os_error

CHOICE = re.compile(r"(?:Value error, )?'(?P<value>.*)' is not one of (?P<choices>.*)\.$")
NOT_VALID = re.compile(r"(?:Value error, )?(?:Value )?'?(?P<value>.*?)'? is not a valid (?P<kind>\w+)")
PATH_FAULT = re.compile(r"(?P<what>File|Directory|Path) '(?P<path>.*)' (?P<fault>does not exist|is a file|is a directory|"
                        r"is not readable|is not writable)")
KINDS = {"integer": "celé číslo", "int": "celé číslo", "float": "číslo", "number": "číslo", "boolean": "ano/ne",
         "bool": "ano/ne", "date": "datum RRRR-MM-DD", "path": "cesta k souboru"}
PATH_FAULTS = {"does not exist": "neexistuje", "is a file": "je soubor, ne adresář", "is a directory": "je adresář, ne soubor",
               "is not readable": "nelze číst", "is not writable": "nelze zapisovat"}
EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.*)\)")
REQUIRES = re.compile(r"Option '(?P<option>[^']+)' requires (?P<count>an argument|\d+ arguments)")
NO_VALUE = re.compile(r"Option '(?P<option>[^']+)' does not take a value")
FRAMEWORK_TEXT = re.compile(r"(Value error|Input should|Value |Invalid|Unable|Expected|Error|Field|String|Could not)")
NO_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")


def print_error(console: Console, message: str) -> None:
    """`Chyba: message` as plain text: no markup parsing, no highlighting, no wrapping into several lines."""
    console.print(f"Chyba: {message}", markup=False, highlight=False, soft_wrap=True, style="bold red")


def failure_text(exc: BaseException) -> str | None:
    """The Czech line of a fault of the machine, or None for an exception that is a bug (shown as a traceback)."""
    if isinstance(exc, OSError):
        return f"Operace se souborem selhala: {czech_os_error(exc)}."
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError):
        return "Došla paměť; zavřete jiné programy nebo zpracujte menší soubor."
    if isinstance(exc, duckdb.Error):  # a full disk also comes as a failed commit (TransactionException)
        return f"Sklad dat nelze číst ani zapsat: {czech_io_text(str(exc))} (podrobnosti ukáže --debug)."
    if isinstance(exc, RecursionError):
        return "Data jsou vnořená příliš hluboko (tisíce úrovní); soubor je zřejmě poškozený."
    return None


def usage_text(exc: usage.UsageError) -> str:
    """A usage error of the framework in Czech, with the command's help to turn to."""
    command = exc.ctx.command_path if exc.ctx is not None else "sprss"
    return f"{_usage_detail(exc)} Nápověda: {command} --help"


def _usage_detail(exc: usage.UsageError) -> str:
    message = exc.message
    if isinstance(exc, usage.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        return f"Chybí {'volba' if kind == 'option' else 'argument'} {_hint(exc)}."
    if isinstance(exc, usage.BadParameter):
        return f"Neplatná hodnota {_hint(exc)}: {_bad_value(message)}."
    if isinstance(exc, usage.NoSuchOption):
        similar = f" (podobné: {', '.join(sorted(exc.possibilities))})" if exc.possibilities else ""
        return f"Neznámá volba {exc.option_name}{similar}."
    for pattern, text in ((REQUIRES, "Volba {option} potřebuje hodnotu."),
                          (NO_VALUE, "Volba {option} se zadává bez hodnoty."),
                          (EXTRA_ARGUMENTS, "Nadbytečné argumenty: {extra}."),
                          (NO_COMMAND, "Neznámý příkaz '{name}'.")):
        match = pattern.search(message)
        if match:
            text = text.format(**match.groupdict())
            if pattern is NO_COMMAND and exc.ctx is not None:
                commands = getattr(exc.ctx.command, "commands", {})
                text += f" Příkazy: {', '.join(sorted(commands))}." if commands else ""
            return text
    if message.startswith("Missing command"):
        return "Chybí příkaz."
    return "Neplatné použití příkazu."


def _hint(exc: usage.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)
    if exc.param is not None:
        return " / ".join(repr(option) for option in exc.param.opts) or repr(exc.param.name)
    return "parametru"


def _bad_value(message: str) -> str:
    choice = CHOICE.search(message)
    if choice:
        return f"'{choice['value']}' není žádná z možností {choice['choices']}"
    path = PATH_FAULT.search(message)
    if path:
        return f"'{path['path']}' {PATH_FAULTS[path['fault']]}"
    valid = NOT_VALID.search(message)
    if valid:
        return f"'{valid['value']}' není {KINDS.get(valid['kind'].lower(), 'platná hodnota')}"
    if FRAMEWORK_TEXT.match(message):
        return "hodnota neodpovídá typu volby"
    return message.rstrip(".")  # raised by a callback of sprss, in Czech already
