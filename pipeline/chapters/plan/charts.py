"""The trend of one ukazatel of the plan, with the targets of the activities it measures, in the study's style.

Values are the evaluation's series (pipeline.indicators.plan), never recomputed here.
"""
from datetime import date, timedelta

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.core.text import czech_date
from pipeline.render import style
from pipeline.render.style import CzechFormatter, czech_number

TARGET = style.KRAJ  # the target line stands out from the territory's own colour


def _decimals(values: list[float]) -> int:
    return 0 if all(float(v).is_integer() for v in values) else 1


@styled
def trend(series: pd.DataFrame, targets: list[tuple[int, float]], title: str, axis: str, source: str,
          notes: list[str]) -> Figure:
    """Values at every date (points joined by a line), each activity's target as a dashed line."""
    x: list[date] = list(series["obdobi"])
    y = [float(v) for v in series["hodnota"]]
    fig = style.figure(8.5)
    ax = fig.subplots()
    ax.plot(x, y, color=style.TERRITORY, marker="o", markersize=4)  # type: ignore[arg-type]  # matplotlib's stubs omit dates
    decimals = _decimals(y + [t for _, t in targets])
    for xi, yi in zip(x, y, strict=True):
        ax.annotate(czech_number(yi, decimals), (xi, yi), xytext=(0, 6), textcoords="offset points", ha="center",
                    fontsize=style.SMALL_FONT)
    for _, target in targets:
        ax.axhline(target, color=TARGET, linestyle="--", linewidth=1)
    values = y + [t for _, t in targets]
    low, high = min(values + [0.0]), max(values + [0.0])
    span = max(high - low, abs(high) / 50, 1)
    ax.set_ylim(low - (0.08 * span if low < 0 else 0), high + 0.15 * span)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=decimals == 0))
    ax.yaxis.set_major_formatter(CzechFormatter())
    shown = x if len(x) <= 8 else x[:: max(1, len(x) // 8)]
    ax.set_xticks(shown, [czech_date(d) for d in shown])  # type: ignore[arg-type]  # matplotlib's stubs omit dates
    ax.set_xlim(min(x) - timedelta(days=120), max(x) + timedelta(days=120))  # type: ignore[arg-type]
    ax.grid(axis="y")
    ax.set_xlabel("Stav k datu")
    ax.set_ylabel(axis)
    handles = [Line2D([], [], color=style.TERRITORY, marker="o", markersize=4, label="hodnota území")]
    if targets:
        rows = ", ".join(f"ř. {row}: {czech_number(t, decimals)}" for row, t in targets)
        handles.append(Line2D([], [], color=TARGET, linestyle="--", label=f"cílová hodnota ({rows})"))
    return style.finish(fig, title, source, notes, handles=handles, ncols=2 if len(handles) > 1 else 1)
