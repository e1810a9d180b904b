"""`sprss coverage`, `sprss catalogue` and `sprss changes`: the command functions, registered in pipeline/cli/main.py.

The catalogue's writers (python-docx) are imported when the catalogue is written, so other commands start fast."""
from datetime import date
from enum import Enum
from typing import Annotated

import typer

from pipeline import sources
from pipeline.cli.context import Context
from pipeline.cli.options import FormatOption, OnDateOption, OutputOption, TerritoryOption, date_option
from pipeline.cli.output import announce, require_file, write_table
from pipeline.core import territory
from pipeline.core.text import czech_date
from pipeline.indicators.sluzby import catalogue as catalogues
from pipeline.indicators.sluzby import changes as change_tables
from pipeline.indicators.sluzby import coverage as coverage_tables
from pipeline.render.export import Format, write_bytes
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


class CatalogueFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"
    html = "html"
    docx = "docx"


DECLARED_HELP = ("Zahrnout i terénní služby bez zařízení v území, které v registru deklarují působnost v jeho obcích "
                 "(výchozí); --located-only je vynechá.")


def coverage(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    on_date: OnDateOption = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="Místo pokrytí vypsat obce území bez služby daného druhu a terénní služby, "
                                                      "které v nich deklarují působnost.")] = False,
    fmt: FormatOption = Format.csv,
    output: OutputOption = None,
) -> None:
    """Pokrytí území sociálními službami z registru MPSV: počet služeb, kapacita a kapacita na 1 000 cílové populace.

    Služba se v území počítá jednou, má-li tam k datu aspoň jedno zařízení v provozu, a vždy s celou registrovanou
    kapacitou (registr ji neuvádí po zařízeních, proto se mezi území nedělí). Kapacity různých jednotek se nesčítají.
    """
    cli = Context.of(ctx)
    on = on_date or date.today()
    with warehouse.connect(cli.data) as con:
        obce = load_obce(con)
        chosen = territory.resolve(territory_selector, obce)
        result = (coverage_tables.gaps(con, chosen, on) if gaps
                  else coverage_tables.compute(con, chosen, obce, on))
    for note in result.notes:
        cli.err.print(note, highlight=False)
    source_line = sources.source_line(f"{catalogues.SOURCE} (stav k {czech_date(result.registr_k)})",
                                      *([] if gaps else [sources.POPULATION_COUNTS]))
    write_table(result.table, fmt, output, "obce_bez_sluzby" if gaps else "pokryti", source_line)
    announce(cli.err, output, f"{len(result.table)} řádků")


def catalogue(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    fmt: Annotated[CatalogueFormat, typer.Option(
        "--format", help="xlsx, csv, html (jedna stránka s vyhledáváním, funguje offline) nebo docx; kromě csv jen s --output.")],
    output: OutputOption = None,
    on_date: OnDateOption = None,
    declared: Annotated[bool, typer.Option("--declared/--located-only", help=DECLARED_HELP)] = True,
) -> None:
    """Katalog sociálních služeb území podle registru MPSV: jedna položka na službu, řazeno podle druhu.

    Položka: služba a poskytovatel, druh, formy, cílové a věkové skupiny, kapacita s jednotkou, místa poskytování,
    kontakty a web. Jména osob registr obsahuje, ale do skladu dat ani do katalogu se nikdy nedostanou.
    """
    cli = Context.of(ctx)
    if fmt is not CatalogueFormat.csv:
        require_file(fmt.value, output)
    on = on_date or date.today()
    with warehouse.connect(cli.data) as con:
        chosen = territory.resolve(territory_selector, load_obce(con))
        result = catalogues.load(con, chosen, on, declared)
    for note in result.notes:
        cli.err.print(note, highlight=False)
    if result.services.empty:
        cli.err.print(f"V území {territory.of_area(chosen.area)} není k {czech_date(on)} v poskytování žádná registrovaná služba.",
                      highlight=False)
    from pipeline.chapters.sluzby import catalogue as catalogue_files  # python-docx: only this command writes Word

    write_bytes(catalogue_files.WRITERS[fmt.value](result), output)
    announce(cli.err, output, f"{len(result.services)} služeb")


def changes(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    before: Annotated[date, date_option("--from", "Starší datum.")],
    date_to: Annotated[date | None, date_option("--to", "Novější datum (jinak dnes).")] = None,
    fmt: FormatOption = Format.csv,
    output: OutputOption = None,
    declared: Annotated[bool, typer.Option("--declared/--located-only", help=DECLARED_HELP)] = True,
) -> None:
    """Změny sociálních služeb území mezi dvěma daty: přidané, ukončené a změněné (kapacita, formy, zařízení).

    Každé datum se čte z vydání registru platného ten den; dva soubory rpss.json porovnáte tak, že oba
    importujete (sprss import rpss.json --date RRRR-MM-DD) a zadáte jejich data. Jeden řádek = jedna změna.
    """
    cli = Context.of(ctx)
    after = date_to or date.today()
    with warehouse.connect(cli.data) as con:
        chosen = territory.resolve(territory_selector, load_obce(con))
        result = change_tables.compare(con, chosen, before, after, declared)
    for note in result.notes:
        cli.err.print(note, highlight=False)
    source_line = sources.source_line(f"{catalogues.SOURCE} (stav k {czech_date(result.before.registr_k)} "
                                      f"a k {czech_date(result.after.registr_k)})")
    write_table(result.table, fmt, output, "zmeny", source_line)
    announce(cli.err, output, f"{len(result.table)} změn")
