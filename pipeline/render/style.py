"""One chart style for the whole report: readable when pasted into Word at 16 cm, colour-blind safe, Czech numbers.

Charts are drawn and saved inside `context()`, so their look never depends on the user's matplotlib
settings, and the same input gives byte-identical PNG and SVG files.
"""
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
import math
from pathlib import Path
import re
from typing import Any

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.rcsetup import cycler
from matplotlib.textpath import TextToPath
from matplotlib.ticker import Formatter
from PIL import Image

from pipeline.core.text import czech_number  # noqa: F401  (re-exported: report code formats numbers via style)

CM = 1 / 2.54
WIDTH = 16 * CM  # inches: the figure is pasted at its own size, so 9 pt here is 9 pt on paper
DPI = 300
FONT = "DejaVu Sans"  # ships with matplotlib: identical glyphs on every machine, full Czech diacritics
BASE_FONT = 9
SMALL_FONT = 7.5
MIN_FONT = 6.5
TITLE_FONT = 10
PAD = 0.06  # inches around the figure edge, shared by title, axes and source line
GAP = 0.05  # inches between the stacked title, notes, legend and plot

NO_BREAK_SPACE = "\u00a0"

# Okabe–Ito colours; each role keeps its colour in every chart of the report
TERRITORY = "#0072B2"  # the territory the plan is about
TERRITORY_LIGHT = "#56B4E9"  # its parts (obce) or a subgroup (80+ within 65+)
KRAJ = "#D55E00"
STAT = "#8C8C8C"
OBLAST = "#009E73"
ORP = "#CC79A7"
OKRES = "#E69F00"
TEXT_GREY = "#4D4D4D"
AREA_COLOURS = {"kraj": KRAJ, "stat": STAT, "oblast": OBLAST, "orp": ORP, "okres": OKRES, "obec": TERRITORY_LIGHT}

RC = {
    "font.family": FONT,
    "font.size": BASE_FONT,
    "axes.titlesize": BASE_FONT,
    "axes.titlelocation": "left",
    "axes.labelsize": BASE_FONT - 0.5,
    "axes.labelcolor": TEXT_GREY,
    "axes.edgecolor": TEXT_GREY,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "axes.unicode_minus": True,
    "axes.prop_cycle": cycler(color=[TERRITORY, KRAJ, STAT, OBLAST, ORP, OKRES]),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.5,
    "xtick.labelsize": SMALL_FONT,
    "ytick.labelsize": SMALL_FONT,
    "xtick.color": TEXT_GREY,
    "ytick.color": TEXT_GREY,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "legend.fontsize": SMALL_FONT,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": DPI,
    "svg.fonttype": "path",  # text as outlines: the SVG looks the same without the font installed
    "svg.hashsalt": "sprss",  # fixed ids inside the SVG, so two renders are byte-identical
}


@contextmanager
def context() -> Iterator[None]:
    """Apply the report style for drawing and saving, then restore the caller's settings."""
    with mpl.rc_context(RC):  # type: ignore[arg-type]  # the stubs allow only literal keys
        yield


class ReportFigure(Figure):
    """Draws in the report style wherever it is drawn (file, notebook): tick density and layout
    read rcParams at draw time, so the screen and the saved file would otherwise differ."""

    def draw(self, renderer: RendererBase) -> None:
        with context():
            super().draw(renderer)


def figure(height_cm: float) -> Figure:
    """A 16 cm wide figure, not registered with pyplot (no GUI, no figures leaking in long runs)."""
    return ReportFigure(figsize=(WIDTH, height_cm * CM), layout="constrained")


def area_colours(areas: Sequence[Any]) -> list[str]:
    """The first area is the territory; the others keep their level's colour, distinct within one chart."""
    spare = [KRAJ, STAT, OBLAST, ORP, OKRES, TERRITORY_LIGHT, "#000000"]
    colours = []
    for n, area in enumerate(areas):
        colour = TERRITORY if n == 0 else AREA_COLOURS.get(area.typ, STAT)
        if colour in colours:  # e.g. a custom territory touching two kraje
            colour = next((c for c in spare if c not in colours), colour)
        colours.append(colour)
    return colours


class CzechFormatter(Formatter):
    """Tick labels in Czech notation; without fixed `decimals`, as few as the tick values need."""

    def __init__(self, decimals: int | None = None, absolute: bool = False) -> None:
        self.decimals = decimals
        self.absolute = absolute  # pyramid: men drawn left of zero are still positive counts
        self._needed = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        self._needed = next((d for d in range(4) if all(
            math.isclose(loc * 10**d, round(loc * 10**d), abs_tol=1e-6) for loc in locs)), 4)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return czech_number(abs(x) if self.absolute else x, self._needed if self.decimals is None else self.decimals)


def finish(fig: Figure, title: str, source: str, notes: Iterable[str] = (),
           handles: list | None = None, ncols: int = 1) -> Figure:
    """Stack title, notes and legend above the plot area and the source line below it, left-aligned.

    `source` is the ready 'Zdroj: …' line (indicators.metadata.source_line for indicators).
    The blocks are measured and the layout engine fills only the space between them: matplotlib's
    own 'outside' legends share the top margin with the title and would overlap it.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    height, width = fig.get_figheight(), WIDTH - 2 * PAD
    top = height - PAD  # inches from the bottom edge, moving down block by block

    def measured(artist: Artist) -> float:
        return artist.get_window_extent(renderer).height / fig.dpi + GAP

    top -= measured(fig.text(PAD / WIDTH, top / height, "\n".join(wrap(title, TITLE_FONT, width, "bold")),
                             ha="left", va="top", fontsize=TITLE_FONT, fontweight="bold"))
    note_lines = [line for note in notes for line in wrap(note, SMALL_FONT, width)]
    if note_lines:
        top -= measured(fig.text(PAD / WIDTH, top / height, "\n".join(note_lines), ha="left", va="top",
                                 fontsize=SMALL_FONT, color=TEXT_GREY))
    if handles:
        top -= measured(fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(PAD / WIDTH, top / height),
                                   ncols=ncols, borderpad=0, borderaxespad=0))
    bottom = PAD + measured(fig.text(PAD / WIDTH, PAD / height, "\n".join(wrap(source, MIN_FONT, width)),
                                     ha="left", va="bottom", fontsize=MIN_FONT, color=TEXT_GREY))
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        raise TypeError("finish() lays out a figure made by style.figure() (layout='constrained').")
    engine.set(rect=(0, bottom / height, 1, (top - bottom) / height))
    return fig


def wrap(text: str, fontsize: float, width_in: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap by the real glyph widths of the report font; never breaks '1. 1.' or after 'k'."""
    font = FontProperties(family=FONT, size=fontsize, weight=weight)
    measure = TextToPath()
    lines = [""]
    for word in re.sub(r"(?<=\d\.) (?=\d)|(?<=\b[kvszouaiKVSZOUAI]) ", NO_BREAK_SPACE, text).split(" "):
        candidate = f"{lines[-1]} {word}".strip()
        width_pt = measure.get_text_width_height_descent(candidate, font, ismath=False)[0]
        if lines[-1] and width_pt / 72 > width_in:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def save(fig: Figure, directory: Path | str, stem: str) -> tuple[Path, Path]:
    """PNG at 300 dpi and SVG, free of timestamps and versions: same figure -> same bytes.

    The figure is laid out and drawn once, for the PNG (the constrained layout is solved inside that draw); the
    SVG is drawn from the same layout with the engine off. savefig would lay out again before each file (a draw
    without rendering, then the real one). The PNG is RGB, not RGBA: the background is opaque white, so the
    pixels are the same and there is a quarter less to compress (compress_level 1: a quarter faster than the
    default for ~8 % larger files). Pillow compresses without holding the interpreter, so the PNG is written in
    a second thread while the SVG is drawn; both files are complete when save returns."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    engine, dpi = fig.get_layout_engine(), fig.dpi
    with context(), ThreadPoolExecutor(1) as encoder:
        canvas = FigureCanvasAgg(fig)
        fig.dpi = DPI
        try:
            canvas.draw()
        finally:
            fig.dpi = dpi
        rgba = canvas.buffer_rgba()  # rows × columns × 4 at 300 dpi
        rgb = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1).convert("RGB")
        png_written = encoder.submit(rgb.save, png, format="png", dpi=(DPI, DPI), compress_level=1)
        fig.set_layout_engine(None)
        try:
            fig.savefig(svg, metadata={"Date": None, "Creator": None})
        finally:
            fig.set_layout_engine(engine)
        png_written.result()
    return png, svg
