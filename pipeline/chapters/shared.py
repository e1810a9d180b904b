"""What every chapter hands to the document the same way: tables with their decimals and source line, and charts
drawn under the report style. Chapters import this module and never one another."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
import functools
from typing import ParamSpec

from matplotlib.figure import Figure
import pandas as pd

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
