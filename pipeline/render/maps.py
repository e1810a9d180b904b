"""Choropleth maps of the units of a territory (its obce, the ORP of a kraj, the kraje of ČR), drawn with
matplotlib from table `hranice`.

Shapes are lists of polygons, each a list of rings (n×2 arrays of lon, lat; the exterior first).
Longitude is shrunk by cos(latitude) so shapes keep their proportions at Czech latitudes.
Output is deterministic: same data, same bytes (see `save`).
"""
from collections.abc import Sequence
import math
import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
import matplotlib.patheffects as path_effects
from matplotlib.text import Text
from matplotlib.transforms import Bbox
import numpy as np
import pandas as pd

from pipeline.core.errors import SprssError
from pipeline.core.territory import Shape
from pipeline.core.text import czech_number

# ColorBrewer YlOrBr (9-class scheme without its near-white end): colour-blind safe, ordered in grey print,
# and the lightest class still stands out from the white obec borders.
PALETTE = ["#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404"]
# ColorBrewer PuOr for changes (diverging, colour-blind safe): orange for a decrease, purple for an increase, the
# darkest colours for the largest changes; classes are symmetric around 0 (`symmetric_breaks`).
DECREASE = ["#b35806", "#f1a340", "#fee0b6"]  # largest decrease first
INCREASE = ["#d8daeb", "#998ec3", "#542788"]  # smallest increase first
NO_CHANGE = "#f7f7f7"
NO_DATA: dict[str, Any] = {"facecolor": "#e0e0e0", "hatch": "////", "hatchcolor": "#a0a0a0"}
# units left uncoloured for a stated reason (`hatched`): each reason its own pattern, in the order given
HATCHES: list[dict[str, Any]] = [{"facecolor": "#ffffff", "hatch": "....", "hatchcolor": "#7a7a7a"},
                                 {"facecolor": "#ffffff", "hatch": "xxxx", "hatchcolor": "#3a3a3a"},
                                 {"facecolor": "#ffffff", "hatch": "\\\\", "hatchcolor": "#3a3a3a"}]
LEGEND_CHARS = 24  # legend labels wrap here, so the legend column never runs off the page
OBEC_EDGE: dict[str, Any] = {"edgecolor": "white", "linewidth": 0.4}
MANY_OBCE = 300  # above this (a kraj) obec borders get thinner, or they would swamp the colours
OUTLINE: dict[str, Any] = {"facecolor": "none", "edgecolor": "#252525", "linewidth": 1.3, "joinstyle": "round"}
UNDERLAY = "obrys"  # gid of the thick edges drawn under the units when no outline is given

FIG_WIDTH = 16 / 2.54  # text width of an A4 page, inches
MAP_WIDTH = 0.66 * FIG_WIDTH  # the rest is the legend column
MAP_HEIGHT = (2.6, 6.8)  # inches; very wide or tall territories are fitted inside
MARGIN = 0.1  # inches left of the title, map and source line
TITLE_SIZE, TEXT_SIZE, LABEL_SIZE, SOURCE_SIZE = 11, 8, 6.5, 7


def bounds(shapes: dict[str, Shape]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) over all rings."""
    points = np.concatenate([ring for shape in shapes.values() for polygon in shape for ring in polygon])
    (xmin, ymin), (xmax, ymax) = points.min(axis=0), points.max(axis=0)
    return float(xmin), float(ymin), float(xmax), float(ymax)


def outline(shapes: dict[str, Shape]) -> Shape:
    """Outer boundary of a group of units sharing exact edges (obce decoded from one topology).

    Drawn over the obce it lines up with them exactly, unlike a separately simplified ORP boundary.
    Returns rings (as one-ring polygons) made of the edges that belong to one unit only.
    """
    edges: dict[tuple, tuple] = {}
    for shape in shapes.values():
        for polygon in shape:
            for ring in polygon:
                points = [tuple(p) for p in ring.tolist()]
                for start, end in zip(points, points[1:], strict=False):
                    key = (start, end) if start <= end else (end, start)
                    if key in edges:
                        del edges[key]
                    elif start != end:
                        edges[key] = (start, end)
    following: dict[tuple, list[tuple]] = {}
    for start, end in sorted(edges.values()):
        following.setdefault(start, []).append(end)
        following.setdefault(end, []).append(start)
    rings: Shape = []
    for first in sorted(following):
        while following[first]:
            walked, point = [first], first
            while following[point]:
                nxt = following[point].pop(0)
                following[nxt].remove(point)
                walked.append(nxt)
                point = nxt
                if point == first:
                    break
            rings.append([np.array(walked)])
    return rings


def class_breaks(values: pd.Series, classes: int = 5, decimals: int = 1) -> list[float]:
    """Quantile breaks rounded to the shown precision; class i holds values in (breaks[i], breaks[i+1]]."""
    numbers = values.to_numpy(dtype=float)
    finite = np.sort(numbers[np.isfinite(numbers)])
    scale = 10.0 ** decimals
    low, high = math.floor(finite[0] * scale) / scale, math.ceil(finite[-1] * scale) / scale
    if low == high:
        return [low, high]
    inner = np.round(np.quantile(finite, np.linspace(0, 1, classes + 1)[1:-1]), decimals)
    return sorted({round(b, decimals) for b in [low, *inner, high] if low <= b <= high})


def symmetric_breaks(values: pd.Series, per_side: int = 3, decimals: int = 1) -> list[float]:
    """Upper bounds of the magnitude classes of a change, the same on both sides of 0: class k holds values whose
    rounded magnitude lies in (bounds[k-1], bounds[k]] (bounds[-1] = 0). Quantiles of the magnitudes, rounded to the
    shown precision; empty when every value rounds to 0."""
    numbers = values.to_numpy(dtype=float)
    magnitude = np.abs(np.round(numbers[np.isfinite(numbers)], decimals))
    magnitude = np.sort(magnitude[magnitude > 0])
    if not len(magnitude):
        return []
    inner = np.round(np.quantile(magnitude, np.linspace(0, 1, per_side + 1)[1:-1]), decimals)
    top = float(magnitude[-1])
    return sorted({round(float(b), decimals) for b in [*inner, top] if 0 < b <= top})


def choropleth(values: pd.Series, shapes: dict[str, Shape], outline_shapes: dict[str, Shape] | None, *,
               title: str, legend_title: str, unit: str, source_line: str,
               labels: dict[str, str] | None = None, classes: int = 5, decimals: int = 1,
               missing_label: str = "bez údaje", hatched: dict[str, str] | None = None,
               reasons: Sequence[str] = (), diverging: bool = False) -> Figure:
    """Units coloured by `values` (index: unit code, as the keys of `shapes`), `outline_shapes` drawn thick on top.

    Sequential quantile classes, or with `diverging` a change: classes symmetric around 0 (`symmetric_breaks`),
    decreases orange, increases purple, values rounding to 0 in a neutral class of their own.
    `hatched` (code -> reason) leaves units uncoloured with one pattern and legend entry per reason (small bases,
    a boundary change); `reasons` fixes which pattern a reason gets, so it looks the same on every map. Other units
    without a value are hatched grey as `missing_label`.
    Pass `{kod: outline(shapes)}` as `outline_shapes` to outline the territory exactly along its units; without
    one, the outer border is drawn from the units themselves (boundaries from different files need not share edges).
    `labels` (code -> name) are written in their order of priority; overlapping ones are dropped.
    """
    if not shapes:
        raise SprssError("Pro mapu nejsou k dispozici hranice žádné části území; stáhněte hranice z RÚIAN (sprss fetch "
                         "cuzk_ruian_hranice) nebo importujte hranice obcí (TopoJSON), ORP a krajů (GeoJSON).")
    codes = sorted(shapes)
    values = values.set_axis(values.index.astype(str))
    hatches = {str(kod): reason for kod, reason in (hatched or {}).items() if str(kod) in shapes}
    shown = values.reindex(codes).astype(float).round(decimals)
    shown[shown.index.isin(list(hatches))] = np.nan
    if diverging:
        magnitudes = symmetric_breaks(shown, decimals=decimals)
        keys, colours, class_labels = _diverging_classes(shown, magnitudes, decimals)
    else:
        breaks = class_breaks(shown, classes, decimals) if shown.notna().any() else []
        colours = [PALETTE[round(i)] for i in np.linspace(0, len(PALETTE) - 1, max(len(breaks) - 1, 1))]
        keys = [int(np.searchsorted(breaks[1:-1], v, side="left")) if np.isfinite(v) else -1 for v in shown]
        class_labels = [_class_label(breaks, i, decimals) for i in range(len(breaks) - 1)]

    xmin, ymin, xmax, ymax = bounds(shapes)
    aspect = 1 / math.cos(math.radians((ymin + ymax) / 2))
    pad_x, pad_y = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)
    xlim, ylim = (xmin - pad_x, xmax + pad_x), (ymin - pad_y, ymax + pad_y)
    ratio = (ylim[1] - ylim[0]) * aspect / (xlim[1] - xlim[0])
    map_width, map_height = MAP_WIDTH, MAP_WIDTH * ratio
    if map_height > MAP_HEIGHT[1]:
        map_width, map_height = MAP_HEIGHT[1] / ratio, MAP_HEIGHT[1]

    title_lines = textwrap.wrap(title, 70)
    missing = sorted(set(values.index) - set(codes))
    footer = textwrap.wrap(source_line if source_line.startswith("Zdroj") else f"Zdroj: {source_line}", 110)
    if missing:
        footer += textwrap.wrap(f"Části území bez hranic v datech (v mapě chybí): {', '.join(missing)}", 110)
    top = 0.2 + 0.22 * len(title_lines)
    bottom = 0.15 + 0.15 * len(footer)
    area_height = max(map_height, MAP_HEIGHT[0])
    height = top + area_height + bottom

    fig = Figure(figsize=(FIG_WIDTH, height))
    ax = fig.add_axes((MARGIN / FIG_WIDTH, (bottom + (area_height - map_height) / 2) / height,
                       map_width / FIG_WIDTH, map_height / height))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(aspect)
    ax.set_axis_off()

    order = list(dict.fromkeys([*reasons, *hatches.values()]))
    patterns = {reason: HATCHES[order.index(reason) % len(HATCHES)] for reason in order if reason in hatches.values()}
    edge = OBEC_EDGE | ({"linewidth": 0.2} if len(codes) > MANY_OBCE else {})
    if not outline_shapes:  # e.g. ČR of its kraje: thick unit edges under the fills leave only the outer border seen
        under = PathCollection([path(shapes[kod]) for kod in codes], facecolors="none", edgecolors=OUTLINE["edgecolor"],
                               linewidths=2 * OUTLINE["linewidth"], joinstyle=OUTLINE["joinstyle"], zorder=0.5)
        under.set_gid(UNDERLAY)
        ax.add_collection(under, autolim=False)
    for kod, key in zip(codes, keys, strict=True):
        style: dict[str, Any]
        if kod in hatches:
            style = patterns[hatches[kod]]
        elif key < 0:
            style = NO_DATA
        else:
            style = {"facecolor": colours[key]}
        patch = PathPatch(path(shapes[kod]), **style, **edge)
        patch.set_gid(kod)
        ax.add_patch(patch)
    outlines = outline_shapes or {}
    for kod in sorted(outlines):
        ax.add_patch(PathPatch(path(outlines[kod]), **OUTLINE))
    _add_labels(ax, {kod: name for kod, name in (labels or {}).items() if kod in shapes}, shapes)

    handles = [Patch(facecolor=colour, **OBEC_EDGE, label=label) for colour, label in zip(colours, class_labels,
                                                                                            strict=True)]
    handles += [Patch(**pattern, edgecolor="#bdbdbd", linewidth=0.4, label=_wrap(reason))
                for reason, pattern in patterns.items()]
    if any(key < 0 and kod not in hatches for kod, key in zip(codes, keys, strict=True)):
        handles.append(Patch(**NO_DATA, edgecolor="white", label=_wrap(missing_label)))
    legend_heading = "\n".join(textwrap.wrap(f"{legend_title} ({unit})" if unit else legend_title, 26))
    fig.legend(handles=handles, title=legend_heading, loc="upper left", alignment="left", frameon=False,
               bbox_to_anchor=((MARGIN + map_width + 0.15) / FIG_WIDTH, 1 - top / height),
               fontsize=TEXT_SIZE, title_fontsize=TEXT_SIZE + 0.5, handlelength=1.6, handleheight=1.1)
    fig.text(MARGIN / FIG_WIDTH, 1 - 0.15 / height, "\n".join(title_lines), fontsize=TITLE_SIZE, fontweight="bold",
             va="top", ha="left")
    fig.text(MARGIN / FIG_WIDTH, 0.1 / height, "\n".join(footer), fontsize=SOURCE_SIZE, color="#505050",
             va="bottom", ha="left")
    return fig


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LEGEND_CHARS))


def _diverging_classes(shown: pd.Series, magnitudes: list[float], decimals: int
                       ) -> tuple[list[int], list[str], list[str]]:
    """(class of each value or -1, colours, labels) from the largest decrease through 'no change' to the largest
    increase: the whole symmetric scale, even a side no unit reaches. A class never holds both signs; the neutral
    class holds only values that round to 0."""
    sides = len(magnitudes)
    step = 10.0 ** -decimals
    lows = [0.0, *magnitudes[:-1]] if magnitudes else []
    # the outer classes are open ("−13,0 a méně"): the scale reaches the largest change on either side, the label
    # must not suggest that the other side reaches it too
    down = [f"{czech_number(-(low + step), decimals)} a méně" if high == magnitudes[-1] else
            f"{czech_number(-high, decimals)} až {czech_number(-(low + step), decimals)}"
            for low, high in zip(lows, magnitudes, strict=True)][::-1]
    up = [f"+{czech_number(low + step, decimals)} a více" if high == magnitudes[-1] else
          f"+{czech_number(low + step, decimals)} až +{czech_number(high, decimals)}"
          for low, high in zip(lows, magnitudes, strict=True)]
    labels = [*down, czech_number(0, decimals), *up]
    colours = [*DECREASE[len(DECREASE) - sides:], NO_CHANGE, *INCREASE[:sides]]
    keys = []
    for value in shown:
        if not np.isfinite(value):
            keys.append(-1)
        elif value == 0:
            keys.append(sides)
        else:
            k = int(np.searchsorted(magnitudes, abs(value), side="left"))
            keys.append(sides + 1 + k if value > 0 else sides - 1 - k)
    if all(k < 0 for k in keys):
        return keys, [], []
    return keys, colours, labels


def _add_labels(ax: Axes, labels: dict[str, str], shapes: dict[str, Shape]) -> None:
    """Names in the given (priority) order. A name goes to the best of a few points inside its unit where it overlaps
    no name placed before and covers no other labelled unit's own point (a big unit's name must not sit on a small
    unit inside it, as Středočeský kraj around Praha); where no point fits, the name is left out."""
    figure = ax.figure
    assert isinstance(figure, Figure)  # the map's axes sit on the figure itself, never on a subfigure
    renderer = FigureCanvasAgg(figure).get_renderer()
    points = {kod: label_points(shapes[kod], 12) for kod in labels}
    own = {kod: ax.transData.transform(candidates[0]) for kod, candidates in points.items()}
    boxes = {kod: Bbox(ax.transData.transform(np.reshape(bounds({kod: shapes[kod]}), (2, 2)))) for kod in labels}
    placed: list[Bbox] = []
    for kod, name in labels.items():
        others = [point for other, point in own.items() if other != kod]
        # units lying inside this one's extent (Praha in Středočeský kraj): its name must not touch them
        enclaves = [box for other, box in boxes.items()
                    if other != kod and boxes[kod].contains(box.x0, box.y0) and boxes[kod].contains(box.x1, box.y1)]
        for x, y in points[kod]:
            text = ax.text(x, y, name, fontsize=LABEL_SIZE, ha="center", va="center", color="#1a1a1a",
                           path_effects=[path_effects.withStroke(linewidth=2, foreground="white")])
            extent = text.get_window_extent(renderer)
            if not any(extent.contains(*point) for point in others) and not any(extent.overlaps(box) for box in enclaves) \
                    and keep_apart(text, renderer, placed, (1.1, 1.3)):
                break
            if text.axes is not None:
                text.remove()


def _class_label(breaks: list[float], i: int, decimals: int) -> str:
    """Values are rounded to `decimals` before classing, so class i > 0 starts one step above its break."""
    if len(breaks) == 2 and breaks[0] == breaks[1]:
        return czech_number(breaks[0], decimals)
    low = breaks[i] + (10.0 ** -decimals if i else 0)
    return f"{czech_number(low, decimals)}\u2013{czech_number(breaks[i + 1], decimals)}"


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def path(shape: Shape) -> MplPath:
    """One compound path; exteriors counter-clockwise and holes clockwise, so non-zero filling leaves holes empty.

    Self-intersecting rings are drawn as they are: only the fill right at the crossing is affected.
    """
    vertices, codes = [], []
    for polygon in shape:
        for number, ring in enumerate(polygon):
            if (_signed_area(ring) > 0) == (number > 0):
                ring = ring[::-1]
            vertices.append(ring)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


def keep_apart(text: Text, renderer: RendererBase, placed: list[Bbox], margin: tuple[float, float]) -> bool:
    """Drop a label that would overlap one placed before it (labels come in order of importance); True when kept."""
    extent = text.get_window_extent(renderer).expanded(*margin)
    if any(extent.overlaps(other) for other in placed):
        text.remove()
        return False
    placed.append(extent)
    return True


def label_point(shape: Shape) -> tuple[float, float]:
    """A point well inside the largest part (farthest from its edges on a grid), so a label never sits outside."""
    return label_points(shape, 1)[0]


def label_points(shape: Shape, n: int) -> list[tuple[float, float]]:
    """Up to `n` points inside the largest part, farthest from its edges first (alternative places for a label)."""
    polygon = max(shape, key=lambda p: abs(_signed_area(p[0])))
    xmin, ymin = polygon[0].min(axis=0)
    xmax, ymax = polygon[0].max(axis=0)
    grid = np.stack(np.meshgrid(np.linspace(xmin, xmax, 25), np.linspace(ymin, ymax, 25)), axis=-1).reshape(-1, 2)
    # matplotlib's containment test ignores holes, so test them separately
    inside = MplPath(polygon[0]).contains_points(grid)
    for hole in polygon[1:]:
        inside &= ~MplPath(hole).contains_points(grid)
    if not inside.any():
        return [(float((xmin + xmax) / 2), float((ymin + ymax) / 2))]
    scale = np.array([math.cos(math.radians((ymin + ymax) / 2)), 1.0])  # measure in shape, not in degrees
    candidates = grid[inside] * scale
    starts = np.concatenate([ring[:-1] for ring in polygon]) * scale
    ends = np.concatenate([ring[1:] for ring in polygon]) * scale
    distance = np.min([_distance_to_segments(point, starts, ends) for point in candidates], axis=1)
    best = np.argsort(-distance, kind="stable")[:n]
    return [(float(x), float(y)) for x, y in candidates[best] / scale]


def _distance_to_segments(point: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    direction = ends - starts
    length = np.maximum((direction ** 2).sum(axis=1), 1e-18)
    t = np.clip(((point - starts) * direction).sum(axis=1) / length, 0, 1)
    return np.hypot(*(starts + t[:, None] * direction - point).T)
