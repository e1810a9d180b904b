"""`sprss financing`: municipal spending on social services (FIN 2-12 M) of a territory, registered in main.py."""
from enum import Enum
from typing import Annotated

import typer

from pipeline.cli.context import Context
from pipeline.cli.options import FormatOption, OutputOption, TerritoryOption
from pipeline.cli.output import announce, write_tables
from pipeline.core import territory
from pipeline.indicators import financovani, metadata
from pipeline.render.export import Format
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


class Table(str, Enum):
    ukazatele = "ukazatele"
    paragrafy = "paragrafy"


def financing(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    table: Annotated[Table, typer.Option(
        "--table", help="ukazatele (území, jeho obce a srovnání) nebo paragrafy (§ 43xx území); XLSX obsahuje obojí.")]
        = Table.ukazatele,
    fmt: FormatOption = Format.csv,
    output: OutputOption = None,
) -> None:
    """Výdaje obcí na sociální oblast (§ 4300–4399) z Monitoru státní pokladny: celkem, na obyvatele, na obyvatele 65+
    a podíl na výdajích, podle skutečnosti, schváleného a upraveného rozpočtu.

    Za území se sčítají jen obce, které mají za daný rok rozpočet ve skladu dat; každý řádek uvádí jejich počet
    (obci_s_udaji) a počet všech obcí území (obci_celkem).
    """
    cli = Context.of(ctx)
    with warehouse.connect(cli.data) as con:
        obce = load_obce(con)
        chosen = territory.resolve(territory_selector, obce)
        parts = territory.obec_areas(chosen) if chosen.area.typ != "obec" else []
        areas = [chosen.area, *parts, *territory.comparisons(chosen, obce)]
        sheets = {Table.ukazatele.value: financovani.compute(con, areas),
                  Table.paragrafy.value: financovani.paragraphs(con, [chosen.area])}
    source = metadata.source_line(i.kod for i in metadata.financing())
    write_tables(sheets, fmt, output, source, table.value)
    announce(cli.err, output, f"{len(sheets[table.value])} řádků")
