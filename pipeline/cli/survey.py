"""`sprss survey init|import|tabulate|report`: from a questionnaire export to validated, reproducible tables
and the chapter "Výsledky dotazníkového šetření"."""
from enum import Enum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from pipeline import sources
from pipeline.cli.context import Context
from pipeline.cli.options import FormatOption, OutputOption, TerritoryOption
from pipeline.cli.output import announce, require_file, write_tables
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.core.text import fold, plural
from pipeline.indicators import pruzkum as tables
from pipeline.raw import guard
from pipeline.raw import surveys as store
from pipeline.render import export
from pipeline.render.export import Format
from pipeline.sources.pruzkum import codebook, infer
from pipeline.sources.pruzkum.readers import read_export
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

survey_app = typer.Typer(help="Dotazníková šetření (analýza potřeb): kódovník, import odpovědí, tabulky.",
                         no_args_is_help=True)


class Weighting(str, Enum):
    none = "none"
    populace = "populace"


WeightOption = Annotated[Weighting, typer.Option(
    "--weight", help="none, nebo populace = poststratifikační váhy podle obce (a věku).")]


class Table(str, Enum):
    odpovedi = "odpovedi"
    reprezentativnost = "reprezentativnost"
    volne = "volne"
    vahy = "vahy"


@survey_app.command("init")
def init(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Export dotazníku (Google Forms CSV/XLSX, Survio/LimeSurvey XLSX, XLSX).")],
    output: OutputOption = None,
) -> None:
    """Navrhnout kódovník YAML z exportu: typy otázek, možnosti, Likertovy škály, věková pásma; k revizi analytikem."""
    cli = Context.of(ctx)
    content = _read(file)
    book = infer.draft(read_export(content, file.name), _obec_names(cli.data))
    text = codebook.dump(book, comment=f"Kódovník dotazníku odvozený z exportu {file.name} (sprss survey init).\n"
                                       "Zkontrolujte typy otázek, pořadí možností, hodnoty škál a věková pásma.")
    export.write_bytes(text.encode("utf-8"), output)
    if output:
        kinds = pd.Series([q.type for q in book.questions]).value_counts()
        cli.err.print(f"Kódovník {output}: {len(book.questions)} otázek ("
                      + ", ".join(f"{kind} {n}" for kind, n in kinds.items()) + ").", highlight=False)


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SprssError(f"Soubor {path} nelze přečíst: {czech_errno(exc.errno)}.") from None


def _obec_names(data: DataDir) -> set[str] | None:
    """Names of all obce when the warehouse exists, so that init knows the obec column by its answers too."""
    if not data.warehouse.exists():
        return None
    with warehouse.connect(data) as con:
        return set(load_obce(con)["obec_nazev"].map(fold))


@survey_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Export dotazníku.")],
    codebook_path: Annotated[Path, typer.Option("--codebook", help="Kódovník YAML (návrh: sprss survey init).")],
    territory_selector: TerritoryOption,
    name: Annotated[str, typer.Option("--name", help="Název průzkumu (malá písmena, číslice, -), např. obcane-2027.")],
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Soubor CSV s odmítnutými řádky (jinak data/processed/pruzkum/NÁZEV-odmitnute.csv).")] = None,
) -> None:
    """Ověřit všechny řádky, odmítnuté zapsat s důvodem, průzkum z území --territory uložit do data/raw a přestavět
    sklad (znovu = nahradit)."""
    cli = Context.of(ctx)
    data = cli.data
    survey = store.prepare(name, file, codebook_path, territory_selector)
    with warehouse.connect(data) as con:
        obce = load_obce(con)
    result = store.evaluate(survey, obce).result
    rejects_path = rejects or data.processed / "pruzkum" / f"{name}-odmitnute.csv"
    if result.respondents.empty:  # refused: the stored survey's rejects file stays as it is
        if rejects:
            export.write_bytes(export.to_csv_bytes(result.rejects), rejects)
        common = result.rejects["duvod"].value_counts() if len(result.rejects) else None
        reason = f"; nejčastější důvod: {common.index[0]}" if common is not None else ""
        where = f", důvody v {rejects}" if rejects else ", všechny důvody zapíše volba --rejects SOUBOR.csv"
        raise SprssError(f"Export {file.name}: žádný platný řádek ({len(result.rejects)} odmítnutých{reason}{where}); "
                         "průzkum nebyl uložen.")
    with guard.writing(data, lambda line: cli.err.print(line, markup=False, highlight=False)):
        with cli.err.status("Sestavuji sklad dat…"), store.replacing(survey, data) as folder:
            warehouse.build(data)
        export.write_bytes(export.to_csv_bytes(result.rejects), rejects_path)
    unused = f"; sloupce mimo kódovník: {', '.join(result.unused_columns)}" if result.unused_columns else ""
    cli.err.print(f"Průzkum {name}: platných odpovědí {len(result.respondents)}, odmítnutých {len(result.rejects)} "
                  f"(důvody v {rejects_path}), prázdných řádků {result.empty_rows} → {folder}{unused}", highlight=False)
    if survey.masked:
        rows = ", ".join(str(n) for n in survey.masked.rows[:10]) + (" …" if len(survey.masked.rows) > 10 else "")
        cli.err.print(f"Volné odpovědi: skryto možných jmen osob {survey.masked.names} (řádky {rows}); uložen je export "
                      "bez nich, původní soubor zůstává jen u vás.", markup=False, highlight=False)


@survey_app.command("tabulate")
def tabulate(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Název průzkumu (jak byl importován).")],
    by: Annotated[str | None, typer.Option("--by", help="Členění: obec, oblast, vek nebo id otázky z kódovníku.")] = None,
    weight: WeightOption = Weighting.none,
    fmt: FormatOption = Format.csv,
    table: Annotated[Table, typer.Option("--table", help="odpovedi, reprezentativnost, volne (volné odpovědi) nebo vahy; "
                                                          "jen u csv, xlsx má všechny tabulky jako listy.")] = Table.odpovedi,
    output: OutputOption = None,
) -> None:
    """Tabulky průzkumu: podíly s 95% intervaly (Wilson), Likertovy škály s průměry, reprezentativnost, volné odpovědi."""
    cli = Context.of(ctx)
    if fmt is Format.xlsx:
        require_file(fmt.value, output)
    with warehouse.connect(cli.data) as con:
        survey = tables.load(con, name)
        weights = tables.post_stratification(con, survey) if weight is Weighting.populace or table is Table.vahy \
            else None
        sheets = {"odpovedi": tables.answers_table(survey, by, weights.by_respondent
                                                   if weights is not None and weight is Weighting.populace else None),
                  "reprezentativnost": tables.representativeness(con, survey),
                  "volne": tables.free_text(survey)}
    flagged = sheets["volne"][sheets["volne"]["mozna_jmena"] != ""]
    if len(flagged):
        cli.err.print(f"Pozor: {plural(len(flagged), 'volná odpověď', 'volné odpovědi', 'volných odpovědí')} možná "
                      f"obsahuje jméno osoby (řádky {', '.join(map(str, flagged['radek']))}; sloupec mozna_jmena "
                      "tabulky volne); před zveřejněním je zkontrolujte.", markup=False, highlight=False)
    if weights is not None:
        sheets["vahy"] = weights.table
        cli.err.print(f"Váhy: buňky {weights.cells}, buňky s respondenty pokrývají "
                      f"{weights.coverage * 100:.1f} % obyvatel území.".replace(".", ",", 1), highlight=False)
    source = sources.source_line(f"{sources.meta('pruzkum').citation} {name} ({survey.meta['puvodni_nazev']})",
                                 sources.POPULATION_COUNTS)
    write_tables(sheets, fmt, output, source, table.value)
    announce(cli.err, output, f"{len(sheets['odpovedi' if fmt is Format.xlsx else table.value])} řádků")


@survey_app.command("report")
def report(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Název průzkumu (jak byl importován).")],
    out: Annotated[Path | None, typer.Option("--out", help="Adresář výstupů (jinak reports/<území>/pruzkum-<název>).")] = None,
    weight: WeightOption = Weighting.none,
) -> None:
    """Kapitola Výsledky dotazníkového šetření: studie.html, grafy (PNG, SVG), tabulky.xlsx, studie.docx a studie.ipynb.

    Území je území průzkumu z importu; čísla v tabulkách jsou táž jako u sprss survey tabulate se stejným --weight.
    """
    from pipeline.chapters.runner import render_study  # papermill is slow to import; only this command needs it
    from pipeline.render.notebook import PAGE

    cli = Context.of(ctx)
    data = cli.data
    with warehouse.connect(data) as con:
        selector = store.territory_selector(data, tables.load(con, name).meta)
    with cli.err.status("Počítám kapitolu průzkumu (notebook, grafy, tabulky, Word)…"):
        target = render_study(selector, out, data, chapter="pruzkum", params={"pruzkum": name, "vahy": weight.value})
    cli.err.print(f"Kapitola je hotová: {target / PAGE} (grafy, tabulky.xlsx a studie.docx ve stejném adresáři).",
                  highlight=False)
