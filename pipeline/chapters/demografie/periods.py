"""Which population stocks may be compared: one place for the periods the text and the change map both use.

A period is comparable when no series break lies inside it: national breaks (`metadata.series_breaks`) and, for one
area, its own (transfers between obce, splits: StudyData.breaks_of).
"""
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from pipeline.indicators import metadata
from pipeline.indicators.metadata import SeriesBreak


def stock_dates(dates: Iterable[str]) -> list[str]:
    """Dates of distinct population stocks: 31 Dec is dropped when the next 1 Jan is there (the same stock)."""
    ordered = sorted(set(dates))
    return [d for d in ordered if (date.fromisoformat(d) + timedelta(days=1)).isoformat() not in ordered]


def breaks_between(earlier: str, later: str, local: Sequence[SeriesBreak] = ()) -> list[SeriesBreak]:
    """Breaks whose first affected stock lies after `earlier` and not after `later` (31 Dec = next 1 Jan); `local`
    adds the area's own breaks (transfers between obce, splits: StudyData.breaks_of)."""
    start, end = _moment(earlier), _moment(later)
    return [b for b in [*metadata.series_breaks(), *local] if start < date.fromisoformat(b.datum) <= end]


def _moment(obdobi: str) -> date:
    day = date.fromisoformat(obdobi)
    return day + timedelta(days=1) if (day.month, day.day) == (12, 31) else day


def comparable_periods(dates: Iterable[str], local: Sequence[SeriesBreak] = ()) -> list[tuple[str, str]]:
    """(start, end) of the longest runs of consecutive stocks with no break between them, oldest first."""
    stocks = stock_dates(dates)
    runs: list[tuple[str, str]] = []
    for a, b in zip(stocks, stocks[1:], strict=False):
        if breaks_between(a, b, local):
            continue
        if runs and runs[-1][1] == a:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
    return runs


def latest_comparable_period(dates: Iterable[str]) -> tuple[str, str] | None:
    """The newest period without a national break (what the change map shows); None with fewer than two stocks."""
    runs = comparable_periods(dates)
    return runs[-1] if runs else None
