"""Options several commands share, declared once so that their names and Czech help are the same everywhere."""
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.core.text import parse_date
from pipeline.render.export import Format


def date_option(name: str, help: str) -> Any:  # Any: what typer.Option returns
    """A date the analyst types as RRRR-MM-DD; parse_date raises SprssError, so a wrong one ends as the CLI's
    one Czech line rather than a click usage error."""
    return typer.Option(name, parser=parse_date, metavar="<RRRR-MM-DD>", help=help)


TerritoryOption = Annotated[str, typer.Option(
    "--territory", help="Území: obec:586846, orp:Jihlava, kraj:3107, stat:CZ nebo soubor YAML s vlastním územím "
                        "(vyhledání: sprss territories).")]
OnDateOption = Annotated[date | None, date_option("--date", "Den, ke kterému se počítá (jinak nejnovější importovaná data).")]
FileDateOption = Annotated[date | None, date_option("--date", "Referenční datum souboru, který ho sám neuvádí.")]
FormatOption = Annotated[Format, typer.Option("--format", help="csv, nebo xlsx (jen s --output).")]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", help="Výstupní soubor (bez něj se CSV nebo YAML vypíše na standardní výstup).")]
