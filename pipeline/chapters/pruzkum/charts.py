"""Tables and charts for the chapter "Výsledky dotazníkového šetření", in the style of the study.

Every value comes from the tidy tables of pipeline.indicators.pruzkum as it is (never recomputed here: only
selected, pivoted and rounded for print), so the chapter, the CSV and the XLSX cannot disagree. Headers carry
the unit ('(%)', 'Průměr', 'Index'), and `decimals` prints each column by it.
"""
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
import numpy as np
import pandas as pd

from pipeline import sources
from pipeline.core.errors import SprssError
from pipeline.core.text import plural
from pipeline.indicators.pruzkum import MEAN, TOTAL, SurveyData
from pipeline.render import style
from pipeline.render.style import CzechFormatter, czech_number
from pipeline.sources.pruzkum.codebook import OTHER

# Likert steps from the most positive to the most negative; "don't know" is left out of the bars
POSITIVE = ["#0072B2", "#56B4E9"]
NEUTRAL = "#BBBBBB"
NEGATIVE = ["#E69F00", "#D55E00"]
RESPONDENTS, POPULATION = style.TERRITORY, style.STAT
# breakdowns of tabulate (skupina_typ): the column header and 'podle …' in titles
GROUP_HEADERS = {"vek": "Věková skupina", "oblast": "Oblast", "obec": "Obec"}
BY = {"vek": "věkových skupin", "oblast": "oblastí", "obec": "obcí"}
CI = "úsečky: 95% interval spolehlivosti (Wilson)"
LABEL_WIDTH = 2.0  # inches of the longest line of a bar's name; longer names wrap


def source(name: str, population: bool = False) -> str:
    """The source line of the survey's charts and tables; the population counts enter representativeness and weights."""
    return sources.source_line(f"{sources.meta('pruzkum').citation} {name}",
                               *([sources.POPULATION_COUNTS] if population else []))


def decimals(frame: pd.DataFrame) -> dict[str, int]:
    """Decimals to print by the column's header: means and indices 2, percentages 1, counts none."""
    shown = {}
    for column in frame.columns:
        text = str(column).lower()
        if "průměr" in text or text.startswith("index"):
            shown[column] = 2
        elif "%" in text:
            shown[column] = 1
    return shown


# --- tables ------------------------------------------------------------------------------------------------


def overview(survey: SurveyData, representativeness: pd.DataFrame) -> pd.DataFrame:
    """Response overview: rows of the export by outcome, and how much of the territory the respondents cover."""
    meta = survey.meta
    obce = representativeness[representativeness["skupina_typ"] == "obec"]
    answered = obce[obce["respondentu"] > 0]
    rows = [("Řádků v exportu", meta["radku"]), ("Platných odpovědí", meta["platnych"]),
            ("Odmítnutých řádků", meta["odmitnutych"]), ("Prázdných řádků", meta["prazdnych"]),
            ("Obcí území", len(obce)), ("Obcí s alespoň jedním respondentem", len(answered)),
            ("Obyvatel území", obce["obyvatel"].sum()), ("Obyvatel obcí s respondenty", answered["obyvatel"].sum())]
    return pd.DataFrame([(text, int(value)) for text, value in rows], columns=["Ukazatel", "Hodnota"])


def ranking(table: pd.DataFrame, question: str) -> pd.DataFrame:
    """Options by share of respondents (e.g. "chybějící služby"), with the 95% Wilson interval, in percent."""
    rows = _question_rows(table, question)
    rows = rows[rows["moznost"] != MEAN].sort_values(["podil", "poradi"], ascending=[False, True])
    return pd.DataFrame({"Pořadí": range(1, len(rows) + 1), "Možnost": rows["moznost"].to_numpy(), **_shares(rows)})


def question_table(table: pd.DataFrame, question: str) -> pd.DataFrame:
    """The options of one question in codebook order with counts, shares and 95% intervals, in percent.

    A Likert scale keeps its values; its "don't know" is a share of everyone who answered, the steps are
    shares of those who chose a step (hence the different 'Odpovědělo')."""
    rows = _question_rows(table, question)
    rows = rows[rows["moznost"] != MEAN]
    scale = {"Hodnota": rows["hodnota"].to_numpy()} if rows["typ"].iloc[0] == "likert" else {}
    return pd.DataFrame({"Možnost": rows["moznost"].to_numpy(), **scale, **_shares(rows)})


def means(table: pd.DataFrame, questions: list[str]) -> pd.DataFrame:
    """Means of Likert scales (without "don't know") and numbers, with 95% intervals; per group in a breakdown."""
    rows = pd.concat([_question_rows(table, q, total_only=False) for q in questions])
    rows = rows[rows["moznost"] == MEAN]
    groups = {"Skupina": rows["skupina"].replace(TOTAL, "Celkem").to_numpy()} if "skupina" in rows else {}
    return pd.DataFrame({"Otázka": rows["otazka_text"].to_numpy(), **groups,
                         "Odpovědělo": rows["n_odpovedi"].to_numpy(), "Průměr": rows["prumer"].round(2).to_numpy(),
                         "Průměr od (95% interval)": rows["prumer_ci_dolni"].round(2).to_numpy(),
                         "Průměr do (95% interval)": rows["prumer_ci_horni"].round(2).to_numpy()})


def breakdown(table: pd.DataFrame, question: str) -> pd.DataFrame:
    """Shares of each option (rows; a multi-choice as a ranking) in the whole survey and in every group of a
    breakdown (columns, with the group's number of respondents who answered), in percent."""
    rows = _question_rows(table, question, total_only=False)
    rows = rows[rows["moznost"] != MEAN]
    total = rows[rows["skupina_typ"] == TOTAL]
    if total["typ"].iloc[0] == "multi":
        total = total.sort_values(["podil", "poradi"], ascending=[False, True])
    frame = pd.DataFrame({"Možnost": total["moznost"].to_numpy()})
    for group, members in rows.groupby("skupina", sort=False):
        shares = members.set_index("moznost")["podil"] * 100
        name = "Celkem" if group == TOTAL else str(group)
        frame[f"{name} (%; n = {members['n_odpovedi'].tolist()[0]})"] = shares.reindex(frame["Možnost"]).round(1).to_numpy()
    return frame


def representation_table(representativeness: pd.DataFrame, kind: str, answered_only: bool = False) -> pd.DataFrame:
    """Respondents against population of each obec, age band or oblast; index 1 = represented as in population."""
    rows = representativeness[representativeness["skupina_typ"] == kind]
    if answered_only:
        rows = rows[rows["respondentu"] > 0].sort_values(["respondentu", "obyvatel"], ascending=False)
    return pd.DataFrame({GROUP_HEADERS[kind]: rows["skupina"].to_numpy(), "Respondentů": rows["respondentu"].to_numpy(),
                         "Podíl respondentů (%)": (rows["podil_respondentu"] * 100).round(1).to_numpy(),
                         "Obyvatel": rows["obyvatel"].round(0).to_numpy(),
                         "Podíl obyvatel (%)": (rows["podil_obyvatel"] * 100).round(1).to_numpy(),
                         "Index zastoupení": rows["index_zastoupeni"].round(2).to_numpy()})


def _shares(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    return {"Počet": rows["pocet"].to_numpy(), "Podíl (%)": (rows["podil"] * 100).round(1).to_numpy(),
            "95% interval od (%)": (rows["podil_ci_dolni"] * 100).round(1).to_numpy(),
            "95% interval do (%)": (rows["podil_ci_horni"] * 100).round(1).to_numpy(),
            "Odpovědělo": rows["n_odpovedi"].to_numpy()}


# --- charts ------------------------------------------------------------------------------------------------


def shares(table: pd.DataFrame, question: str, name: str) -> Figure:
    """Horizontal bars of the shares with their 95% intervals; multi-choice sorted as a ranking.

    The value stands right of its interval: inside the bar the interval's line would cross it."""
    rows = _question_rows(table, question)
    rows = rows[(rows["moznost"] != MEAN) & (rows["typ"] != "likert")]
    if rows.empty:
        raise SprssError(f"Graf podílů nelze vykreslit pro otázku {question} (typ Likertovy škály nebo číslo).")
    multi = rows["typ"].iloc[0] == "multi"
    if multi:
        rows = rows.sort_values("podil", ascending=False)
    title = rows["otazka_text"].iloc[0]
    notes = [f"{_answered(rows['n_odpovedi'].iloc[0])}; {CI}."
             + (" Lze zvolit více možností, proto součet podílů přesahuje 100 %." if multi else "")
             + _weighted_note(table)]
    with style.context():
        labels = [_wrapped(m) for m in rows["moznost"]]
        fig = _figure(title, notes, _rows_height(labels, 0.6))
        ax = fig.subplots()
        colours = [style.TERRITORY_LIGHT if m == OTHER else style.TERRITORY for m in rows["moznost"]]
        _interval_bars(ax, rows, colours)
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xlabel("Podíl respondentů, kteří na otázku odpověděli (%)")
        return style.finish(fig, title, source(name, _weighted(table)), notes)


def likert(table: pd.DataFrame, questions: list[str], name: str, title: str = "Hodnocení na škále") -> Figure:
    """Stacked 100% bars of Likert questions (without "don't know"), the mean and the share of "don't know".

    The legend reads in the scale's order row by row; give questions of one scale, or each scale gets a row.
    A single question is named by the title, so its bar takes the full width and its summary goes to the notes."""
    rows = [_question_rows(table, q) for q in questions]
    if any(r["typ"].iloc[0] != "likert" for r in rows):
        raise SprssError("Skládaný graf je jen pro otázky typu likert.")
    single = len(rows) == 1
    steps = [r[(r["moznost"] != MEAN) & r["hodnota"].notna()].sort_values("hodnota", ascending=False) for r in rows]
    scales = list(dict.fromkeys(f"{s['moznost'].iloc[0]} = {czech_number(s['hodnota'].iloc[0])} až "
                                f"{s['moznost'].iloc[-1]} = {czech_number(s['hodnota'].iloc[-1])}" for s in steps))
    summary = "P" + _likert_summary(rows[0], interval=True)[1:] + ". " if single else ""
    notes = [f"{summary}Čísla v pruzích jsou procenta. Průměr z hodnot {'; '.join(scales)}." + _weighted_note(table)]
    colours = [_diverging(question["hodnota"].to_numpy()) for question in steps]
    legend: dict[str, str] = {}
    for question, shades in zip(steps, colours, strict=True):
        for option, colour in zip(question["moznost"], shades, strict=True):
            legend.setdefault(option, colour)
    columns = min(len(legend), 4)
    with style.context():
        labels = [] if single else [
            "\n".join(style.wrap(r["otazka_text"].iloc[0], style.SMALL_FONT, LABEL_WIDTH)) + f"\n{_likert_summary(r)}"
            for r in rows]
        fig = _figure(title, notes, 1.3 if single else _rows_height(labels, 0.6), -(-len(legend) // columns))
        ax = fig.subplots()
        for position, (question, shades) in enumerate(zip(steps, colours, strict=True)):
            left = 0.0
            for podil, colour in zip(question["podil"], shades, strict=True):
                share = podil * 100
                ax.barh(position, share, left=left, height=0.6, color=colour)
                if share >= 6:
                    ax.text(left + share / 2, position, czech_number(share, 0), ha="center", va="center",
                            fontsize=style.MIN_FONT, color="white" if colour != NEUTRAL else "black")
                left += share
        ax.set_yticks(range(len(labels)), labels)
        ax.spines["left"].set_visible(not single)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.set_xlabel("Podíl odpovědí bez „nevím“ (%)")
        ax.tick_params(axis="y", length=0)
        handles = _row_major([Patch(color=colour, label=label) for label, colour in legend.items()], columns)
        return style.finish(fig, title, source(name, _weighted(table)), notes, handles=handles, ncols=columns)


def by_group(table: pd.DataFrame, question: str, option: str, name: str) -> Figure:
    """One option's share across the groups of a breakdown (age bands, sub-areas), with 95% intervals and the
    whole survey's share as a dashed line to compare with."""
    rows = _question_rows(table, question, total_only=False)
    total = rows[(rows["moznost"] == option) & (rows.get("skupina_typ", TOTAL) == TOTAL)]
    rows = rows[(rows["moznost"] == option) & (rows.get("skupina_typ", TOTAL) != TOTAL)]
    if rows.empty:
        raise SprssError(f"Tabulka nemá členění s možností {option!r} otázky {question}; spusťte tabulaci s --by.")
    overall = total["podil"].iloc[0] * 100
    title = f"„{option}“ podle {BY.get(rows['skupina_typ'].iloc[0], 'skupin respondentů')}"
    notes = [f"Otázka: {rows['otazka_text'].iloc[0]} n = počet respondentů skupiny, kteří na otázku odpověděli.",
             f"Čárkovaně celý průzkum ({czech_number(overall, 1)} %); {CI}; malé skupiny mají široké intervaly."
             + _weighted_note(table)]
    with style.context():
        labels = [_wrapped(f"{g} (n = {n})") for g, n in zip(rows["skupina"], rows["n_odpovedi"], strict=True)]
        fig = _figure(title, notes, _rows_height(labels, 0.6))
        ax = fig.subplots()
        _interval_bars(ax, rows, [style.TERRITORY] * len(rows))
        ax.axvline(overall, color=style.KRAJ, linewidth=1, linestyle=(0, (4, 2)), zorder=1)
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xlabel(f"Podíl respondentů, kteří zvolili „{option}“ (%)")
        return style.finish(fig, title, source(name, _weighted(table)), notes)


def representation(representativeness: pd.DataFrame, kind: str, name: str) -> Figure:
    """Share of respondents next to the share of population in each age band (oblast): who is over-represented."""
    rows = representativeness[representativeness["skupina_typ"] == kind]
    title = f"Respondenti a obyvatelé podle {BY[kind]}"
    notes = ["Obyvatelé: nejnovější dostupné počty ČSÚ (u věku věkové složení obcí)."]
    with style.context():
        labels = [_wrapped(g) for g in rows["skupina"]]
        fig = _figure(title, notes, _rows_height(labels, 0.8), legend_rows=1)
        ax = fig.subplots()
        y = np.arange(len(rows))
        for offset, column, colour, text in ((-0.19, "podil_respondentu", RESPONDENTS, "Respondenti"),
                                             (0.19, "podil_obyvatel", POPULATION, "Obyvatelé území")):
            values = rows[column].to_numpy() * 100
            drawn = ax.barh(y + offset, values, 0.36, color=colour, label=text)
            ax.bar_label(drawn, [f"{czech_number(v, 1)} %" for v in values], padding=2, fontsize=style.MIN_FONT,
                         color=style.TEXT_GREY)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, max(rows[["podil_respondentu", "podil_obyvatel"]].max()) * 100 * 1.15)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("Podíl (%)")
        return style.finish(fig, title, source(name, population=True), notes,
                            handles=ax.get_legend_handles_labels()[0], ncols=2)


def _figure(title: str, notes: list[str], plot_cm: float, legend_rows: int = 0) -> Figure:
    """A figure tall enough for the plot after style.finish stacks the wrapped title, notes and legend above it
    (their lines vary with the question, so a fixed height would squeeze the bars of a long question)."""
    width = style.WIDTH - 2 * style.PAD
    title_lines = len(style.wrap(title, style.TITLE_FONT, width, "bold"))
    note_lines = sum(len(style.wrap(note, style.SMALL_FONT, width)) for note in notes)
    return style.figure(2.0 + 0.5 * title_lines + 0.36 * note_lines + 0.45 * legend_rows + plot_cm)


def _interval_bars(ax: Axes, rows: pd.DataFrame, colours: list[str]) -> None:
    """Bars of shares (%) with Wilson intervals, each labelled right of its interval; axis 0–100 %, with room
    beyond it for the label of an interval that ends at 100 % (the layout engine does not see labels)."""
    y = np.arange(len(rows))
    values = rows["podil"].to_numpy() * 100
    low, high = rows["podil_ci_dolni"].to_numpy() * 100, rows["podil_ci_horni"].to_numpy() * 100
    ax.barh(y, values, height=0.7, color=colours, xerr=np.vstack([values - low, high - values]),
            error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": style.TEXT_GREY})
    for row, value, end in zip(y, values, high, strict=True):
        if not np.isnan(value):
            ax.annotate(f"{czech_number(value, 1)} %", (end, row), xytext=(4, 0), textcoords="offset points",
                        ha="left", va="center_baseline", fontsize=style.MIN_FONT, color="black",
                        annotation_clip=False)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 114)
    ax.set_xticks(range(0, 101, 20))
    ax.spines["bottom"].set_bounds(0, 100)
    ax.xaxis.set_major_formatter(CzechFormatter())
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)


def _wrapped(text: str) -> str:
    """A bar's name on lines of LABEL_WIDTH; a name that fits stays exactly as given."""
    lines = style.wrap(str(text), style.SMALL_FONT, LABEL_WIDTH)
    return "\n".join(lines) if len(lines) > 1 else str(text)


def _rows_height(labels: list[str], one_line: float) -> float:
    """cm for equally spaced bars whose names have up to this many lines (a wrapped name must not touch the next)."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return len(labels) * (one_line + 0.32 * (lines - 1))


def _answered(n: int) -> str:
    verb = "odpověděl" if n == 1 else "odpověděli" if 2 <= n <= 4 else "odpovědělo"
    return f"Na otázku {verb} {plural(int(n), 'respondent', 'respondenti', 'respondentů')}"


def _weighted(table: pd.DataFrame) -> bool:
    return "pocet_vazeny" in table  # answers_table adds it only with weights


def _weighted_note(table: pd.DataFrame) -> str:
    return (" Podíly jsou váženy podle počtu obyvatel (intervaly z efektivního počtu respondentů)."
            if _weighted(table) else "")


def _row_major(handles: list, columns: int) -> list:
    """Matplotlib fills legend columns first; reorder so that the legend reads left to right, row by row."""
    lines = -(-len(handles) // columns)
    return [handles[r * columns + c] for c in range(columns) for r in range(lines) if r * columns + c < len(handles)]


def _question_rows(table: pd.DataFrame, question: str, total_only: bool = True) -> pd.DataFrame:
    """Rows of one question; of the whole survey unless the groups of a breakdown are wanted."""
    rows = table[table["otazka"] == question]
    if total_only and "skupina_typ" in rows:
        rows = rows[rows["skupina_typ"] == TOTAL]
    if rows.empty:
        raise SprssError(f"Tabulka průzkumu nemá otázku {question!r}.")
    return rows


def _likert_summary(rows: pd.DataFrame, interval: bool = False) -> str:
    """'průměr 2,90, „Nevím“ 23 %'; with the mean's interval where there is room for it."""
    mean = rows[rows["moznost"] == MEAN].iloc[0]
    text = f"průměr {czech_number(mean['prumer'], 2)}"
    if interval and pd.notna(mean["prumer_ci_dolni"]):
        text += f" (95% interval {czech_number(mean['prumer_ci_dolni'], 2)}–{czech_number(mean['prumer_ci_horni'], 2)})"
    dont_know = rows[rows["hodnota"].isna() & (rows["moznost"] != MEAN)]
    if len(dont_know):
        text += (f", „{dont_know['moznost'].iloc[0]}“ {czech_number(dont_know['podil'].iloc[0] * 100, 0)} %"
                 + (" všech odpovědí" if interval else ""))
    return text


def _diverging(values: np.ndarray) -> list[str]:
    """Blue for the upper half of the scale, orange for the lower, grey for its middle (darkest at the ends)."""
    middle = (values.max() + values.min()) / 2
    upper = sorted((v for v in values if v > middle), reverse=True)
    lower = sorted(v for v in values if v < middle)
    colours = {v: POSITIVE[min(i, 1)] for i, v in enumerate(upper)}
    colours |= {v: NEGATIVE[1 - min(i, 1)] for i, v in enumerate(lower)}
    return [colours.get(v, NEUTRAL) for v in values]
