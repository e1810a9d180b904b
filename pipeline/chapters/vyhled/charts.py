"""Charts of the chapter "Výhled a potřeba služeb", in the study's style; values come from vyhled/data.py."""
from matplotlib.figure import Figure
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.render import style
from pipeline.render.style import CzechFormatter

GROUP_COLOURS = {"65+": style.TERRITORY, "80+": style.KRAJ, "85+": style.OBLAST}


@styled
def seniors(series: dict[str, pd.DataFrame], middle: str, horizon: int, title: str, source: str) -> Figure:
    """Projected 65+, 80+ and 85+ per year: the middle variant as a line, the other variants as a band."""
    fig = style.figure(8.5)
    ax = fig.subplots()
    for name, frame in series.items():
        colour = GROUP_COLOURS[name]
        if frame.shape[1] > 1:
            ax.fill_between(frame.index, frame.min(axis=1), frame.max(axis=1), color=colour, alpha=0.18, linewidth=0)
        ax.plot(frame.index, frame[middle], color=colour, label=f"obyvatelé {name}")
    ax.axvline(horizon, color=style.TEXT_GREY, linewidth=0.8, linestyle="--")
    ax.annotate(f"výhled {horizon}", (horizon, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                textcoords="offset points", va="top", fontsize=style.MIN_FONT, color=style.TEXT_GREY)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(CzechFormatter(0))
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # a MaxNLocator by default
    ax.grid(axis="y")
    ax.set_ylabel("Projektovaný počet obyvatel k 1. 1.")
    notes = ["Pásmo: rozpětí nízké a vysoké varianty projekce ČSÚ."] if any(f.shape[1] > 1 for f in series.values()) \
        else ["V podkladech je jen střední varianta projekce ČSÚ; rozpětí variant není zobrazeno."]
    return style.finish(fig, title, source, notes, handles=ax.get_legend_handles_labels()[0], ncols=len(series))
