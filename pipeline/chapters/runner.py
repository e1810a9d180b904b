"""Render a chapter for one territory, or one per ORP (POÚ, obec…) of a larger territory with an index page.

The chapter's notebook is the single place of its text; here it gets its territory, output folder and title,
and render.notebook runs it. Batches run in parallel processes.
"""
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from functools import partial
import html
import multiprocessing
import os
from pathlib import Path
from typing import cast

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline import chapters
from pipeline.chapters import Chapter
from pipeline.chapters import chapter as registered
from pipeline.core import territory
from pipeline.core.config import DataDir, data_dir
from pipeline.core.errors import SprssError
from pipeline.core.files import atomic_write
from pipeline.core.territory import Area, Territory, label, of_area
from pipeline.core.text import collation_key, czech_iso, czech_number, parse_date, plural, typeset
from pipeline.indicators import demografie as indicators
from pipeline.indicators import small_bases
from pipeline.indicators.metadata import by_code as indicators_meta
from pipeline.render import combined
from pipeline.render.document import DOCUMENT, WORKBOOK
from pipeline.render.notebook import PAGE, NotebookFailed, render
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

REPORTS = Path("reports")
ALL = "vse"  # every chapter whose input the warehouse holds, combined into one document
SURVEY = "pruzkum"  # the chapter rendered once per survey named with --pruzkum


def render_all(selector: str, out_dir: Path | str | None, data: DataDir, datum: str | date | None = None,
               surveys: list[str] | None = None, jobs: int | None = None) -> Path:
    """Every chapter with its input in the warehouse (and the named surveys), each into its own folder below
    out_dir, then the combined document `analyticka-cast.docx|html` and `tabulky.xlsx` in out_dir itself.
    The chapters run on `jobs` processes at once (default: one per core)."""
    with warehouse.connect(data) as con:
        chosen = territory.resolve(selector, load_obce(con))
        present = chapters.present(con)
    out = Path(out_dir or REPORTS / chosen.slug).resolve()
    studies: list[tuple[str, dict[str, str] | None, Path]] = [(c.name, None, out / (c.subdir or c.name)) for c in present]
    for name in surveys or []:
        params = {"pruzkum": name, "vahy": "none"}  # the survey chapter's parameters, unweighted
        studies.append((SURVEY, params, out / registered(SURVEY).subdir.format(**params)))
    day = parse_date(datum)
    parts = _render_chapters(partial(_render_chapter, selector, str(data.root), day), studies, jobs or os.cpu_count() or 1)
    subtitle = ("Podklad pro plán rozvoje sociálních služeb" + (f" k {czech_iso(day.isoformat())}" if day else "")
                + f"; {plural(len(parts), 'kapitola', 'kapitoly', 'kapitol')} z veřejných dat"
                + (" a dotazníkového šetření." if surveys else "."))
    combined.combine(parts, out, f"Analytická část: {label(chosen.area)}", subtitle)
    return out


def _render_chapter(selector: str, data_root: str, day: date | None,
                    study: tuple[str, dict[str, str] | None, Path]) -> Path:
    chapter, params, out = study
    return render_study(selector, out, data_dir(data_root), day, chapter, params)


def _render_chapters(run: Callable[[tuple[str, dict[str, str] | None, Path]], Path],
                     studies: list[tuple[str, dict[str, str] | None, Path]], jobs: int) -> list[Path]:
    """`run` of every study, results in their order; with more than one job in spawned workers, which take the
    next chapter whenever one is free (the import each worker pays runs on all cores at once)."""
    if jobs == 1 or len(studies) < 2:
        return [run(study) for study in studies]
    with ProcessPoolExecutor(min(jobs, len(studies)), multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(run, studies))


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
        raise SprssError(f"Studie území {of_area(chosen.area)} selhala v buňce {exc.cell} notebooku {exc.notebook}: "
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
    if chapter == ALL:
        return render_all(selector, out_dir, data_dir(data_root), day, jobs=1)  # the batch's workers fill the cores
    return render_study(selector, out_dir, data_dir(data_root), day, chapter)


KEY_INDICATORS = ["obyvatel_celkem", "podil_65_plus", "podil_80_plus", "index_stari"]  # the batch comparison


def render_batch(selector_parent: str, each: str, out_root: Path | str | None, data: DataDir, jobs: int | None = None,
                 datum: str | date | None = None, console: Console | None = None,
                 chapter: str = "demografie") -> list[Path]:
    """One study per `each` unit (e.g. every ORP of a kraj) in parallel processes, plus out_root/index.html.

    Without out_root the batch gets its own folder reports/<parent>-<level>, so one batch never overwrites
    another's index. `chapter` ALL renders every chapter and the combined document of each unit.
    Workers are spawned, not forked: a fork would copy the progress bar's thread and open DuckDB handles.
    """
    if each not in territory.LEVELS:
        raise SprssError(f"Neplatná úroveň {each!r}; očekávána jedna z {', '.join(territory.LEVELS)}.")
    if chapter == ALL:
        subdir, heading = "", "Analytické části"
    else:
        spec = _with_parameters(chapter, None)
        subdir, heading = spec.subdir, spec.batch_title
    day = parse_date(datum)
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        parent = territory.resolve(selector_parent, obce)
        code_col, _ = territory.LEVELS[each]
        children = [territory.resolve(f"{each}:{kod}", obce) for kod in parent.obce[code_col].drop_duplicates()]
        children.sort(key=lambda t: collation_key(t.area.nazev))
        latest = _key_values(con, [c.area for c in children], day)
    if not children:
        raise SprssError(f"Území {label(parent.area)} nemá žádné jednotky úrovně {each}.")
    root = Path(out_root or REPORTS / f"{parent.slug}-{each}").resolve()
    jobs = jobs or os.cpu_count() or 1
    results: dict[str, Path | SprssError] = {}
    work = {c.area.kod: (f"{each}:{c.area.kod}", str(root / c.slug / subdir), str(data.root), day, chapter)
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
    outputs = (combined.PAGE, combined.DOCUMENT) if chapter == ALL else (PAGE, DOCUMENT)
    index = _index(parent, children, results, latest, root, heading, outputs)
    atomic_write(root / "index.html", index.encode("utf-8"))
    failed = [(c, result) for c in children if isinstance(result := results[c.area.kod], SprssError)]
    if failed:
        raise SprssError(f"{len(failed)} z {len(children)} studií selhalo (přehled v {root / 'index.html'}): "
                         + "; ".join(f"{label(c.area)}: {exc}" for c, exc in failed))
    return [result for c in children if isinstance(result := results[c.area.kod], Path)]


def _key_values(con: duckdb.DuckDBPyConnection, areas: list[Area], day: date | None) -> dict[str, dict[str, tuple[float, str]]]:
    """area code -> indicator -> (latest value up to `day`, its date); small obce without rates (small_bases)."""
    table = small_bases.suppress(indicators.compute(con, areas), keep=[])
    if day:
        table = table[table["obdobi"] <= day.isoformat()]
    rows = table[table["ukazatel"].isin(KEY_INDICATORS)].sort_values("obdobi").groupby(["uzemi_kod", "ukazatel"]).last()
    found: dict[str, dict[str, tuple[float, str]]] = {}
    for key, row in rows.iterrows():
        kod, code = (str(part) for part in cast(tuple, key))  # a (kód, ukazatel) pair
        found.setdefault(kod, {})[code] = (float(row.hodnota), str(row.obdobi))
    return found


SORTING = """<script>
// click a header to sort by that column (again: the other way); numbers sort as numbers, names by Czech collation
document.querySelectorAll("table.srovnani th").forEach((th, column) => th.addEventListener("click", () => {
  const body = th.closest("table").tBodies[0], up = th.dataset.up !== "1";
  const key = td => td.dataset.v !== undefined ? parseFloat(td.dataset.v) : td.textContent.trim();
  const rows = [...body.rows].sort((a, b) => {
    const x = key(a.cells[column]), y = key(b.cells[column]);
    const order = typeof x === "number" && typeof y === "number" ? (isNaN(x) ? 1 : isNaN(y) ? -1 : x - y)
                  : String(x).localeCompare(String(y), "cs");
    return up ? order : -order;
  });
  th.closest("table").querySelectorAll("th").forEach(h => delete h.dataset.up);
  th.dataset.up = up ? "1" : "0";
  rows.forEach(r => body.appendChild(r));
}));
</script>"""


def _index(parent: Territory, children: list[Territory], results: dict[str, Path | SprssError],
           latest: dict[str, dict[str, tuple[float, str]]], out_root: Path, heading: str,
           outputs: tuple[str, str]) -> str:
    """The batch page: every study with links to its page, Word document and workbook, and its key indicators
    in a table sorted by clicking a header (offline: no script is loaded from anywhere)."""
    meta = indicators_meta()
    page, word = outputs
    rows = []
    for child in children:
        result = results[child.area.kod]
        name = html.escape(label(child.area))
        if isinstance(result, Path):
            links = " · ".join(f'<a href="{html.escape(Path(result, f).relative_to(out_root).as_posix())}">{kind}</a>'
                               for kind, f in (("HTML", page), ("Word", word), ("Excel", WORKBOOK)))
            cell = f"{name}<br><small>{links}</small>"
        else:
            cell = f'{name} <span class="chyba">(chyba: {html.escape(str(result))})</span>'
        values = latest.get(child.area.kod, {})
        numbers = []
        for code in KEY_INDICATORS:
            value = values.get(code)
            decimals = 0 if meta[code].jednotka == "osoby" else 1
            numbers.append(f"<td class='cislo' data-v='{value[0]:.6g}'>{czech_number(value[0], decimals)}</td>" if value
                           else "<td class='cislo' data-v='NaN'>–</td>")
        rows.append(f"<tr><td>{cell}</td><td class='cislo' data-v='{len(child.obce)}'>{len(child.obce)}</td>{''.join(numbers)}</tr>")
    dates = sorted({v[1] for values in latest.values() for v in values.values()})
    title = html.escape(f"{heading}: {label(parent.area)}")
    contents = (f"{plural(len(children), 'studie', 'studie', 'studií')}; každá obsahuje stránku HTML, dokument Word, "
                "tabulky Excel a grafy (PNG, SVG). Tabulku lze seřadit klepnutím na záhlaví sloupce.")
    dated = "; ".join(f"{meta[c].nazev.lower()} k {czech_iso(max(v[c][1] for v in latest.values() if c in v))}"
                      for c in KEY_INDICATORS if any(c in v for v in latest.values())) if dates else ""
    header = "".join(f"<th class='cislo'>{html.escape(meta[c].nazev)}" + (f" ({html.escape(meta[c].jednotka)})" if
                     meta[c].jednotka in ("%",) else "") + "</th>" for c in KEY_INDICATORS)
    return f"""<!DOCTYPE html>
<html lang="cs">
<head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; }} th, td {{ padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }}
th {{ cursor: pointer; background: #e8eef4; vertical-align: bottom; }} td.cislo, th.cislo {{ text-align: right; }}
.chyba {{ color: #b00020; }} small a {{ margin-right: .2em; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{contents}</p>
<table class="srovnani"><thead><tr><th>Území</th><th class='cislo'>Obcí</th>{header}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p><small>{html.escape(typeset(f"Stav: {dated}. {small_bases.RULE}")) if dated else ""}</small></p>
{SORTING}
</body></html>
"""
