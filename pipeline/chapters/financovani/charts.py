"""Charts of the chapter "Financování sociálních služeb obcemi", in the study's style.

Values come from pipeline.chapters.financovani.data (selections of the financing indicators); nothing is recomputed.
"""
import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.render import style
from pipeline.render.style import CzechFormatter, czech_number

BUDGET_COLOURS = {"Schválený rozpočet (Kč)": style.KRAJ, "Upravený rozpočet (Kč)": style.OBLAST}
REFERENCE_COLOURS = [style.TERRITORY, style.KRAJ, style.STAT, style.ORP]


@styled
def trend(frame: pd.DataFrame, title: str, source: str, notes: list[str]) -> Figure:
    """Bars: skutečnost per year; markers: the approved and the amended budget of the same year."""
    fig = style.figure(8.5)
    ax = fig.subplots()
    years = frame["Rok"].astype(str).tolist()
    positions = list(range(len(years)))
    actual = frame["Skutečnost (Kč)"].astype(float)
    ax.bar(positions, actual, 0.7, color=style.TERRITORY, label="Skutečnost")
    handles: list = [Patch(color=style.TERRITORY, label="Skutečnost")]
    for column, colour in BUDGET_COLOURS.items():
        ax.plot(positions, frame[column].astype(float), "o", color=colour, markersize=4.5)
        handles.append(Line2D([], [], color=colour, marker="o", linestyle="none", label=column.removesuffix(" (Kč)")))
    ax.set_xticks(positions, years, rotation=0 if len(years) <= 14 else 45)
    ax.yaxis.set_major_formatter(CzechFormatter(0))
    ax.set_ylim(0, max(float(frame[c].astype(float).max()) for c in ["Skutečnost (Kč)", *BUDGET_COLOURS]) * 1.12 or 1)
    ax.set_ylabel("Kč (běžné ceny)")
    ax.grid(axis="y")
    return style.finish(fig, title, source, notes, handles=handles, ncols=3)


@styled
def per_capita_by_unit(values: pd.Series, references: list[tuple[str, float]], title: str, source: str) -> Figure:
    """Horizontal bars per unit (obec, or the ORP of a kraj; highest first); vertical lines: the territory and its references."""
    fig = style.figure(5.0 + 0.65 * len(values))
    ax = fig.subplots()
    positions = list(range(len(values)))
    bars = ax.barh(positions, values.to_numpy(), 0.7, color=style.TERRITORY_LIGHT)
    ax.bar_label(bars, [czech_number(v) for v in values], padding=2, fontsize=style.MIN_FONT)
    ax.set_yticks(positions, ["\n".join(textwrap.wrap(str(name), 28)) for name in values.index])
    ax.set_ylim(len(values) - 0.4, -0.6)
    handles = []
    for (name, value), colour in zip(references, REFERENCE_COLOURS, strict=False):
        ax.axvline(value, color=colour, linewidth=1.2, linestyle="--")
        handles.append(Line2D([], [], color=colour, linestyle="--", label=f"{name}: {czech_number(value)} Kč"))
    top = max([*values.to_list(), *(v for _, v in references)], default=1)
    ax.set_xlim(0, top * 1.15 or 1)
    ax.xaxis.set_major_formatter(CzechFormatter(0))
    ax.set_xlabel("Kč na obyvatele (k 1. 1. roku)")
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    notes = ["Čárkovaně: výdaje na obyvatele všech obcí s údaji v území a ve srovnávacích územích, které mají údaje "
             "i z dalších obcí."] if references else []
    return style.finish(fig, title, source, notes, handles=handles or None, ncols=1)
