"""Render a chapter for one territory, or one per ORP (POÚ, obec…) of a larger territory with an index page.

The chapter's notebook is the single place of its text; here it gets its territory, output folder and title,
and render.notebook runs it. Batches run in parallel processes.
"""
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
import html
import multiprocessing
import os
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.chapters import Chapter
from pipeline.chapters import chapter as registered
from pipeline.core import territory
from pipeline.core.config import DataDir, data_dir
from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write
from pipeline.core.territory import Area, Territory, label
from pipeline.core.text import collation_key, czech_iso, czech_number, parse_date, plural
from pipeline.indicators import demografie as indicators
from pipeline.render.notebook import PAGE, NotebookFailed, render
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

REPORTS = Path("reports")


def render_study(selector: str, out_dir: Path | str | None, data: DataDir, datum: str | date | None = None,
                 chapter: str = "demografie", params: dict[str, str] | None = None) -> Path:
    """Execute a chapter notebook for one territory; returns the output directory with all its files.

    `params` are the chapter's own notebook parameters (the survey's name); they also fill its subdir.
    """
    spec = _with_parameters(chapter, params)
    day = parse_date(datum)
    with warehouse.connect(data) as con:
        chosen = territory.resolve(selector, load_obce(con))
    out = Path(out_dir or REPORTS / chosen.slug / spec.subdir.format(**(params or {}))).resolve()
    parameters = {"uzemi": str(Path(selector).resolve()) if territory.is_territory_file(selector) else selector,
                  "datum": day.isoformat() if day else None, "data_dir": str(data.root), "out_dir": str(out),
                  **(params or {})}
    try:
        return render(spec.notebook, out, parameters, f"{spec.title}: {label(chosen.area)}")
    except NotebookFailed as exc:
        raise SprssError(f"Studie území {label(chosen.area)} selhala v buňce {exc.cell} notebooku {exc.notebook}: "
                         f"{exc.ename}: {exc.evalue} (podrobnosti v {exc.executed}).") from None


def _with_parameters(name: str, params: dict[str, str] | None) -> Chapter:
    """The registered chapter, given exactly its own parameters (a survey chapter needs the survey's name)."""
    spec = registered(name)
    if sorted(params or {}) != sorted(spec.parameters):
        raise SprssError(f"Kapitola {name} má parametry {', '.join(spec.parameters) or 'žádné'}, "
                         f"zadány byly {', '.join(params or {}) or 'žádné'}.")
    return spec


def _render_one(job: tuple[str, str, str, date | None, str]) -> Path:
    selector, out_dir, data_root, day, chapter = job
    return render_study(selector, out_dir, data_dir(data_root), day, chapter)


def render_batch(selector_parent: str, each: str, out_root: Path | str | None, data: DataDir, jobs: int | None = None,
                 datum: str | date | None = None, console: Console | None = None,
                 chapter: str = "demografie") -> list[Path]:
    """One study per `each` unit (e.g. every ORP of a kraj) in parallel processes, plus out_root/index.html.

    Workers are spawned, not forked: a fork would copy the progress bar's thread and open DuckDB handles.
    """
    if each not in territory.LEVELS:
        raise SprssError(f"Neplatná úroveň {each!r}; očekávána jedna z {', '.join(territory.LEVELS)}.")
    spec = _with_parameters(chapter, None)
    day = parse_date(datum)
    root = Path(out_root or REPORTS).resolve()
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        parent = territory.resolve(selector_parent, obce)
        code_col, _ = territory.LEVELS[each]
        children = [territory.resolve(f"{each}:{kod}", obce) for kod in parent.obce[code_col].drop_duplicates()]
        children.sort(key=lambda t: collation_key(t.area.nazev))
        latest = _latest_population(con, [c.area for c in children])
    if not children:
        raise SprssError(f"Území {label(parent.area)} nemá žádné jednotky úrovně {each}.")
    jobs = jobs or os.cpu_count() or 1
    results: dict[str, Path | SprssError] = {}
    work = {c.area.kod: (f"{each}:{c.area.kod}", str(root / c.slug / spec.subdir), str(data.root), day, chapter)
            for c in children}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress, \
            ProcessPoolExecutor(min(jobs, len(work)), multiprocessing.get_context("spawn")) as pool:
        task = progress.add_task(f"Studie {label(parent.area)}", total=len(work))
        futures = {pool.submit(_render_one, job): kod for kod, job in work.items()}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except SprssError as exc:
                results[futures[future]] = exc
            progress.advance(task)
    index = _index(parent, children, results, latest, root, spec.batch_title)
    atomic_write(root / "index.html", index.encode("utf-8"))
    failed = [(c, result) for c in children if isinstance(result := results[c.area.kod], SprssError)]
    if failed:
        raise SprssError(f"{len(failed)} z {len(children)} studií selhalo (přehled v {root / 'index.html'}): "
                         + "; ".join(f"{label(c.area)}: {exc}" for c, exc in failed))
    return [result for c in children if isinstance(result := results[c.area.kod], Path)]


def _latest_population(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> dict[str, tuple[float, str]]:
    table = indicators.compute(con, areas)
    rows = table[table["ukazatel"] == "obyvatel_celkem"].sort_values("obdobi").groupby("uzemi_kod").last()
    return {str(kod): (float(row.hodnota), str(row.obdobi)) for kod, row in rows.iterrows()}


def _index(parent: Territory, children: list[Territory], results: dict[str, Path | SprssError],
           latest: dict[str, tuple[float, str]], out_root: Path, heading: str) -> str:
    """The summary page of a batch: every study with its territory, obce and population, linked relatively."""
    rows = []
    for child in children:
        result = results[child.area.kod]
        name = html.escape(label(child.area))
        link = (f'<a href="{html.escape(Path(result, PAGE).relative_to(out_root).as_posix())}">{name}</a>'
                if isinstance(result, Path) else f'{name} <span class="chyba">(chyba: {html.escape(str(result))})</span>')
        population, obdobi = latest.get(child.area.kod, (None, None))
        rows.append(f"<tr><td>{link}</td><td class='cislo'>{len(child.obce)}</td>"
                    f"<td class='cislo'>{czech_number(population) if population is not None else '–'}</td>"
                    f"<td>{czech_iso(obdobi) if obdobi else '–'}</td></tr>")
    title = html.escape(f"{heading}: {label(parent.area)}")
    contents = (f"{plural(len(children), 'studie', 'studie', 'studií')}; každá obsahuje stránku studie, grafy (PNG, SVG), "
                "tabulky (XLSX) a dokument Word.")
    return f"""<!DOCTYPE html>
<html lang="cs">
<head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; }} th, td {{ padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }}
td.cislo {{ text-align: right; }} th {{ background: #e8eef4; }} .chyba {{ color: #b00020; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{contents}</p>
<table><thead><tr><th>Území</th><th>Obcí</th><th>Počet obyvatel</th><th>K datu</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
