"""`sprss projection`: the projected population of a territory (and its comparison areas), registered in main.py."""
from typing import Annotated

import typer

from pipeline import sources
from pipeline.cli.context import Context
from pipeline.cli.options import FormatOption, OutputOption, TerritoryOption
from pipeline.cli.output import announce, write_table
from pipeline.core import territory
from pipeline.indicators import projekce
from pipeline.render.export import Format
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


def projection(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    to_year: Annotated[int | None, typer.Option("--to", metavar="<RRRR>",
                                                help="Poslední rok projekce (jinak poslední rok projekce ČSÚ).")] = None,
    varianta: Annotated[str, typer.Option("--varianta", help="Varianta projekce ČSÚ: stredni, nizka, nebo vysoka.")]
    = "stredni",
    fmt: FormatOption = Format.csv,
    output: OutputOption = None,
) -> None:
    """Projekce počtu obyvatel území a jeho srovnávacích území (kraj, ČR) k 1. 1. každého roku, v dlouhém formátu
    jako sprss indicators (ukazatele projekce_obyvatel_*).

    Každá obec si ponechává svůj podíl na každém ročníku narození z poslední věkové struktury a ročník stárne podle
    projekce ČSÚ pro ČR (nebo kraj, má-li ji sklad); součet obcí ČR je tedy projekce ČSÚ.
    """
    cli = Context.of(ctx)
    with warehouse.connect(cli.data) as con:
        obce = load_obce(con)
        chosen = territory.resolve(territory_selector, obce)
        areas = [chosen.area, *chosen.oblasti, *territory.comparisons(chosen, obce)]
        inputs = projekce.load(con, varianta)
    table = projekce.compute(inputs, areas, to_year)
    write_table(table, fmt, output, "projekce", sources.source_line(*projekce.source_line_parts(inputs)))
    announce(cli.err, output, f"{len(table)} řádků")
