"""Command line of sprss (Czech for the analyst; `sprss --help`)."""
from datetime import date
from enum import Enum
import functools
from pathlib import Path
import sys
from typing import Annotated, Optional

import pandas as pd
from rich.console import Console
from rich.table import Table
import typer
from typer import rich_utils
from typer._click import core as click_core
import yaml

from pipeline.cli.report import report as report_command
from pipeline.cli.services import catalogue, changes, coverage
from pipeline.cli.survey import survey_app
from pipeline.core import territory
from pipeline.core.config import DataDir, data_dir
from pipeline.core.errors import SprssError
from pipeline.core.text import czech_date, czech_number
from pipeline.indicators import demografie as indicators
from pipeline.indicators import metadata
from pipeline.raw import fetch as downloads
from pipeline.raw import snapshots as raw
from pipeline.render import export
from pipeline.warehouse import build as warehouse


def _czech_help_screens() -> None:
    """Typer ships no Czech translation: name the help panels and the --help option in Czech."""
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenty"
    rich_utils.OPTIONS_PANEL_TITLE = "Volby"
    rich_utils.COMMANDS_PANEL_TITLE = "Příkazy"
    english_help_option = click_core.Command.get_help_option

    def czech_help_option(command, ctx):
        option = english_help_option(command, ctx)
        if option is not None:
            option.help = "Zobrazit tuto nápovědu a skončit."
        return option
    click_core.Command.get_help_option = czech_help_option


_czech_help_screens()
app = typer.Typer(help="sprss – analytická část plánů rozvoje sociálních služeb z veřejných dat ČSÚ a MPSV.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True, soft_wrap=True)
out = Console()
state: dict = {"data": None, "debug": False}


class Level(str, Enum):
    uzemi = "uzemi"
    obec = "obec"
    vse = "vse"


def _data() -> DataDir:
    return state["data"]


def fails_cleanly(command):
    """One Czech line and exit code 1 instead of a traceback (unless --debug)."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SprssError as exc:
            if state["debug"]:
                raise
            err.print(f"[bold red]Chyba:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
    return wrapper


@app.callback()
def main(
    data_dir_option: Annotated[Optional[Path], typer.Option("--data-dir", help="Adresář dat (jinak $SPRSS_DATA_DIR, jinak ./data).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Při chybě vypsat celý traceback.")] = False,
):
    state["data"] = data_dir(data_dir_option)
    state["debug"] = debug


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SprssError(f"Neplatné datum {value!r}; očekáváno RRRR-MM-DD.") from None


def store(snapshots: list[raw.Snapshot]) -> None:
    """Load the new snapshots together with data/raw; keep them only if the whole warehouse builds."""
    data = _data()
    new = [s for s in snapshots if not raw.already_stored(s, data)]
    with err.status("Sestavuji sklad dat…") as status:
        counts = warehouse.build(data, new, progress=lambda name: status.update(f"Načítám {name}…"),
                                 before_swap=lambda: [raw.write(s, data) for s in new])
    for s in snapshots:
        state_text = "nový" if s in new else "už importován"
        err.print(f"{s.name}: {s.meta.title}, k {czech_date(s.parsed.reference_date)} ({state_text}) → data/raw/{s.relative_path}",
                  highlight=False)
    err.print(f"Sklad dat {data.warehouse}: {counts.get('obce', 0)} obcí, "
              f"{counts.get('populace_celkem', 0)} řádků počtu obyvatel, {counts.get('populace_vek', 0)} řádků věkového složení, "
              f"{counts.get('sluzby', 0)} registrovaných sociálních služeb.",
              highlight=False)


@app.command("import")
@fails_cleanly
def import_(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Soubory stažené z ČSÚ/MPSV (XLSX, CSV, JSON).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Vynutit zdroj (jinak se pozná podle obsahu).")] = None,
    on_date: Annotated[Optional[str], typer.Option("--date", help="Referenční datum RRRR-MM-DD, není-li v souboru.")] = None,
    listing: Annotated[Optional[Path], typer.Option("--list", help="Soubor YAML se seznamem vstupů (klíče vstupy, vstupy_adresar), např. params.yaml.")] = None,
    base: Annotated[Optional[Path], typer.Option("--base", help="Adresář, k němuž jsou cesty v --list relativní (jinak vstupy_adresar).")] = None,
):
    """Importovat soubory: rozpoznat zdroj, ověřit, uložit neměnný snímek do data/raw a přestavět sklad."""
    reference = _parse_date(on_date)
    staged = [raw.stage(path, source, reference) for path in files or []]
    if listing:
        staged += [raw.stage(path, entry_source, entry_date) for path, entry_source, entry_date in _listed(listing, base)]
    if not staged:
        raise SprssError("Nic k importu: zadejte soubory nebo --list.")
    store(staged)


def _listed(listing: Path, base: Optional[Path]) -> list[tuple[Path, Optional[str], Optional[date]]]:
    """Inputs of a project (params.yaml `vstupy`): a path, optionally `zdroj` and `datum` for undated files."""
    try:
        spec = yaml.safe_load(listing.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SprssError(f"Seznam vstupů {listing} nelze přečíst: {exc}.") from exc
    entries = spec.get("vstupy")
    if not isinstance(entries, list) or not entries:
        raise SprssError(f"Seznam vstupů {listing}: očekáván neprázdný seznam 'vstupy' (položky soubor, volitelně datum a zdroj).")
    root = base or listing.parent / str(spec.get("vstupy_adresar", "."))
    return [(root / str(e["soubor"]), e.get("zdroj"), _parse_date(str(e["datum"])) if e.get("datum") else None)
            for e in entries]


@app.command()
@fails_cleanly
def fetch(
    sources_: Annotated[list[str], typer.Argument(metavar="ZDROJ[:VYDÁNÍ]...", help="Např. csu_struktura_uzemi nebo csu_pocet_obyvatel:2024.")],
    mirror: Annotated[Optional[str], typer.Option("--mirror", help="Číst stejné cesty z místního adresáře nebo serveru.")] = None,
    on_date: Annotated[Optional[str], typer.Option("--date", help="Referenční datum RRRR-MM-DD, není-li v souboru.")] = None,
):
    """Stáhnout soubory z oficiálních adres (nebo zrcadla), ověřit je a importovat jako sprss import."""
    snapshots, keep_validators = downloads.fetch_all(sources_, _data(), mirror=mirror, reference_date=_parse_date(on_date),
                                                     report=lambda line: err.print(line, highlight=False))
    if snapshots:
        store(snapshots)
    keep_validators()


@app.command()
@fails_cleanly
def build():
    """Přestavět sklad dat z neměnných snímků v data/raw (stejné snímky → stejné tabulky)."""
    store([])


def _territory_areas(con, selector: str, level: Level) -> tuple[territory.Territory, list[territory.Area]]:
    obce = territory.load_obce(con)
    chosen = territory.resolve(selector, obce)
    head = [chosen.area]
    compare = territory.comparisons(chosen, obce)
    if level is Level.uzemi:
        return chosen, head + compare
    if level is Level.obec:
        return chosen, territory.obec_areas(chosen)
    return chosen, head + chosen.oblasti + territory.obec_areas(chosen) + compare


def _write_table(table: pd.DataFrame, fmt: export.Format, output: Optional[Path], sheet: str, source_line: str) -> None:
    if fmt is export.Format.xlsx and output is None:
        raise SprssError("Formát xlsx potřebuje soubor: přidejte --output SOUBOR.xlsx.")
    content = export.to_csv_bytes(table) if fmt is export.Format.csv else export.to_xlsx_bytes({sheet: table}, source_line)
    export.write_bytes(content, output)


def _source_line() -> str:
    return metadata.source_line(metadata.source_titles())


@app.command("indicators")
@fails_cleanly
def indicators_(
    territory_selector: Annotated[str, typer.Option("--territory", help="Území: obec:586846, orp:Jihlava, kraj:3107, stat:CZ nebo soubor YAML.")],
    level: Annotated[Level, typer.Option("--level", help="uzemi = území a srovnání, obec = jeho obce, vse = vše včetně oblastí.")] = Level.uzemi,
    fmt: Annotated[export.Format, typer.Option("--format", help="csv nebo xlsx.")] = export.Format.csv,
    output: Annotated[Optional[Path], typer.Option("--output", help="Výstupní soubor (CSV jinak na standardní výstup).")] = None,
):
    """Demografické ukazatele území v dlouhém formátu (uzemi_typ, uzemi_kod, …, ukazatel, hodnota, jednotka)."""
    with warehouse.connect(_data()) as con:
        _, areas = _territory_areas(con, territory_selector, level)
        table = indicators.compute(con, areas)
    _write_table(table, fmt, output, "ukazatele", _source_line())
    if output:
        err.print(f"Zapsáno {len(table)} řádků do {output}.", highlight=False)


@app.command()
@fails_cleanly
def territories(
    query: Annotated[str, typer.Argument(help="Část názvu nebo kód (bez diakritiky stačí).")] = "",
    level: Annotated[Optional[str], typer.Option("--level", help="Jen úroveň obec|pou|orp|okres|kraj|stat.")] = None,
):
    """Vyhledat území a vypsat jejich selektory pro --territory."""
    with warehouse.connect(_data()) as con:
        found = territory.search(query, territory.load_obce(con), level)
    if found.empty:
        raise SprssError(f"Žádné území neodpovídá {query!r}.")
    table = Table("selektor", "název", "okres", "kraj", "obcí")
    for row in found.itertuples():
        table.add_row(row.selektor, row.nazev, row.okres, row.kraj, str(row.pocet_obci))
    out.print(table)


@app.command()
@fails_cleanly
def run(
    territory_selector: Annotated[str, typer.Option("--territory", help="Území (viz sprss territories).")],
    files: Annotated[Optional[list[Path]], typer.Argument(help="Volitelně soubory k importu před výpočtem.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Adresář výstupů (jinak reports/<území>).")] = None,
):
    """Vše pro jedno území: import zadaných souborů, sestavení skladu, ukazatele, sociodemografická studie a (je-li importován registr MPSV) analýza nabídky služeb."""
    from pipeline.render.notebook import PAGE, render_study  # papermill is slow to import; only this command needs it
    if files:
        store([raw.stage(path) for path in files])
    elif not _data().warehouse.exists():
        store([])
    with warehouse.connect(_data()) as con:
        chosen, areas = _territory_areas(con, territory_selector, Level.vse)
        table = indicators.compute(con, areas)
        has_registry = con.execute("SELECT count(*) FROM sluzby").fetchall()[0][0] > 0
    target = out_dir or Path("reports") / chosen.slug
    _write_table(table, export.Format.csv, target / "ukazatele.csv", "ukazatele", _source_line())
    _write_table(table, export.Format.xlsx, target / "ukazatele.xlsx", "ukazatele", _source_line())
    _print_summary(chosen, table)
    with err.status("Počítám studii (notebook, grafy, tabulky, Word)…"):
        render_study(territory_selector, target, _data())
    done = [f"  studie   {target / PAGE}", f"  Word     {target / 'studie.docx'}",
            f"  tabulky  {target / 'tabulky.xlsx'}", f"  grafy    {target / 'grafy'}", f"  ukazatele {target / 'ukazatele.csv'}"]
    if has_registry:
        with err.status("Počítám kapitolu o nabídce sociálních služeb…"):
            render_study(territory_selector, target / "sluzby", _data(), chapter="sluzby")
        done.append(f"  služby   {target / 'sluzby' / PAGE}")
    err.print(f"Hotovo – území {chosen.area.nazev}:\n" + "\n".join(done), highlight=False)


def _print_summary(chosen: territory.Territory, table: pd.DataFrame) -> None:
    """Latest value of each indicator for the territory next to its comparison areas."""
    main_codes = {"obec", "oblast"}
    shown = table[~table["uzemi_typ"].isin(main_codes) | (table["uzemi_kod"] == chosen.area.kod)]
    latest = shown.sort_values("obdobi").groupby(["uzemi_typ", "uzemi_kod", "ukazatel"], sort=False).last().reset_index()
    columns = list(dict.fromkeys(zip(shown["uzemi_typ"], shown["uzemi_kod"], shown["uzemi_nazev"])))
    grid = Table(title=f"{chosen.area.nazev} ({len(chosen.obce)} obcí): poslední dostupné hodnoty")
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


app.command("coverage")(fails_cleanly(coverage))
app.command("catalogue")(fails_cleanly(catalogue))
app.command("changes")(fails_cleanly(changes))
app.command("report")(fails_cleanly(report_command))
app.add_typer(survey_app, name="survey")


if __name__ == "__main__":
    sys.exit(app())
