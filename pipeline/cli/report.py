"""`sprss report`: the study of one territory, or one per ORP (POÚ, obec…) of a larger one; one chapter at a time.

Registered in pipeline/cli/main.py. The notebook machinery (papermill, nbconvert) is imported only when the
command runs, so other commands start fast.
"""
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from pipeline import chapters
from pipeline.cli.context import Context
from pipeline.cli.options import OnDateOption, TerritoryOption
from pipeline.core.text import plural

CHAPTER_NAMES = [c.name for c in chapters.for_territory()]
CHAPTER_HELP = "; ".join(f"{c.name} = {c.title[0].lower()}{c.title[1:]}" + (f" (do podadresáře {c.subdir}/)" if c.subdir else "")
                         for c in chapters.for_territory()) + "."


def _chapter_name(name: str | None) -> str | None:
    if name is not None and name not in CHAPTER_NAMES:
        raise typer.BadParameter(f"{name!r} není jedna z {', '.join(CHAPTER_NAMES)}.")
    return name


class Each(str, Enum):
    orp = "orp"
    pou = "pou"
    okres = "okres"
    obec = "obec"


def report(
    ctx: typer.Context,
    territory_selector: TerritoryOption,
    on_date: OnDateOption = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Adresář výstupů (jinak reports/<území>, u kapitoly sluzby reports/<území>/sluzby; "
                      "u --each adresář reports).")] = None,
    each: Annotated[Each | None, typer.Option(
        "--each", help="Studie pro každou jednotku této úrovně uvnitř území, např. --each orp pro všechna ORP kraje.")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="Počet souběžných procesů: studií u --each, jinak kapitol (výchozí počet jader).")] = None,
    chapter: Annotated[str | None, typer.Option(
        "--chapter", metavar="<" + "|".join(CHAPTER_NAMES) + ">", callback=_chapter_name,
        help="Jen jedna kapitola (jinak všechny a jeden společný dokument): " + CHAPTER_HELP)] = None,
    surveys: Annotated[list[str] | None, typer.Option(
        "--pruzkum", help="Přidat do společného dokumentu kapitolu importovaného průzkumu (lze opakovat).")] = None,
) -> None:
    """Analytická část území: každá kapitola, jejíž data sklad obsahuje, a jeden společný dokument
    analyticka-cast.docx, analyticka-cast.html a tabulky.xlsx (obsah, seznam grafů a tabulek, příloha Zdroje a metodika).

    S --chapter jen jedna kapitola: studie.html, grafy (PNG, SVG), tabulky.xlsx, studie.docx a studie.ipynb.
    Kapitola demografie je sociodemografická analýza; kapitola sluzby je analýza nabídky sociálních služeb
    z registru MPSV (bez --date ke dni nejnovějšího importovaného vydání registru).
    """
    from pipeline.chapters.runner import ALL, REPORTS, render_all, render_batch, render_study
    from pipeline.render.combined import DOCUMENT
    from pipeline.render.notebook import PAGE

    cli = Context.of(ctx)
    err = cli.err
    warn_of_unnamed_codes(cli)
    if each is None and chapter is None:
        target = render_all(territory_selector, out, cli.data, on_date, surveys, jobs)
        err.print(f"Analytická část je hotová: {target / DOCUMENT} (a .html, tabulky.xlsx; kapitoly v podadresářích).",
                  highlight=False)
        return
    if surveys:
        raise typer.BadParameter("--pruzkum patří ke společnému dokumentu jednoho území (bez --chapter a --each).")
    if each is None:
        target = render_study(territory_selector, out, cli.data, on_date, chapter or "demografie")
        err.print(f"Studie je hotová: {target / PAGE} (grafy, tabulky.xlsx a studie.docx ve stejném adresáři).",
                  highlight=False)
        return
    studies = render_batch(territory_selector, each.value, out, cli.data, jobs, on_date, console=err,
                           chapter=chapter or ALL)
    done = plural(len(studies), "studie", "studie", "studií")
    err.print(f"Hotovo: {done}; přehled: {Path(out or REPORTS).resolve() / 'index.html'}", highlight=False)


def warn_of_unnamed_codes(cli: Context) -> None:
    """Registry codes without names would reach the published text as 'neznámý druh 13': say so first."""
    from pipeline.indicators.sluzby.catalogue import unnamed_codes
    from pipeline.warehouse import build as warehouse

    with warehouse.connect(cli.data) as con:
        found = unnamed_codes(con) if warehouse.has_rows(con, "sluzby") else []
    absent = sorted({what for what, _, imported in found if not imported})
    if absent:
        cli.err.print(f"Upozornění: v podkladech chybí číselníky MPSV ({', '.join(absent)}); studie místo názvů uvede "
                      "kódy („neznámý druh 13“). Načtěte je: sprss fetch mpsv_ciselniky, nebo sprss import staženého "
                      "souboru.", markup=False, highlight=False)
    unknown = [f"{what} {code}" for what, code, imported in found if imported]
    if unknown:
        cli.err.print(f"Upozornění: číselníky MPSV neznají kódy, které registr používá ({', '.join(unknown)}); studie je "
                      "uvede jako neznámé.", markup=False, highlight=False)
