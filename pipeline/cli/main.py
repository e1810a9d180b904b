"""Command line of sprss (Czech for the analyst; `sprss --help`): builds `app` from the command modules.

Modules only some commands need (requests, matplotlib, python-docx, papermill) are imported inside those
commands, so `sprss --help` and every other command start without them. The main callback puts one Context (data
dir, --debug, consoles) into click's ctx.obj for every command, and the app's group is the one error boundary: a
SprssError or a fault of the machine becomes one Czech line `Chyba: …` and exit code 1, a usage error one Czech
line and exit code 2 (cli/errors.py). Writers hold the data dir's lock (raw/guard.py).
"""
from collections.abc import Sequence
from datetime import date
from enum import Enum
import os
from pathlib import Path
import signal
import sys
from typing import Annotated, Any, NoReturn

import duckdb
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table
import typer
from typer import rich_utils
from typer._click import core as click_core
from typer._click import exceptions as usage
from typer.core import TyperGroup, TyperOption
import yaml

from pipeline import chapters
from pipeline.cli.context import Context
from pipeline.cli.errors import failure_text, print_error, usage_text
from pipeline.cli.financing import financing
from pipeline.cli.options import FileDateOption, FormatOption, OutputOption, TerritoryOption
from pipeline.cli.output import announce, write_table
from pipeline.cli.plan import plan_app
from pipeline.cli.projection import projection
from pipeline.cli.report import report as report_command
from pipeline.cli.report import warn_of_unnamed_codes
from pipeline.cli.services import catalogue, changes, coverage
from pipeline.cli.survey import survey_app
from pipeline.core import territory
from pipeline.core.config import data_dir
from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.core.text import czech_date, czech_number, parse_date, plural
from pipeline.indicators import demografie as indicators
from pipeline.indicators import financovani, metadata, pohyb, socialni
from pipeline.raw import guard, prirazeni
from pipeline.raw import snapshots as raw
from pipeline.render import export
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


def _czech_help_screens() -> None:
    """Typer ships no Czech translation: name the help panels and the --help option in Czech."""
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenty"
    rich_utils.OPTIONS_PANEL_TITLE = "Volby"
    rich_utils.COMMANDS_PANEL_TITLE = "Příkazy"
    english_help_option = click_core.Command.get_help_option

    def czech_help_option(command: click_core.Command, ctx: click_core.Context) -> TyperOption | None:
        option = english_help_option(command, ctx)
        if option is not None:
            option.help = "Zobrazit tuto nápovědu a skončit."
        return option
    # mypy types a function assigned to a class as an unbound method with an extra self
    click_core.Command.get_help_option = czech_help_option  # type: ignore[method-assign,assignment]


class FailsCleanly(TyperGroup):
    """The one error boundary of all commands, `survey` subcommands included (they run inside this group)."""

    def invoke(self, ctx: click_core.Context) -> Any:
        try:
            return super().invoke(ctx)
        except usage.ClickException:
            raise  # usage errors of subcommands: `main` below
        except BrokenPipeError:
            _output_closed()
        except KeyboardInterrupt:  # Ctrl+C: typer would exit 130 without a word
            print_error(Console(stderr=True), "Přerušeno.")
            raise typer.Exit(128 + signal.SIGINT) from None
        except Exception as exc:
            context = ctx.find_object(Context)
            text = str(exc) if isinstance(exc, SprssError) else failure_text(exc)
            if context is None or context.debug or text is None:
                raise
            print_error(context.err, text)
            raise typer.Exit(1) from None

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        """click's standalone mode, with its English usage errors replaced by one Czech line (exit code 2)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except usage.NoArgsIsHelpError as exc:  # the help was printed already
            raise SystemExit(exc.exit_code) from None
        except usage.UsageError as exc:
            print_error(Console(stderr=True), usage_text(exc))
            raise SystemExit(exc.exit_code) from None
        except usage.ClickException as exc:
            print_error(Console(stderr=True), "Příkaz nelze provést (chyba rozhraní příkazové řádky).")
            raise SystemExit(exc.exit_code) from None
        except typer.Abort:
            print_error(Console(stderr=True), "Přerušeno.")
            raise SystemExit(1) from None
        except BrokenPipeError:
            _output_closed()
        raise SystemExit(code if isinstance(code, int) else 0)


def _output_closed() -> NoReturn:
    """The reader of the output went away (`sprss … --help | head`): end quietly, as a Unix tool killed by SIGPIPE
    would (exit 141), and keep Python from reporting the unflushed rest on exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(128 + signal.SIGPIPE)


_czech_help_screens()
app = typer.Typer(cls=FailsCleanly,
                  help="sprss – analytická část plánů rozvoje sociálních služeb z veřejných dat ČSÚ a MPSV.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


class Level(str, Enum):
    uzemi = "uzemi"
    obec = "obec"
    vse = "vse"


class Domain(str, Enum):
    demografie = "demografie"
    socialni = "socialni"


class TerritoryLevel(str, Enum):
    """Levels of `sprss territories --level` (the selector prefixes of core/territory.py)."""
    obec = "obec"
    pou = "pou"
    orp = "orp"
    okres = "okres"
    kraj = "kraj"
    stat = "stat"


@app.callback()
def main(
    ctx: typer.Context,
    data_dir_option: Annotated[Path | None, typer.Option("--data-dir", help="Adresář dat (jinak $SPRSS_DATA_DIR, jinak ./data).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Při chybě vypsat celý traceback.")] = False,
) -> None:
    ctx.obj = Context(data_dir(data_dir_option), debug, out=Console(), err=Console(stderr=True, soft_wrap=True))
    guard.tidy_if_idle(ctx.obj.data)


def say(cli: Context, line: str) -> None:
    """A plain line on standard error: file names may hold `[…]`, which must not be read as markup."""
    cli.err.print(line, markup=False, highlight=False)


def store(cli: Context, snapshots: list[raw.Snapshot]) -> None:
    """Load the new snapshots together with data/raw; keep them only if the whole warehouse builds."""
    data, err = cli.data, cli.err
    with guard.writing(data, lambda line: say(cli, line)):
        for path in raw.redact_stored(data):
            say(cli, f"data/raw/{path}: ze snímku uloženého starší verzí sprss odstraněny osobní údaje "
                     "(původní sha256 a velikost jsou v záznamu o původu).")
        new = [s for s in snapshots if not raw.already_stored(s, data)]
        raw.check_not_twice(new, raw.recorded(data))

        def write_new() -> None:
            for snapshot in new:
                raw.write(snapshot, data)
        with err.status("Sestavuji sklad dat…") as status:
            counts = warehouse.build(data, new, progress=lambda name: status.update(escape(f"Načítám {name}…")),
                                     before_swap=write_new)
    for s in snapshots:
        state_text = "nový" if s in new else "už importován"
        say(cli, f"{s.name}: {s.meta.title}, k {czech_date(s.parsed.reference_date)} ({state_text}) → data/raw/{s.relative_path}")

    def rows(table: str) -> str:
        return plural(counts.get(table, 0), "řádek", "řádky", "řádků")
    say(cli, f"Sklad dat {data.warehouse}: {plural(counts.get('obce', 0), 'obec', 'obce', 'obcí')}, "
             f"{rows('populace_celkem')} počtu obyvatel, {rows('populace_vek')} věkového složení, "
             + plural(counts.get("sluzby", 0), "registrovaná sociální služba", "registrované sociální služby",
                      "registrovaných sociálních služeb") + ".")
    if counts.get("financovani_rozpocet"):
        with warehouse.connect(data) as con:
            unplaced = financovani.unplaced(con)
        if unplaced:
            shown = ", ".join(unplaced[:5]) + (f" a dalších {czech_number(len(unplaced) - 5)}" if len(unplaced) > 5 else "")
            what = (f"rozpočet účetní jednotky s IČO {shown} se nezapočítává" if len(unplaced) == 1 else
                    f"rozpočty účetních jednotek s IČO {shown} se nezapočítávají")
            say(cli, f"Upozornění: {what} do žádného území, protože IČO není přiřazeno k obci; přiřaďte ho volbou "
                     "--obec nebo souborem se záhlavím ico;obec_kod.")


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(help="Soubory stažené z ČSÚ/MPSV (XLSX, CSV, JSON).")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Vynutit zdroj (jinak se pozná podle obsahu).")] = None,
    reference: FileDateOption = None,
    listing: Annotated[Path | None, typer.Option(
        "--list", help="Soubor YAML se seznamem vstupů (klíče vstupy, vstupy_adresar), např. params.yaml.")] = None,
    base: Annotated[Path | None, typer.Option(
        "--base", help="Adresář, k němuž jsou cesty v --list relativní (jinak vstupy_adresar).")] = None,
    obec: Annotated[str | None, typer.Option(
        "--obec", help="Kód obce ČSÚ, k níž patří extrakt Monitoru státní pokladny jedné obce (FIN 2-12 M).")] = None,
) -> None:
    """Importovat soubory: rozpoznat zdroj, ověřit, uložit neměnný snímek do data/raw a přestavět sklad."""
    staged = [raw.stage(path, source, reference) for path in files or []]
    if obec is not None:
        staged += prirazeni.placements(staged, obec.strip())
    if listing:
        staged += [raw.stage(path, entry_source, entry_date) for path, entry_source, entry_date in _listed(listing, base)]
    if not staged:
        raise SprssError("Nic k importu: zadejte soubory nebo --list.")
    store(Context.of(ctx), staged)


LISTING_EXPECTED = "očekáván neprázdný seznam 'vstupy', každá položka se klíčem soubor (volitelně datum a zdroj)"


def _listed(listing: Path, base: Path | None) -> list[tuple[Path, str | None, date | None]]:
    """Inputs of a project (params.yaml `vstupy`): a path, optionally `zdroj` and `datum` for undated files."""
    try:
        spec = yaml.safe_load(listing.read_bytes().decode("utf-8-sig")) or {}
    except OSError as exc:
        raise SprssError(f"Seznam vstupů {listing} nelze přečíst: {czech_errno(exc.errno)}.") from None
    except UnicodeDecodeError:
        raise SprssError(f"Seznam vstupů {listing} není v kódování UTF-8; uložte ho jako UTF-8.") from None
    except yaml.YAMLError as exc:
        raise SprssError(f"Seznam vstupů {listing}: neplatný YAML ({str(exc).splitlines()[0]}).") from None
    entries = spec.get("vstupy") if isinstance(spec, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SprssError(f"Seznam vstupů {listing}: {LISTING_EXPECTED}.")
    listed = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("soubor"):
            raise SprssError(f"Seznam vstupů {listing}, položka č. {number} ({entry!r}): chybí klíč soubor; {LISTING_EXPECTED}.")
        source = entry.get("zdroj")
        listed.append((str(entry["soubor"]), str(source) if source else None,
                       parse_date(str(entry["datum"])) if entry.get("datum") else None))
    folder = spec.get("vstupy_adresar", ".")
    root = base or listing.parent / str(folder if folder else ".")
    return [(root / path, source, on) for path, source, on in listed]


@app.command()
def fetch(
    ctx: typer.Context,
    sources_: Annotated[list[str], typer.Argument(
        metavar="ZDROJ[:VYDÁNÍ]...", help="Např. csu_struktura_uzemi nebo csu_pocet_obyvatel:2024.")],
    mirror: Annotated[str | None, typer.Option("--mirror", help="Číst stejné cesty z místního adresáře nebo serveru.")] = None,
    reference: FileDateOption = None,
) -> None:
    """Stáhnout soubory z oficiálních adres (nebo zrcadla), ověřit je a importovat jako sprss import."""
    from pipeline.raw import fetch as downloads  # requests: only this command downloads

    cli = Context.of(ctx)
    with guard.writing(cli.data, lambda line: say(cli, line)):  # the download folder is under data/raw
        snapshots, keep_validators = downloads.fetch_all(sources_, cli.data, mirror=mirror, reference_date=reference,
                                                         report=lambda line: say(cli, line))
        if snapshots:
            store(cli, snapshots)
        keep_validators()


@app.command()
def build(ctx: typer.Context) -> None:
    """Přestavět sklad dat z neměnných snímků v data/raw (stejné snímky → stejné tabulky)."""
    store(Context.of(ctx), [])


def _territory_areas(con: duckdb.DuckDBPyConnection, selector: str, level: Level) -> tuple[territory.Territory, list[territory.Area]]:
    obce = load_obce(con)
    chosen = territory.resolve(selector, obce)
    head = [chosen.area]
    compare = territory.comparisons(chosen, obce)
    if level is Level.uzemi:
        return chosen, head + compare
    if level is Level.obec:
        return chosen, territory.obec_areas(chosen)
    return chosen, head + chosen.oblasti + territory.obec_areas(chosen) + compare


def _source_line() -> str:
    return metadata.source_line(metadata.source_titles())


@app.command("indicators")
def indicators_(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    level: Annotated[Level, typer.Option(
        "--level", case_sensitive=False, help="uzemi = území a srovnání, obec = jeho obce, vse = vše včetně oblastí.")] = Level.uzemi,
    fmt: FormatOption = export.Format.csv,
    output: OutputOption = None,
    domain: Annotated[Domain, typer.Option(
        "--domena", help="demografie, nebo socialni (exekuce, dávky, nezaměstnanost, bytová nouze).")] = Domain.demografie,
) -> None:
    """Demografické ukazatele území a pohybu obyvatel, nebo sociálně-ekonomické (--domena socialni), v dlouhém formátu
    (uzemi_typ, uzemi_kod, …, ukazatel, hodnota, jednotka)."""
    cli = Context.of(ctx)
    with warehouse.connect(cli.data) as con:
        _, areas = _territory_areas(con, territory_selector, level)
        if domain is Domain.socialni:
            table = pd.concat([socialni.compute(con, areas), socialni.housing(con, areas)], ignore_index=True)
            source = metadata.source_line(dict.fromkeys(z for i in metadata.catalogue(socialni.SECTION)
                                                        + metadata.catalogue(socialni.HOUSING_SECTION) for z in i.zdroj))
        else:
            table = indicators.compute(con, areas)
            movement = pohyb.compute(con, areas)  # empty until ČSÚ open data 130141 are imported
            if len(movement):
                table = pd.concat([table, movement], ignore_index=True)
            source = _source_line() if movement.empty else metadata.source_line([*metadata.source_titles(), "csu_opendata"])
    write_table(table, fmt, output, "ukazatele", source)
    announce(cli.err, output, f"{len(table)} řádků")


@app.command()
def territories(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Část názvu nebo kód (bez diakritiky stačí).")] = "",
    level: Annotated[TerritoryLevel | None, typer.Option(
        "--level", case_sensitive=False, help="Jen úroveň obec|pou|orp|okres|kraj|stat.")] = None,
) -> None:
    """Vyhledat území a vypsat jejich selektory pro --territory."""
    cli = Context.of(ctx)
    with warehouse.connect(cli.data) as con:
        found = territory.search(query, load_obce(con), level.value if level else None)
    if found.empty:
        raise SprssError(f"Žádné území neodpovídá {query!r}.")
    table = Table("selektor", "název", "okres", "kraj", "obcí")
    for row in found.itertuples():
        table.add_row(str(row.selektor), str(row.nazev), str(row.okres), str(row.kraj), str(row.pocet_obci))
    cli.out.print(table)


@app.command()
def run(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    files: Annotated[list[Path] | None, typer.Argument(help="Volitelně soubory k importu před výpočtem.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Adresář výstupů (jinak reports/<území>).")] = None,
) -> None:
    """Vše pro jedno území: import zadaných souborů, sestavení skladu, ukazatele a analytická část (každá kapitola,
    jejíž data sklad obsahuje, a společný dokument analyticka-cast.docx, .html a tabulky.xlsx)."""
    from pipeline.chapters.runner import render_all  # papermill is slow to import; only this command needs it
    from pipeline.render.combined import DOCUMENT
    cli = Context.of(ctx)
    if files:
        store(cli, [raw.stage(path) for path in files])
    elif not cli.data.warehouse.exists():
        store(cli, [])
    with warehouse.connect(cli.data) as con:
        chosen, areas = _territory_areas(con, territory_selector, Level.vse)
        table = indicators.compute(con, areas)
        present = chapters.present(con)
    target = out_dir or Path("reports") / chosen.slug
    write_table(table, export.Format.csv, target / "ukazatele.csv", "ukazatele", _source_line())
    write_table(table, export.Format.xlsx, target / "ukazatele.xlsx", "ukazatele", _source_line())
    _print_summary(cli.out, chosen, table)
    warn_of_unnamed_codes(cli)
    with cli.err.status(f"Počítám analytickou část: {', '.join(c.title for c in present)} (notebooky, grafy, Word)…"):
        target = render_all(territory_selector, target, cli.data)
    done = [f"  ukazatele   {target / 'ukazatele.csv'} (a .xlsx)",
            *(f"  {c.name:<11} {target / (c.subdir or c.name)}/" for c in present),
            f"  dokument    {target / DOCUMENT} (a analyticka-cast.html, tabulky.xlsx)"]
    cli.err.print(f"Hotovo – území {territory.of_area(chosen.area)}:\n" + "\n".join(done), highlight=False)


def _print_summary(out: Console, chosen: territory.Territory, table: pd.DataFrame) -> None:
    """Latest value of each indicator for the territory next to its comparison areas."""
    main_codes = {"obec", "oblast"}
    shown = table[~table["uzemi_typ"].isin(main_codes) | (table["uzemi_kod"] == chosen.area.kod)]
    latest = shown.sort_values("obdobi").groupby(["uzemi_typ", "uzemi_kod", "ukazatel"], sort=False).last().reset_index()
    columns = list(dict.fromkeys(zip(shown["uzemi_typ"], shown["uzemi_kod"], shown["uzemi_nazev"], strict=True)))
    grid = Table(title=f"{chosen.area.nazev} ({plural(len(chosen.obce), 'obec', 'obce', 'obcí')}): poslední dostupné hodnoty")
    grid.add_column("ukazatel")
    grid.add_column("k datu")
    for _, _, name in columns:
        grid.add_column(name, justify="right")
    meta = metadata.by_code()
    for code, indicator in meta.items():
        rows = latest[latest["ukazatel"] == code]
        if rows.empty:
            continue
        values = [rows[(rows.uzemi_typ == t) & (rows.uzemi_kod == k)]["hodnota"] for t, k, _ in columns]
        grid.add_row(indicator.nazev, rows["obdobi"].max(),
                     *[czech_number(v.iloc[0], 0 if float(v.iloc[0]).is_integer() else 1) if len(v) else "–" for v in values])
    out.print(grid)
    dates = sorted(table.loc[table["ukazatel"] == "obyvatel_celkem", "obdobi"].unique())
    crossed = [b for b in metadata.series_breaks() if dates and dates[0] < b.datum <= dates[-1]]
    if crossed:
        out.print(f"Pozn.: změna a index vývoje počtu obyvatel překračují zlomy řady ({'; '.join(b.popisek for b in crossed)}); "
                  "nejde jen o skutečný vývoj – viz studie.", highlight=False)


app.command("coverage")(coverage)
app.command("catalogue")(catalogue)
app.command("changes")(changes)
app.command("financing")(financing)
app.command("report")(report_command)
app.command("projection")(projection)
app.add_typer(survey_app, name="survey")
app.add_typer(plan_app, name="plan")
