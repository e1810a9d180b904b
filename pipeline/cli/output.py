"""Writing what a command computed: tidy tables as CSV (file or standard output) or XLSX, and saying so."""
from pathlib import Path

import pandas as pd
from rich.console import Console

from pipeline.core.errors import SprssError
from pipeline.indicators import metadata
from pipeline.render import export


def require_file(fmt: str, output: Path | None) -> None:
    """Binary formats cannot go to standard output."""
    if output is None:
        raise SprssError(f"Formát {fmt} potřebuje soubor: přidejte --output SOUBOR.{fmt}.")


def write_tables(sheets: dict[str, pd.DataFrame], fmt: export.Format, output: Path | None, source_line: str,
                 csv_sheet: str) -> None:
    """XLSX holds every sheet (with the source line under each); CSV is the one table `csv_sheet`."""
    if fmt is export.Format.csv:
        export.write_bytes(export.to_csv_bytes(sheets[csv_sheet]), output)
        return
    require_file(fmt.value, output)
    export.write_bytes(export.to_xlsx_bytes({name: _titled(frame) for name, frame in sheets.items()}, source_line), output)


def _titled(frame: pd.DataFrame) -> pd.DataFrame:
    """The Czech title of each indicator beside its code (Excel is read by people, CSV by programs)."""
    if "ukazatel" not in frame or "ukazatel_nazev" in frame:
        return frame
    titles = {code: i.nazev for code, i in metadata.by_code().items()}
    titled = frame.copy()
    titled.insert(list(titled.columns).index("ukazatel") + 1, "ukazatel_nazev", titled["ukazatel"].map(titles))
    return titled


def write_table(table: pd.DataFrame, fmt: export.Format, output: Path | None, sheet: str, source_line: str) -> None:
    write_tables({sheet: table}, fmt, output, source_line, sheet)


def announce(err: Console, output: Path | None, what: str) -> None:
    """`Zapsáno 12 řádků do X.` when the result went to a file (on standard output it speaks for itself)."""
    if output:
        err.print(f"Zapsáno {what} do {output}.", highlight=False)
