"""Charts of the chapter "Sociálně-ekonomická situace" (maps are drawn by pipeline.render.maps)."""
from matplotlib.figure import Figure
import numpy as np

from pipeline.chapters.shared import styled
from pipeline.chapters.socialni.data import FIGURES, SocialData
from pipeline.chapters.socialni.data import unemployment_trend as unemployment_trend_values
from pipeline.core.territory import label
from pipeline.core.text import czech_iso, czech_number
from pipeline.indicators import metadata
from pipeline.render import style
from pipeline.render.style import CzechFormatter

GROUPS = {"podil_osob_v_exekuci": "Osoby\nv exekuci", "podil_prijemcu_prispevku_na_bydleni": "Příspěvek\nna bydlení",
          "podil_prijemcu_prispevku_na_zivobyti": "Příspěvek\nna živobytí",
          "podil_dlouhodobych_uchazecu": "Uchazeči o zaměstnání\nnad 6 měsíců"}


@styled
def shares_by_area(d: SocialData) -> Figure:
    """The four shares side by side for the territory and its comparison areas; a missing value is left out."""
    meta = metadata.by_code()
    areas = d.comparison
    colours = style.area_colours(areas)
    shares = [share for share, _, _ in FIGURES.values()]
    x = np.arange(len(shares))
    width = 0.84 / len(areas)
    fig = style.figure(9.5)
    ax = fig.subplots()
    for i, (area, colour) in enumerate(zip(areas, colours, strict=True)):
        values = [d.value(area, code) for code in shares]
        shown = [(xi, v) for xi, v in zip(x, values, strict=True) if v is not None]
        bars = ax.bar([xi + (i - (len(areas) - 1) / 2) * width for xi, _ in shown], [v for _, v in shown],
                      width * 0.92, color=colour, label=label(area))
        ax.bar_label(bars, [czech_number(v, 1) for _, v in shown], padding=2, fontsize=style.MIN_FONT)
    ax.set_xticks(x, [GROUPS[code] for code in shares])
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.margins(y=0.12)
    ax.grid(axis="y")
    ax.set_ylabel(f"Podíl ({meta[shares[0]].jednotka})")
    return style.finish(fig, f"Sociálně-ekonomické ukazatele – {label(d.head)} a srovnání, {czech_iso(d.obdobi)}",
                        d.source(), notes=["Podíly z obyvatel 15+, uchazeči z obyvatel 15–64 let; dávky: průměrný "
                                           "měsíc roku."],
                        handles=ax.get_legend_handles_labels()[0], ncols=len(areas))


@styled
def unemployment_trend(d: SocialData) -> Figure:
    """Monthly count of dosažitelní uchazeči of the territory."""
    series = unemployment_trend_values(d)
    fig = style.figure(8)
    ax = fig.subplots()
    dates = [czech_iso(day) for day in series.index]
    ax.plot(range(len(series)), series.to_numpy(), color=style.area_colours([d.head])[0], marker="o")
    step = max(1, len(series) // 8)
    ax.set_xticks(range(0, len(series), step), dates[::step], rotation=0)
    ax.yaxis.set_major_formatter(CzechFormatter(0))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    ax.set_ylabel("Uchazeči (osoby)")
    return style.finish(fig, f"Dosažitelní uchazeči o zaměstnání 15–64 let – {label(d.head)}, stav na konci měsíce",
                        metadata.source_line(["dosazitelni_uchazeci"]))
