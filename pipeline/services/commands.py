"""`sprss coverage`: the command function, registered in pipeline/cli.py."""
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import territory, warehouse
from pipeline.services import coverage as coverage_tables
from pipeline.text import czech_date


class Format(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


def coverage(
    territory_selector: Annotated[str, typer.Option("--territory", help="Území: obec:586846, orp:Jihlava, kraj:3107, stat:CZ nebo soubor YAML.")],
    on_date: Annotated[Optional[str], typer.Option("--date", help="Datum RRRR-MM-DD, k němuž se služby počítají (jinak dnes).")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="Místo pokrytí vypsat obce území bez služby daného druhu a terénní služby, které v nich deklarují působnost.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="csv nebo xlsx.")] = Format.csv,
    output: Annotated[Optional[Path], typer.Option("--output", help="Výstupní soubor (CSV jinak na standardní výstup).")] = None,
):
    """Pokrytí území sociálními službami z registru MPSV: počet služeb, kapacita a kapacita na 1 000 cílové populace.

    Služba se v území počítá jednou, má-li tam k datu aspoň jedno zařízení v provozu, a vždy s celou registrovanou
    kapacitou (registr ji neuvádí po zařízeních, proto se mezi území nedělí). Kapacity různých jednotek se nesčítají.
    """
    from pipeline import cli  # imported here because cli imports this module to register the command

    on = cli._parse_date(on_date) or date.today()
    with warehouse.connect(cli._data()) as con:
        obce = territory.load_obce(con)
        chosen = territory.resolve(territory_selector, obce)
        result = (coverage_tables.gaps(con, chosen, on) if gaps
                  else coverage_tables.compute(con, chosen, obce, on))
    for note in result.notes:
        cli.err.print(note, highlight=False)
    source_line = (f"Zdroj: MPSV, Registr poskytovatelů sociálních služeb (stav k {czech_date(result.registr_k)})"
                   + ("" if gaps else "; ČSÚ, počty obyvatel obcí") + "; výpočet sprss.")
    cli._write_table(result.table, cli.Format(fmt.value), output, "obce_bez_sluzby" if gaps else "pokryti", source_line)
    if output:
        cli.err.print(f"Zapsáno {len(result.table)} řádků do {output}.", highlight=False)
