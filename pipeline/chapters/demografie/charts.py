"""Charts of the socio-demographic chapter; each returns a matplotlib Figure in the report style.

Values are only selected from the frames of `indicators.compute` and `indicators.age_pyramid`, never
recomputed here; titles and units come from indicators.yaml, so charts and text cannot disagree.
"""
from collections.abc import Sequence
from datetime import date, timedelta
import math
import textwrap

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from pipeline.chapters.shared import styled
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, label
from pipeline.core.text import czech_iso
from pipeline.indicators import metadata
from pipeline.render import style
from pipeline.render.style import CzechFormatter, czech_number

AGE_SHARES = ["podil_0_14", "podil_15_64", "podil_65_plus", "podil_80_plus"]
# kinds of bars in indicator_by_area -> (title 'podle …', axis label)
AREA_KINDS = {frozenset({"obec"}): ("obcí", "Obec"), frozenset({"oblast"}): ("oblastí", "Oblast"),
              frozenset({"obec", "oblast"}): ("obcí a oblastí", "Obec, oblast")}
LABELLED_DATES = 6  # a longer population series labels years, not dates, and only some of its values
MAX_ROWS = 40  # bars per column in indicator_by_area: 78 obce become two columns that fit an A4 page


def _period(dates: list[str]) -> str:
    return f"{dates[0][:4]}–{dates[-1][:4]}" if len(dates) > 1 else czech_iso(dates[0])


def _decimals(code: str) -> int:
    return 0 if metadata.by_code()[code].jednotka == "osoby" else 1


def _rows(ind: pd.DataFrame, area: Area, codes: list[str]) -> pd.DataFrame:
    return ind[(ind["uzemi_typ"] == area.typ) & (ind["uzemi_kod"] == area.kod) & ind["ukazatel"].isin(codes)]


def _value(ind: pd.DataFrame, area: Area, code: str, obdobi: str) -> float:
    rows = _rows(ind, area, [code])
    rows = rows[rows["obdobi"] == obdobi]
    if rows.empty:
        raise SprssError(f"Graf nelze vykreslit: pro {label(area)} chybí {metadata.by_code()[code].nazev.lower()} "
                         f"k {czech_iso(obdobi)}.")
    return float(rows["hodnota"].iloc[0])


@styled
def population_trend(ind: pd.DataFrame, area: Area, local: Sequence[metadata.SeriesBreak] = ()) -> Figure:
    """Population on 1 January; series breaks (national, and the area's own in `local`: transfers between obce,
    splits) are marked so a revision or a change of territory is not read as growth or decline."""
    code = "obyvatel_celkem"
    meta = metadata.by_code()[code]
    rows = _rows(ind, area, [code])
    rows = rows[rows["obdobi"].str.endswith("-01-01")].sort_values("obdobi")  # 31 Dec repeats the next 1 Jan
    if rows.empty:
        raise SprssError(f"Graf nelze vykreslit: pro {label(area)} chybí počet obyvatel k 1. 1.")
    dates = rows["obdobi"].tolist()
    x = [date.fromisoformat(d) for d in dates]
    y = rows["hodnota"].to_numpy()
    breaks = sorted({b.datum: b for b in [*metadata.series_breaks(), *local] if dates[0] < b.datum <= dates[-1]}
                    .values(), key=lambda b: b.datum)
    segment = [sum(b.datum <= d for b in breaks) for d in dates]

    fig = style.figure(9.5)
    ax = fig.subplots()
    for s in sorted(set(segment)):
        part = [i for i, seg in enumerate(segment) if seg == s]
        ax.plot([x[i] for i in part], y[part], color=style.TERRITORY, marker="o", markersize=4)  # type: ignore[arg-type]  # matplotlib's stubs omit dates, which its date axis takes
    for i in range(1, len(x)):
        if segment[i] != segment[i - 1]:
            ax.plot(x[i - 1:i + 1], y[i - 1:i + 1], color=style.TERRITORY, linestyle=":", linewidth=1)  # type: ignore[arg-type]  # matplotlib's stubs omit dates, which its date axis takes
    # a long series (every year since 2010) labels its years only, and its values at the ends and around the breaks
    many = len(dates) > LABELLED_DATES
    after_breaks = [next(i for i, d in enumerate(dates) if d >= b.datum) for b in breaks]
    labelled = set(range(len(x))) if not many else {0, len(x) - 1, *after_breaks, *(i - 1 for i in after_breaks)}
    for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
        if i in labelled:
            ax.annotate(czech_number(yi), (xi, yi), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=style.SMALL_FONT)
    for n, (b, after) in enumerate(zip(breaks, after_breaks, strict=True)):
        at = x[after - 1] + (x[after] - x[after - 1]) / 2
        ax.axvline(at, color=style.TEXT_GREY, linestyle="--", linewidth=0.8)  # type: ignore[arg-type]  # matplotlib's stubs omit dates, which its date axis takes
        close = n > 0 and after - after_breaks[n - 1] <= 2  # labels of neighbouring breaks are stacked
        ax.annotate("\n".join(textwrap.wrap(b.popisek, 16)), (at, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -2 - (24 if close else 0)), textcoords="offset points", ha="left", va="top",
                    fontsize=style.MIN_FONT, color=style.TEXT_GREY)

    low, high = y.min(), y.max()
    from_zero = high - low >= high / 4  # small changes of a large count would vanish on a zero-based axis
    span = max(high - low, high / 50, 10)
    bottom, top = 0 if from_zero else low - 0.7 * span, high + 0.9 * span
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=True)
    if not from_zero and min(t for t in locator.tick_values(bottom, top) if t >= bottom) - bottom < (top - bottom) / 10:
        bottom -= (top - bottom) / 10  # keep the lowest tick clear of the axis-break mark
    ax.set_ylim(bottom, top)
    ax.yaxis.set_major_locator(locator)
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.set_xticks(x, [d[:4] if many else czech_iso(d) for d in dates])  # type: ignore[arg-type]  # matplotlib's stubs omit dates, which its date axis takes
    ax.set_xlim(x[0] - timedelta(days=150), x[-1] + timedelta(days=180 if breaks else 150))  # type: ignore[arg-type]  # matplotlib's stubs omit dates, which its date axis takes
    ax.grid(axis="y")
    ax.set_xlabel("Stav k 1. 1. roku" if many else "Stav k datu")
    ax.set_ylabel(f"{meta.nazev} ({meta.jednotka})")
    notes = []
    if not from_zero:
        _axis_break_mark(ax)
        notes.append("Osa y nezačíná nulou: zvýrazňuje změny, ne velikost.")
    if breaks:
        cause = "změna metodiky nebo hranic obcí" if local else "změna metodiky"
        notes.append(f"Svislé čáry: zlomy řady ({cause}); hodnoty spojené tečkovaně nejsou přímo srovnatelné.")
    return style.finish(fig, f"{meta.nazev} – {label(area)}, {_period(dates)}",
                        metadata.source_line(["csu_pocet_obyvatel"]), notes)


def _axis_break_mark(ax: Axes) -> None:
    """Two slashes across the foot of the y axis: the usual sign that the axis is cut."""
    for offset in (0.0, 0.025):
        ax.plot([-0.012, 0.012], [0.01 + offset, 0.04 + offset], transform=ax.transAxes,
                color=style.TEXT_GREY, linewidth=0.8, clip_on=False)


def _pyramid_side(rows: pd.DataFrame, pohlavi: str, groups: list[int]) -> np.ndarray:
    return rows[rows["pohlavi"] == pohlavi].set_index("vek_od")["pocet"].reindex(groups, fill_value=0).to_numpy(float)


@styled
def age_pyramid(pyr: pd.DataFrame, area: Area, reference: Area | None = None, obdobi: str | None = None) -> Figure:
    """Counts by sex and five-year group (latest date unless given); the reference area's age structure
    is drawn as an outline scaled to this area's population, so the shapes compare at a glance."""
    own = pyr[(pyr["uzemi_typ"] == area.typ) & (pyr["uzemi_kod"] == area.kod)]
    if own.empty:
        raise SprssError(f"Graf nelze vykreslit: pro {label(area)} chybí věkové složení.")
    obdobi = obdobi or own["obdobi"].max()
    own = own[own["obdobi"] == obdobi]
    bands = own.drop_duplicates("vek_od").sort_values("vek_od")
    groups = bands["vek_od"].tolist()
    names = [f"{od}+" if pd.isna(do) else f"{od}–{do}" for od, do in zip(bands["vek_od"], bands["vek_do"], strict=True)]
    men, women = _pyramid_side(own, "muzi", groups), _pyramid_side(own, "zeny", groups)
    y = np.arange(len(groups))

    fig = style.figure(11)
    ax = fig.subplots()
    ax.barh(y, -men, height=0.82, color=style.TERRITORY)
    ax.barh(y, women, height=0.82, color=style.TERRITORY_LIGHT)
    handles = []  # the sexes are named on the chart; only the outline needs explaining
    extent = max(men.max(), women.max())
    if reference is not None:
        ref = pyr[(pyr["uzemi_typ"] == reference.typ) & (pyr["uzemi_kod"] == reference.kod) & (pyr["obdobi"] == obdobi)]
        if ref.empty:
            raise SprssError(f"Graf nelze vykreslit: pro {label(reference)} chybí věkové složení k {czech_iso(obdobi)}.")
        scale = own["pocet"].sum() / ref["pocet"].sum()
        edges = np.arange(len(groups) + 1) - 0.5
        ref_men, ref_women = _pyramid_side(ref, "muzi", groups) * scale, _pyramid_side(ref, "zeny", groups) * scale
        for values in (-ref_men, ref_women):
            ax.stairs(values, edges, orientation="horizontal", baseline=None, color=style.KRAJ, linewidth=1.2)
        handles = [Line2D([], [], color=style.KRAJ, linewidth=1.2,
                              label=f"{label(reference)} – věková struktura přepočtená na počet obyvatel {label(area)}")]
        extent = max(extent, ref_men.max(), ref_women.max())

    ax.set_xlim(-1.08 * extent, 1.08 * extent)
    ax.set_ylim(-0.6, len(groups) - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], integer=True, symmetric=True))
    ax.xaxis.set_major_formatter(CzechFormatter(absolute=True))
    ax.set_yticks(y, names)
    ax.axvline(0, color=style.TEXT_GREY, linewidth=0.6)
    ax.grid(axis="x")
    ax.set_xlabel("Počet obyvatel (osoby)")
    ax.set_ylabel("Věková skupina (roky)")
    for side, text in ((0.25, "Muži"), (0.75, "Ženy")):
        ax.text(side, 0.96, text, transform=ax.transAxes, ha="center", va="baseline", fontweight="bold")
    return style.finish(fig, f"Věková struktura obyvatel – {label(area)}, {czech_iso(obdobi)}",
                        metadata.source_line(["csu_vekove_slozeni"]),
                        handles=handles)


@styled
def age_group_shares(ind: pd.DataFrame, areas: list[Area], obdobi: str) -> Figure:
    """Shares of the age groups side by side for the territory (first area) and its comparisons."""
    meta = metadata.by_code()
    colours = style.area_colours(areas)
    x = np.arange(len(AGE_SHARES))
    width = 0.84 / len(areas)

    fig = style.figure(9.5)
    ax = fig.subplots()
    for i, (area, colour) in enumerate(zip(areas, colours, strict=True)):
        values = [_value(ind, area, code, obdobi) for code in AGE_SHARES]
        bars = ax.bar(x + (i - (len(areas) - 1) / 2) * width, values, width * 0.92, color=colour, label=label(area))
        ax.bar_label(bars, [czech_number(v, 1) for v in values], padding=2, fontsize=style.MIN_FONT)
    # group names from the count indicators: 'Děti 0–14 let' rather than 'Podíl dětí 0–14 let' four times
    groups = [meta[code.replace("podil_", "obyvatel_")].nazev for code in AGE_SHARES]
    groups[-1] += "\n(součást skupiny 65+)"
    ax.set_xticks(x, groups)
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.margins(y=0.12)
    ax.grid(axis="y")
    ax.set_xlabel("Věková skupina")
    ax.set_ylabel(f"Podíl na počtu obyvatel ({meta[AGE_SHARES[0]].jednotka})")
    return style.finish(fig, f"Věkové složení obyvatel – {label(areas[0])} a srovnání, {czech_iso(obdobi)}",
                        metadata.source_line(AGE_SHARES),
                        handles=ax.get_legend_handles_labels()[0], ncols=len(areas))


@styled
def seniors_over_time(ind: pd.DataFrame, area: Area) -> Figure:
    """Seniors 65+ and 80+ as counts and shares at every date with age data; bars, so one date still reads well."""
    meta = metadata.by_code()
    panels = [(["obyvatel_65_plus", "obyvatel_80_plus"], "Počet"),
              (["podil_65_plus", "podil_80_plus"], "Podíl na počtu obyvatel")]
    rows = _rows(ind, area, [code for codes, _ in panels for code in codes])
    dates = sorted(rows["obdobi"].unique())
    if not dates:
        raise SprssError(f"Graf nelze vykreslit: pro {label(area)} chybí věkové složení.")
    x = np.arange(len(dates))

    fig = style.figure(9)
    axes = fig.subplots(1, 2)
    for ax, (codes, name) in zip(axes, panels, strict=False):
        wide = rows[rows["ukazatel"].isin(codes)].pivot(index="obdobi", columns="ukazatel", values="hodnota")
        wide = wide.reindex(index=dates, columns=codes)
        for i, (code, colour) in enumerate(zip(codes, (style.TERRITORY, style.TERRITORY_LIGHT), strict=False)):
            bars = ax.bar(x + (i - 0.5) * 0.4, wide[code], 0.38, color=colour)
            if len(dates) <= 5:
                ax.bar_label(bars, [czech_number(v, _decimals(code)) for v in wide[code]], padding=2,
                             fontsize=style.MIN_FONT)
        ax.set_xticks(x, [czech_iso(d) for d in dates], rotation=90 if len(dates) > 5 else 0)
        ax.set_xlim(-0.8, len(dates) - 0.2)
        ax.margins(y=0.1)
        ax.yaxis.set_major_formatter(CzechFormatter())
        ax.grid(axis="y")
        ax.set_xlabel("Stav k datu")
        ax.set_ylabel(f"{name} ({meta[codes[0]].jednotka})")
    handles = [Patch(color=style.TERRITORY, label=meta["obyvatel_65_plus"].nazev),
               Patch(color=style.TERRITORY_LIGHT, label=f"{meta['obyvatel_80_plus'].nazev} (součást skupiny 65+)")]
    return style.finish(fig, f"Senioři 65+ a 80+ let – {label(area)}, {_period(dates)}",
                        metadata.source_line([code for codes, _ in panels for code in codes]),
                        handles=handles, ncols=2)


@styled
def indicator_by_area(ind: pd.DataFrame, code: str, obdobi: str, areas: list[Area],
                      reference_lines: Sequence[Area] = ()) -> Figure:
    """One indicator per obec or sub-area, sorted, with the territory (first reference) and kraj as lines.

    Height grows with the number of bars; above MAX_ROWS the bars continue in a second column,
    so 78 obce still fit a page at a legible 6.5 pt. Counts (sums) get no reference lines: the
    territory's total is no benchmark for its parts.
    """
    meta = metadata.by_code()[code]
    decimals = _decimals(code)
    rows = ind[(ind["ukazatel"] == code) & (ind["obdobi"] == obdobi)]
    known = {(t, k): v for t, k, v in rows[["uzemi_typ", "uzemi_kod", "hodnota"]].itertuples(index=False)}
    shown = sorted((a for a in areas if (a.typ, a.kod) in known), key=lambda a: -known[(a.typ, a.kod)])
    missing = [a for a in areas if (a.typ, a.kod) not in known]
    if not shown:
        raise SprssError(f"Graf nelze vykreslit: {meta.nazev.lower()} k {czech_iso(obdobi)} nemá hodnotu pro žádné území.")
    benchmarks = [] if {"soucet", "zmena"} & set(meta.vypocet) else reference_lines
    references = [(a, _value(ind, a, code, obdobi), c) for a, c in zip(benchmarks, style.area_colours(benchmarks), strict=True)]
    columns = math.ceil(len(shown) / MAX_ROWS)
    per_column = math.ceil(len(shown) / columns)
    font = style.SMALL_FONT if per_column <= 20 else style.MIN_FONT
    value_label = f"{meta.nazev} ({meta.jednotka})" if columns == 1 else f"{meta.nazev}\n({meta.jednotka})"
    height_in = per_column * max(font * 1.45 / 72, 0.22 if per_column < 8 else 0) + 1.7

    fig = style.figure(height_in / style.CM)
    axes = fig.subplots(1, columns, sharex=True, squeeze=False)[0]
    for n, ax in enumerate(axes):
        chunk = shown[n * per_column:(n + 1) * per_column]
        values = [known[(a.typ, a.kod)] for a in chunk]
        y = np.arange(len(chunk))
        colours = [style.OBLAST if a.typ == "oblast" else style.TERRITORY_LIGHT for a in chunk]
        ax.barh(y, values, height=0.75, color=colours)
        for row, value in zip(y, values, strict=True):  # at the foot of the bar: an aligned column no reference line crosses
            ax.annotate(czech_number(value, decimals), (0, row), xytext=(2, 0), textcoords="offset points",
                        ha="left", va="center_baseline", fontsize=font)
        ax.set_yticks(y, [a.nazev for a in chunk], fontsize=font)
        for tick, area in zip(ax.get_yticklabels(), chunk, strict=True):
            tick.set_fontweight("bold" if area.typ == "oblast" else "normal")
        ax.set_ylim(per_column - 0.5, -0.5)  # highest on top; equal row pitch in every column
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=font)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.grid(axis="x")
        ax.set_xlabel(value_label, fontsize=font + 1)
        for _, value, colour in references:
            ax.axvline(value, color=colour, linewidth=1.2)
    top = max([known[(a.typ, a.kod)] for a in shown] + [v for _, v, _ in references])
    axes[0].set_xlim(0, top * 1.04)

    handles: list[Artist] = [Line2D([], [], color=c, linewidth=1.2, label=f"{label(a)}: {czech_number(v, decimals)}")
               for a, v, c in references]
    kinds = {a.typ for a in shown}
    by_what, axis_name = AREA_KINDS.get(frozenset(kinds), ("území", "Území"))
    axes[0].set_ylabel(axis_name, fontsize=font + 1)
    if "oblast" in kinds and len(kinds) > 1:
        handles += [Patch(color=style.TERRITORY_LIGHT, label="obec"), Patch(color=style.OBLAST, label="oblast")]
    notes = [f"Bez hodnoty: {', '.join(a.nazev for a in missing)}."] if missing else []
    where = f" – {label(reference_lines[0])}" if reference_lines else ""
    return style.finish(fig, f"{meta.nazev} podle {by_what}{where}, {czech_iso(obdobi)}", metadata.source_line([code]), notes,
                        handles=handles, ncols=len(handles))


@styled
def population_index(ind: pd.DataFrame, areas: Sequence[Area]) -> Figure:
    """Population k 1. 1. as an index of each area's first year (= 100), the territory beside its kraj and ČR;
    national series breaks are marked as in population_trend."""
    code = "index_vyvoje_obyvatel"
    fig = style.figure(8.5)
    ax = fig.subplots()
    handles, years = [], set()
    for area, colour in zip(areas, style.area_colours(areas), strict=True):
        rows = _rows(ind, area, [code])
        rows = rows[rows["obdobi"].str.endswith("-01-01")].sort_values("obdobi")
        if rows.empty:
            continue
        x = [int(d[:4]) for d in rows["obdobi"]]
        years |= set(x)
        ax.plot(x, rows["hodnota"], color=colour, marker="o", markersize=3)
        handles.append(Line2D([], [], color=colour, marker="o", markersize=3, label=label(area)))
    if not years:
        raise SprssError("Graf nelze vykreslit: žádné území nemá počet obyvatel k 1. 1. více let.")
    first, last = min(years), max(years)
    for b in metadata.series_breaks():
        if first < int(b.datum[:4]) <= last:
            ax.axvline(int(b.datum[:4]) - 0.5, color=style.TEXT_GREY, linestyle="--", linewidth=0.8)
    ax.axhline(100, color=style.TEXT_GREY, linewidth=0.6)
    ax.set_xticks(sorted(years))
    ax.yaxis.set_major_formatter(CzechFormatter())
    ax.set_ylabel(f"index ({first} = 100)")
    ax.grid(axis="y")
    return style.finish(fig, f"Vývoj počtu obyvatel, index {first} = 100, {first}–{last}",
                        metadata.source_line(["csu_pocet_obyvatel"]),
                        ["Svislé čáry: zlomy řady (změna metodiky); změna přes ně není skutečný vývoj."],
                        handles=handles, ncols=min(3, len(handles)))
