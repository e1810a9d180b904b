"""What every chapter hands to the document the same way: tables with their decimals and source line, and charts
drawn under the report style. Chapters import this module and never one another."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
import functools
from typing import ParamSpec

from matplotlib.figure import Figure
import pandas as pd

from pipeline.core.territory import Area
from pipeline.core.text import czech_join
from pipeline.render import style

P = ParamSpec("P")


@dataclass
class Table:
    frame: pd.DataFrame
    decimals: dict[str, int]  # column -> decimals shown
    source: str


def styled(chart: Callable[P, Figure]) -> Callable[P, Figure]:
    """Every artist is created under the report style, whatever the caller's rcParams."""
    @functools.wraps(chart)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with style.context():
            return chart(*args, **kwargs)
    return wrapper


def with_references(name: str, references: Sequence[object], genitive: bool = False) -> str:
    """'X a srovnávací území' ('X a srovnávacích území' in the genitive), or X alone for ČR, which has none."""
    if not references:
        return name
    return f"{name} a srovnávacích území" if genitive else f"{name} a srovnávací území"


COMPARED_WORDS = {"orp": "ORP", "okres": "okresem", "kraj": "krajem", "stat": "ČR"}


def compared_with(references: Sequence[Area], levels: Sequence[str] = ("kraj", "stat")) -> str:
    """'s krajem a ČR', 's ČR' (a kraj, or an area that is all of its kraj: Praha), '' for ČR: what a comparison with
    the reference areas of these levels holds, for headings."""
    present = {a.typ for a in references}
    named = [COMPARED_WORDS[typ] for typ in levels if typ in present]
    return f"s {czech_join(named)}" if named else ""
