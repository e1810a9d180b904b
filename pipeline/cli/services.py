"""`sprss coverage`, `sprss catalogue` and `sprss changes`: the command functions, registered in pipeline/cli.py."""
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline import sources
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.core.text import czech_date
from pipeline.indicators.sluzby import catalogue as catalogues
from pipeline.indicators.sluzby import changes as change_tables
from pipeline.indicators.sluzby import coverage as coverage_tables
from pipeline.render.export import Format, write_bytes
from pipeline.warehouse import build as warehouse


class CatalogueFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"
    html = "html"
    docx = "docx"


TERRITORY_HELP = "Území: obec:586846, orp:Jihlava, kraj:3107, stat:CZ nebo soubor YAML."
DECLARED_HELP = ("Zahrnout i terénní služby bez zařízení v území, které v registru deklarují působnost v jeho obcích "
                 "(výchozí); --located-only je vynechá.")


def coverage(
    territory_selector: Annotated[str, typer.Option("--territory", help=TERRITORY_HELP)],
    on_date: Annotated[Optional[str], typer.Option("--date", help="Datum RRRR-MM-DD, k němuž se služby počítají (jinak dnes).")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="Místo pokrytí vypsat obce území bez služby daného druhu a terénní služby, které v nich deklarují působnost.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="csv nebo xlsx.")] = Format.csv,
    output: Annotated[Optional[Path], typer.Option("--output", help="Výstupní soubor (CSV jinak na standardní výstup).")] = None,
):
    """Pokrytí území sociálními službami z registru MPSV: počet služeb, kapacita a kapacita na 1 000 cílové populace.

    Služba se v území počítá jednou, má-li tam k datu aspoň jedno zařízení v provozu, a vždy s celou registrovanou
    kapacitou (registr ji neuvádí po zařízeních, proto se mezi území nedělí). Kapacity různých jednotek se nesčítají.
    """
    from pipeline.cli import main as cli  # imported here because cli imports this module to register the command

    on = cli._parse_date(on_date) or date.today()
    with warehouse.connect(cli._data()) as con:
        obce = territory.load_obce(con)
        chosen = territory.resolve(territory_selector, obce)
        result = (coverage_tables.gaps(con, chosen, on) if gaps
                  else coverage_tables.compute(con, chosen, obce, on))
    for note in result.notes:
        cli.err.print(note, highlight=False)
    source_line = sources.source_line(f"{catalogues.SOURCE} (stav k {czech_date(result.registr_k)})",
                                      *([] if gaps else [sources.POPULATION_COUNTS]))
    cli._write_table(result.table, fmt, output, "obce_bez_sluzby" if gaps else "pokryti", source_line)
    if output:
        cli.err.print(f"Zapsáno {len(result.table)} řádků do {output}.", highlight=False)


def catalogue(
    territory_selector: Annotated[str, typer.Option("--territory", help=TERRITORY_HELP)],
    fmt: Annotated[CatalogueFormat, typer.Option("--format", help="xlsx, csv, html (jedna stránka s vyhledáváním, funguje offline) nebo docx.")],
    output: Annotated[Optional[Path], typer.Option("--output", help="Výstupní soubor (CSV jinak na standardní výstup).")] = None,
    on_date: Annotated[Optional[str], typer.Option("--date", help="Datum RRRR-MM-DD, k němuž jsou služby v poskytování (jinak dnes).")] = None,
    declared: Annotated[bool, typer.Option("--declared/--located-only", help=DECLARED_HELP)] = True,
):
    """Katalog sociálních služeb území podle registru MPSV: jedna položka na službu, řazeno podle druhu.

    Položka: služba a poskytovatel, druh, formy, cílové a věkové skupiny, kapacita s jednotkou, místa poskytování,
    kontakty a web. Jména osob registr obsahuje, ale do skladu dat ani do katalogu se nikdy nedostanou.
    """
    from pipeline.cli import main as cli  # imported here because cli imports this module to register the command

    if output is None and fmt is not CatalogueFormat.csv:
        raise SprssError(f"Formát {fmt.value} potřebuje soubor: přidejte --output SOUBOR.{fmt.value}.")
    on = cli._parse_date(on_date) or date.today()
    with warehouse.connect(cli._data()) as con:
        chosen = territory.resolve(territory_selector, territory.load_obce(con))
        result = catalogues.load(con, chosen, on, declared)
    for note in result.notes:
        cli.err.print(note, highlight=False)
    if result.services.empty:
        cli.err.print(f"V území {chosen.area.nazev} není k {czech_date(on)} v poskytování žádná registrovaná služba.",
                      highlight=False)
    write_bytes(catalogues.WRITERS[fmt.value](result), output)
    if output:
        cli.err.print(f"Zapsáno {len(result.services)} služeb do {output}.", highlight=False)


def changes(
    territory_selector: Annotated[str, typer.Option("--territory", help=TERRITORY_HELP)],
    date_from: Annotated[str, typer.Option("--from", help="Starší datum RRRR-MM-DD.")],
    date_to: Annotated[Optional[str], typer.Option("--to", help="Novější datum RRRR-MM-DD (jinak dnes).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="csv nebo xlsx.")] = Format.csv,
    output: Annotated[Optional[Path], typer.Option("--output", help="Výstupní soubor (CSV jinak na standardní výstup).")] = None,
    declared: Annotated[bool, typer.Option("--declared/--located-only", help=DECLARED_HELP)] = True,
):
    """Změny sociálních služeb území mezi dvěma daty: přidané, ukončené a změněné (kapacita, formy, zařízení).

    Každé datum se čte z vydání registru platného ten den; dva soubory rpss.json porovnáte tak, že oba
    importujete (sprss import rpss.json --date RRRR-MM-DD) a zadáte jejich data. Jeden řádek = jedna změna.
    """
    from pipeline.cli import main as cli  # imported here because cli imports this module to register the command

    before, after = cli._parse_date(date_from), cli._parse_date(date_to) or date.today()
    with warehouse.connect(cli._data()) as con:
        chosen = territory.resolve(territory_selector, territory.load_obce(con))
        result = change_tables.compare(con, chosen, before, after, declared)
    for note in result.notes:
        cli.err.print(note, highlight=False)
    source_line = sources.source_line(f"{catalogues.SOURCE} (stav k {czech_date(result.before.registr_k)} "
                                      f"a k {czech_date(result.after.registr_k)})")
    cli._write_table(result.table, fmt, output, "zmeny", source_line)
    if output:
        cli.err.print(f"Zapsáno {len(result.table)} změn do {output}.", highlight=False)
