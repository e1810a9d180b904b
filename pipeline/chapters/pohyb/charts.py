"""Charts of the chapter "Pohyb obyvatelstva"; values are selected from pohyb.counts / pohyb.compute, never
recomputed. Titles and units come from indicators.yaml."""
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
import numpy as np
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.core.territory import Area, label
from pipeline.indicators import metadata
from pipeline.render import style
from pipeline.render.style import CzechFormatter

SOURCE = "csu_opendata"


def _years(rows: pd.DataFrame) -> list[str]:
    return [d[:4] for d in rows["obdobi"]]


def _period(rows: pd.DataFrame) -> str:
    years = _years(rows)
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]


@styled
def paired_bars(rows: pd.DataFrame, area: Area, codes: tuple[str, str], title: str) -> Figure:
    """Two counts per year side by side (births and deaths, immigrants and emigrants), with the difference as a dot."""
    meta = metadata.by_code()
    rows = rows.dropna(subset=list(codes)).sort_values("obdobi")
    x = np.arange(len(rows))
    fig = style.figure(8.5)
    ax = fig.subplots()
    colours = (style.TERRITORY, style.KRAJ)
    for offset, code, colour in ((-0.2, codes[0], colours[0]), (0.2, codes[1], colours[1])):
        ax.bar(x + offset, rows[code].to_numpy(float), width=0.38, color=colour)
    difference = rows[codes[0]].to_numpy(float) - rows[codes[1]].to_numpy(float)
    ax.plot(x, difference, linestyle="none", marker="D", markersize=4, color=style.TEXT_GREY)
    ax.axhline(0, color=style.TEXT_GREY, linewidth=0.6)
    ax.set_xticks(x, _years(rows))
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.set_ylabel("osoby za rok")
    ax.grid(axis="y")
    handles = [Patch(color=colours[0], label=meta[codes[0]].nazev), Patch(color=colours[1], label=meta[codes[1]].nazev),
               Line2D([], [], linestyle="none", marker="D", markersize=4, color=style.TEXT_GREY, label="rozdíl")]
    return style.finish(fig, f"{title} – {label(area)}, {_period(rows)}", metadata.source_line([SOURCE]),
                        handles=handles, ncols=3)


@styled
def increase(rows: pd.DataFrame, area: Area) -> Figure:
    """Natural increase and net migration stacked per year; the total increase as a dot."""
    meta = metadata.by_code()
    rows = rows.dropna(subset=["prirozeny_prirustek", "prirustek_stehovanim"]).sort_values("obdobi")
    x = np.arange(len(rows))
    fig = style.figure(8.5)
    ax = fig.subplots()
    natural = rows["prirozeny_prirustek"].to_numpy(float)
    migration = rows["prirustek_stehovanim"].to_numpy(float)
    # stack positives upwards and negatives downwards, so that the two parts never hide each other
    for values, base_pos, base_neg, colour in ((natural, 0, 0, style.TERRITORY),
                                               (migration, np.clip(natural, 0, None), np.clip(natural, None, 0),
                                                style.OBLAST)):
        ax.bar(x, values, bottom=np.where(values >= 0, base_pos, base_neg), width=0.6, color=colour)
    ax.plot(x, natural + migration, linestyle="none", marker="D", markersize=4, color=style.TEXT_GREY)
    ax.axhline(0, color=style.TEXT_GREY, linewidth=0.6)
    ax.set_xticks(x, _years(rows))
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.set_ylabel("osoby za rok")
    ax.grid(axis="y")
    handles = [Patch(color=style.TERRITORY, label=meta["prirozeny_prirustek"].nazev),
               Patch(color=style.OBLAST, label=meta["prirustek_stehovanim"].nazev),
               Line2D([], [], linestyle="none", marker="D", markersize=4, color=style.TEXT_GREY,
                      label=meta["celkovy_prirustek"].nazev)]
    return style.finish(fig, f"Přírůstek obyvatel – {label(area)}, {_period(rows)}", metadata.source_line([SOURCE]),
                        handles=handles, ncols=3)


@styled
def rates(ind: pd.DataFrame, areas: list[Area], code: str) -> Figure:
    """One rate per 1,000 over the years for the territory and its comparisons (one line each)."""
    meta = metadata.by_code()[code]
    fig = style.figure(8.5)
    ax = fig.subplots()
    colours = style.area_colours(areas)
    handles = []
    years: list[str] = []
    for area, colour in zip(areas, colours, strict=True):
        rows = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.ukazatel == code)]
        rows = rows.sort_values("obdobi")
        if rows.empty:
            continue
        years = sorted(set(years) | {d[:4] for d in rows["obdobi"]})
        ax.plot([int(d[:4]) for d in rows["obdobi"]], rows["hodnota"], marker="o", markersize=3, color=colour)
        handles.append(Line2D([], [], color=colour, marker="o", markersize=3, label=label(area)))
    ax.axhline(0, color=style.TEXT_GREY, linewidth=0.6)
    ax.set_xticks([int(y) for y in years], years)
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.set_ylabel(meta.jednotka)
    ax.grid(axis="y")
    period = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "")
    return style.finish(fig, f"{meta.nazev}, {period}", metadata.source_line([code]), handles=handles,
                        ncols=min(3, max(1, len(handles))))
