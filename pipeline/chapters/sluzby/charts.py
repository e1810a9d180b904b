"""Charts and maps of the chapter "Analýza nabídky sociálních služeb", in the study's style.

Values come from pipeline.chapters.sluzby.data (selections of the services layer's outputs); nothing is
recomputed here. Maps reuse the boundaries and geometry helpers of maps.py: facilities are drawn as circles
inside their obec (the registry has addresses but no coordinates), gaps as obce coloured by category.
"""
from collections.abc import Sequence
import math
import textwrap
from typing import Any, Literal

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
import matplotlib.patheffects as path_effects
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox, BboxBase
import numpy as np
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.chapters.sluzby.data import GAP_LABELS, GAP_SHORT, population_phrase, type_name, unit_name
from pipeline.core.territory import Area, Shape
from pipeline.indicators.sluzby.catalogue import FORMS
from pipeline.render import maps, style
from pipeline.render.style import CzechFormatter, czech_number

FORM_COLOURS = {"amb": "#E69F00", "pob": "#0072B2", "ter": "#009E73"}  # Okabe–Ito, distinct from area colours
OTHER_FORM = "#8C8C8C"
GAP_COLOURS = {"zarizeni": "#0072B2", "pusobnost": "#56B4E9", "zadna": "#D55E00"}  # the gap stands out
BACKGROUND_OBEC = {"facecolor": "#EDEDED", "edgecolor": "white", "linewidth": 0.4}
POINT = style.TERRITORY
LARGEST_POINT = 420  # pt² of the circle of the obec with most facilities


def _wrapped(name: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(name[:1].upper() + name[1:], width))


@styled
def services_by_type(counts: pd.DataFrame, title: str, source: str) -> Figure:
    """Horizontal bars: services per type (groups, in code order), one bar per form the type has."""
    forms = [c for c in counts.columns if c != "druh_nazev"]
    bars, centres, position = [], [], 0.0
    for _, row in counts.iterrows():
        present = [f for f in forms if row[f] > 0]
        bars += [(position + i, float(row[f]), f) for i, f in enumerate(present)]
        centres.append(position + (len(present) - 1) / 2)
        position += len(present) + 0.7  # a gap between types
    fig = style.figure(3.2 + 0.42 * len(bars) + 0.2 * len(counts))
    ax = fig.subplots()
    for forma in forms:
        mine = [(y, v) for y, v, f in bars if f == forma]
        if mine:
            drawn = ax.barh([y for y, _ in mine], [v for _, v in mine], 0.82,
                            color=FORM_COLOURS.get(forma, OTHER_FORM), label=FORMS.get(forma, forma))
            ax.bar_label(drawn, [czech_number(v) for _, v in mine], padding=2, fontsize=style.MIN_FONT)
    ax.set_yticks(centres, [_wrapped(type_name(str(kod), n)) for kod, n in counts["druh_nazev"].items()])
    ax.set_ylim(position - 0.7 + 0.1, -0.6)
    ax.xaxis.set_major_formatter(CzechFormatter(0))
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # the default is a MaxNLocator
    ax.set_xlim(0, max((v for _, v, _ in bars), default=1) * 1.1)
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("Počet služeb se zařízením v území")
    return style.finish(fig, title, source, ["Služba poskytovaná ve více formách je započtena u každé z nich."],
                        handles=ax.get_legend_handles_labels()[0], ncols=len(forms))


@styled
def capacity_per_1000(rows: pd.DataFrame, areas: list[Area], labels: list[str], title: str, source: str) -> Figure:
    """One small panel per type × form × unit: capacity per 1,000 of its target population in the territory,
    kraj and ČR. Separate axes, because beds per 1,000 aged 80+ and clients per 1,000 aged 65+ share no scale."""
    keys = list(dict.fromkeys(zip(rows["druh_kod"], rows["forma"], rows["typ_kapacity"], strict=True)))
    columns = 2 if len(keys) > 1 else 1
    lines = math.ceil(len(keys) / columns)
    colours = style.area_colours(areas)
    fig = style.figure(2.2 + 3.1 * lines)
    axes = fig.subplots(lines, columns, squeeze=False).ravel()
    for ax, (druh, forma, typ) in zip(axes, keys, strict=False):  # a last odd panel stays empty
        panel = rows[(rows["druh_kod"] == druh) & (rows["forma"] == forma) & (rows["typ_kapacity"] == typ)]
        by_area = {(r.uzemi_typ, r.uzemi_kod): r for r in panel.itertuples()}
        values = [float(by_area[(a.typ, a.kod)].kapacita_na_1000) if (a.typ, a.kod) in by_area
                  and pd.notna(by_area[(a.typ, a.kod)].kapacita_na_1000) else math.nan for a in areas]
        y = np.arange(len(areas))
        drawn = ax.barh(y, values, 0.7, color=colours)
        digits = 2 if max(v for v in values if not math.isnan(v)) < 10 else 1
        ax.bar_label(drawn, ["bez údaje" if math.isnan(v) else czech_number(v, digits) for v in values], padding=2,
                     fontsize=style.MIN_FONT)
        first = panel.iloc[0]
        unit = unit_name(typ).capitalize()
        ax.set_title(_wrapped(f"{type_name(first.druh_kod, first.druh_nazev)} – {FORMS.get(forma, forma)}", 32),
                     fontsize=style.SMALL_FONT + 0.5, fontweight="bold", loc="left")
        ax.set_xlabel(f"{unit} na 1 000 {population_phrase(first.cilova_populace_popis)}", fontsize=style.MIN_FONT)
        ax.set_yticks(y, labels, fontsize=style.MIN_FONT)
        ax.set_ylim(len(areas) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=style.MIN_FONT)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.set_xlim(0, max([v for v in values if not math.isnan(v)] + [0.001]) * 1.25)
        ax.grid(axis="x")
    for ax in axes[len(keys):]:
        ax.set_visible(False)
    return style.finish(fig, title, source, ["Kapacita je registrované maximum služeb se zařízením v území; "
                                             "jmenovatel je cílová populace druhu podle nastavení "
                                             "analýzy (tabulka v kapitole Zdroje a metodika)."])


# --- maps --------------------------------------------------------------------------------------------------


def _geometry(shapes: dict[str, Shape]) -> tuple[tuple[float, float], tuple[float, float], float, float]:
    """x and y limits with a 2 % margin, the aspect that keeps shapes true at this latitude, and height/width."""
    xmin, ymin, xmax, ymax = maps.bounds(shapes)
    aspect = 1 / math.cos(math.radians((ymin + ymax) / 2))
    pad_x, pad_y = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)
    xlim, ylim = (xmin - pad_x, xmax + pad_x), (ymin - pad_y, ymax + pad_y)
    return xlim, ylim, aspect, (ylim[1] - ylim[0]) * aspect / (xlim[1] - xlim[0])


def _draw_base(ax: Axes, shapes: dict[str, Shape], outline: dict[str, Shape], xlim: tuple[float, float],
               ylim: tuple[float, float], aspect: float, faces: dict[str, str] | None = None) -> None:
    """Obce (grey, or the given colour per obec) and the territory's border on top."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(aspect)
    ax.set_axis_off()
    edge = maps.OBEC_EDGE | ({"linewidth": 0.2} if len(shapes) > maps.MANY_OBCE else {})
    for kod in sorted(shapes):
        face = (faces or {}).get(kod, BACKGROUND_OBEC["facecolor"])
        ax.add_patch(PathPatch(maps.path(shapes[kod]), facecolor=face, **edge))
    for kod in sorted(outline or {}):
        ax.add_patch(PathPatch(maps.path(outline[kod]), **maps.OUTLINE))


def _lines(texts: list[str], size: float, weight: str = "normal") -> list[str]:
    """Wrapped to the page width by real glyph widths (a date never breaks inside)."""
    return [line for text in texts for line in style.wrap(text, size, maps.FIG_WIDTH - 2 * maps.MARGIN, weight)]


def _text_block(fig: Figure, lines: list[str], y: float, size: float, **kw: Any) -> None:  # kw: Text properties
    fig.text(maps.MARGIN / maps.FIG_WIDTH, y, "\n".join(lines), fontsize=size, ha="left", **kw)


def facility_map(shapes: dict[str, Shape], outline: dict[str, Shape], counts: pd.DataFrame, *, title: str, source: str,
                 notes: Sequence[str] = (), legend_title: str = "Počet zařízení\nv obci", units: str = "obcí") -> Figure:
    """Circles sized by the number of active facilities in each unit (obec, or the ORP of a kraj), over the units.

    `counts` has kod, nazev and zarizeni (most first: names are placed in that order). A name goes beside its
    circle (POSITIONS) where it covers no other name, the legend or the centre of another circle (it may
    cover a circle's rim: in a dense ORP a name that had to avoid whole circles would stay only with the small
    obce at the edge); a name that fits nowhere is left out and said so below the map (`units`: the units'
    genitive plural, for that note)."""
    fig, unlabelled = _facility_figure(shapes, outline, counts, title, source, notes, legend_title)
    if not unlabelled:
        return fig
    if len(unlabelled) <= MAX_LISTED:
        missing = (f"Název se do mapy nevešel u {units}: " if len(unlabelled) > 1 else "Název se do mapy nevešel: ") \
            + ", ".join(unlabelled) + "."
    else:  # the footer must stay a footer; the chapter's table after the map lists every unit
        missing = f"U {len(unlabelled)} {units} se název do mapy nevešel; všechny uvádí tabulka za mapou."
    return _facility_figure(shapes, outline, counts, title, source, [*notes, missing], legend_title)[0]


MAX_LISTED = 5  # unlabelled units named in the note; more are counted


def _facility_figure(shapes: dict[str, Shape], outline: dict[str, Shape], counts: pd.DataFrame, title: str,
                     source: str, notes: Sequence[str], legend_title: str) -> tuple[Figure, list[str]]:
    """The map and the units whose name did not fit. The footer's length changes only the space below the map,
    not where names fit: the map, its legend and the name offsets are fixed in inches from the top."""
    xlim, ylim, aspect, ratio = _geometry(shapes)
    map_width = maps.MAP_WIDTH
    map_height = min(map_width * ratio, maps.MAP_HEIGHT[1])
    map_width = map_height / ratio
    title_lines = _lines([title], maps.TITLE_SIZE, "bold")
    footer = _lines([source, *notes], maps.SOURCE_SIZE)
    top, bottom = 0.2 + 0.22 * len(title_lines), 0.15 + 0.15 * len(footer)
    area_height = max(map_height, maps.MAP_HEIGHT[0])
    height = top + area_height + bottom
    fig = Figure(figsize=(maps.FIG_WIDTH, height))
    ax = fig.add_axes((maps.MARGIN / maps.FIG_WIDTH, (bottom + (area_height - map_height) / 2) / height,
                       map_width / maps.FIG_WIDTH, map_height / height))
    _draw_base(ax, shapes, outline, xlim, ylim, aspect)

    shown = counts[counts["kod"].isin(shapes)]
    most = max(int(shown["zarizeni"].max()), 1) if len(shown) else 1

    def size(n: float) -> float:
        return LARGEST_POINT * n / most  # circle area proportional to the count

    points = [maps.label_point(shapes[kod]) for kod in shown["kod"]]
    if points:
        xs, ys = zip(*points, strict=True)
        ax.scatter(xs, ys, s=[size(n) for n in shown["zarizeni"]], color=POINT, alpha=0.85, edgecolor="white",
                   linewidth=0.8, zorder=3)
    least = max(int(shown["zarizeni"].min()), 1) if len(shown) else 1
    references = sorted({least, max((least + most) // 2, 1), most})
    handles = [ax.scatter([], [], s=size(n), color=POINT, alpha=0.85, edgecolor="white", label=str(n))
               for n in references]
    legend = fig.legend(handles=handles, title=legend_title, loc="upper left", alignment="left", frameon=False,
                        bbox_to_anchor=((maps.MARGIN + map_width + 0.15) / maps.FIG_WIDTH, 1 - top / height),
                        fontsize=maps.TEXT_SIZE, title_fontsize=maps.TEXT_SIZE + 0.5, labelspacing=1.6, borderpad=0.8)
    renderer = FigureCanvasAgg(fig).get_renderer()
    centres = [_centre(ax, point, math.sqrt(size(n)) / 2) for point, n in zip(points, shown["zarizeni"], strict=True)]
    names: list[Bbox] = [legend.get_window_extent(renderer)]
    unlabelled = []
    for number, ((x, y), name, n) in enumerate(zip(points, shown["nazev"], shown["zarizeni"], strict=True)):
        offset = math.sqrt(size(n)) / 2 + 2
        text = ax.annotate(f"{name} ({n})", (x, y), xytext=(offset, offset * 0.6), textcoords="offset points",
                           fontsize=maps.LABEL_SIZE, color="#1a1a1a", zorder=4,
                           path_effects=[path_effects.withStroke(linewidth=2, foreground="white")])
        placed = _beside(text, renderer, names + centres[:number] + centres[number + 1:], fig.bbox, offset)
        if placed is None:
            unlabelled.append(f"{name} ({n})")
        else:
            names.append(placed)
    _text_block(fig, title_lines, 1 - 0.15 / height, maps.TITLE_SIZE, fontweight="bold", va="top")
    _text_block(fig, footer, 0.1 / height, maps.SOURCE_SIZE, color="#505050", va="bottom")
    return fig, unlabelled


def _centre(ax: Axes, point: tuple[float, float], radius_pt: float) -> Bbox:
    """The middle of a drawn circle (a third of its radius, at least 2 pt), in display units: what a name must
    leave visible for the circle to be seen."""
    x, y = ax.transData.transform(point)
    half = max(radius_pt / 3, 2) * ax.figure.dpi / 72
    return Bbox.from_extents(x - half, y - half, x + half, y + half)


# Where a circle's name may go, in order of preference: (horizontal, vertical alignment, offset as multiples of
# the circle's radius + 2 pt). Right above first, as the eye reads on; then left, below, straight above or below.
POSITIONS: list[tuple[Literal["left", "center", "right"], Literal["baseline", "bottom", "top"], float, float]] = [
    ("left", "baseline", 1, 0.6), ("right", "baseline", -1, 0.6), ("left", "top", 1, -0.6), ("right", "top", -1, -0.6),
    ("center", "bottom", 0, 1), ("center", "top", 0, -1)]


def _beside(text: Annotation, renderer: RendererBase, taken: list[Bbox], page: BboxBase,
            offset: float) -> Bbox | None:
    """Put a circle's name at the first of POSITIONS where it overlaps nothing `taken` and stays on the figure
    (returns its extent, with a margin), else remove it (None)."""
    for horizontal, vertical, dx, dy in POSITIONS:
        text.set_horizontalalignment(horizontal)
        text.set_verticalalignment(vertical)
        text.xyann = (dx * offset, dy * offset)
        extent = text.get_window_extent(renderer).expanded(1.05, 1.2)
        if extent.x0 >= page.x0 and extent.x1 <= page.x1 and not any(extent.overlaps(other) for other in taken):
            return extent
    text.remove()
    return None


def gap_map(shapes: dict[str, Shape], outline: dict[str, Shape], panels: list[tuple[str, pd.Series]], *, title: str,
            source: str, notes: Sequence[str] = ()) -> Figure:
    """One small map per service type, obce coloured by category (zarizeni | pusobnost | zadna), one legend."""
    xlim, ylim, aspect, ratio = _geometry(shapes)
    columns = 2 if len(panels) > 1 else 1
    lines = math.ceil(len(panels) / columns)
    gap = 0.15
    panel_width = (maps.FIG_WIDTH - 2 * maps.MARGIN - gap * (columns - 1)) / columns if columns > 1 else maps.MAP_WIDTH
    panel_height = min(panel_width * ratio, maps.MAP_HEIGHT[1] / lines)
    panel_width = panel_height / ratio
    title_lines = _lines([title], maps.TITLE_SIZE, "bold")
    footer = _lines([source, *notes], maps.SOURCE_SIZE)
    heading = 0.42  # inches above each panel for its two-line name
    top, bottom = 0.2 + 0.22 * len(title_lines) + 0.35, 0.15 + 0.15 * len(footer)
    height = top + lines * (heading + panel_height) + bottom
    fig = Figure(figsize=(maps.FIG_WIDTH, height))
    for number, (name, category) in enumerate(panels):
        row, column = divmod(number, columns)
        left = maps.MARGIN + column * (panel_width + gap)
        lower = height - top - (row + 1) * (heading + panel_height)
        ax = fig.add_axes((left / maps.FIG_WIDTH, lower / height, panel_width / maps.FIG_WIDTH, panel_height / height))
        _draw_base(ax, shapes, outline, xlim, ylim, aspect,
                   {str(kod): GAP_COLOURS[kind] for kod, kind in category.items()})
        counts = category.value_counts()
        summary = "Obcí " + ", ".join(f"{text}: {counts.get(kind, 0)}" for kind, text in GAP_SHORT.items())
        fig.text(left / maps.FIG_WIDTH, (lower + panel_height + 0.22) / height, f"{name[:1].upper()}{name[1:]}",
                 fontsize=maps.TEXT_SIZE + 0.5, fontweight="bold", ha="left", va="bottom")
        fig.text(left / maps.FIG_WIDTH, (lower + panel_height + 0.05) / height, summary,
                 fontsize=maps.LABEL_SIZE, color="#505050", ha="left", va="bottom")
    handles = [Patch(facecolor=colour, **maps.OBEC_EDGE, label=GAP_LABELS[kind]) for kind, colour in GAP_COLOURS.items()]
    fig.legend(handles=handles, loc="upper left", ncols=len(handles), frameon=False, fontsize=maps.TEXT_SIZE,
               bbox_to_anchor=(maps.MARGIN / maps.FIG_WIDTH, 1 - (top - 0.33) / height), handlelength=1.6,
               handleheight=1.1, borderaxespad=0)
    _text_block(fig, title_lines, 1 - 0.15 / height, maps.TITLE_SIZE, fontweight="bold", va="top")
    _text_block(fig, footer, 0.1 / height, maps.SOURCE_SIZE, color="#505050", va="bottom")
    return fig
