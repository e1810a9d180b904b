"""`sprss plan init|evaluate`: the action plan workbook ("Tabulka akčního plánu") and its yearly evaluation.

Registered in pipeline/cli/main.py. The chapter's modules (matplotlib) and the notebook machinery (papermill,
nbconvert) are imported only when a plan command runs, so other commands start fast.
"""
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipeline.chapters import chapter as registered
from pipeline.cli.context import Context
from pipeline.cli.options import OnDateOption, OutputOption, TerritoryOption
from pipeline.cli.output import require_file
from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write

plan_app = typer.Typer(help="Akční plán: šablona tabulky aktivit a každoroční vyhodnocení plnění plánu.",
                       no_args_is_help=True)


@plan_app.command("init")
def init(
    ctx: typer.Context,
    output: OutputOption = None,
) -> None:
    """Šablona tabulky akčního plánu (--output SOUBOR.xlsx, existující soubor se nepřepíše): list Aktivity (s výběrem
    stavu), Plán, Návod a Ukazatele (platné kódy).

    Je-li importován registr MPSV a jeho číselníky, list Ukazatele vyjmenuje i druhy služeb a kombinace druhu,
    formy a typu kapacity z nejnovějšího vydání registru.
    """
    from pipeline.chapters.plan import workbook
    from pipeline.indicators import metadata
    from pipeline.indicators import plan as plan_indicators
    from pipeline.warehouse import build as warehouse

    cli = Context.of(ctx)
    require_file("xlsx", output)
    assert output is not None  # require_file stops without one
    if output.exists():
        raise SprssError(f"Soubor {output} už existuje; sprss plan init ho nepřepíše (zvolte jiný název).")
    names, combinations = {}, None
    if cli.data.warehouse.exists():
        with warehouse.connect(cli.data) as con:
            names = plan_indicators.type_names(con)
            combinations = plan_indicators.registry_measures(con)
    else:
        cli.err.print(f"Sklad dat {cli.data.warehouse} neexistuje: list {workbook.CODES_SHEET} uvádí demografické "
                      "ukazatele a tvar kódů registru, ne druhy služeb a kapacity z registru MPSV.", highlight=False)
    content = workbook.template(metadata.catalogue(), names, combinations)
    atomic_write(output, content)
    cli.err.print(f"Šablona tabulky akčního plánu: {output} (vyplňte list Aktivity a Plán; návod je na listu "
                  f"{workbook.INSTRUCTIONS_SHEET}).", highlight=False)


@plan_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Tabulka akčního plánu (XLSX; šablona: sprss plan init).")],
    territory_selector: TerritoryOption,
    on_date: OnDateOption = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Adresář výstupů (jinak reports/<území>/vyhodnoceni-planu).")] = None,
) -> None:
    """Vyhodnocení plnění plánu: doplní skutečnost a stav, zapíše vyplněný sešit a zprávu (DOCX, XLSX, HTML).

    Skutečnost se doplní u řádků s ukazatelem k nejbližšímu dostupnému datu (uvedeno v komentáři buňky); stav tam,
    kde ho zpracovatel nevyplnil. Co zapsal zpracovatel, se nikdy nepřepíše; vstupní sešit zůstane beze změny.
    """
    from pipeline.chapters.plan import data as plan_data
    from pipeline.chapters.plan import workbook
    from pipeline.chapters.runner import REPORTS, render_study
    from pipeline.render.notebook import PAGE

    cli = Context.of(ctx)
    on = on_date or date.today()
    d = plan_data.load(file, territory_selector, cli.data.root, on)  # every check before anything is written
    target = (out or REPORTS / d.evaluation.territory.slug / registered("plan").subdir).resolve()
    filled = target / workbook.FILLED
    if filled == file.resolve():
        raise SprssError(f"Výstup {filled} by přepsal vstupní sešit; zvolte jiný adresář --out.")
    content = workbook.filled(d.workbook, d.evaluation)
    with cli.err.status("Píšu zprávu Vyhodnocení plnění plánu (notebook, grafy, tabulky, Word)…"):
        render_study(territory_selector, target, cli.data, on, chapter="plan", params={"plan": str(file.resolve())})
    atomic_write(filled, content)
    for note in d.evaluation.notes:
        cli.err.print(note, highlight=False)
    for line in plan_data.summary(d):
        cli.err.print(line, highlight=False)
    cli.err.print(f"Hotovo: vyplněný sešit {filled}; zpráva {target / PAGE} (studie.docx a tabulky.xlsx ve stejném "
                  "adresáři).", highlight=False)
