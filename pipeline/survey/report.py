"""Tables and charts for the chapter "Výsledky dotazníkového šetření", in the style of the study.

Every value comes from the tidy tables of pipeline.survey.tabulate as it is (never recomputed here), so the
chapter, the CSV and the XLSX cannot disagree.
"""
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pipeline.errors import SprssError
from pipeline.report import style
from pipeline.report.style import CzechFormatter, czech_number
from pipeline.survey.codebook import OTHER
from pipeline.survey.tabulate import MEAN, TOTAL, SurveyData

# Likert steps from the most positive to the most negative; "don't know" is left out of the bars
POSITIVE = ["#0072B2", "#56B4E9"]
NEUTRAL = "#BBBBBB"
NEGATIVE = ["#E69F00", "#D55E00"]


def overview(survey: SurveyData, representativeness: pd.DataFrame) -> pd.DataFrame:
    """Response overview: rows of the export by outcome, and how much of the territory the respondents cover."""
    meta = survey.meta
    obce = representativeness[representativeness["skupina_typ"] == "obec"]
    answered = obce[obce["respondentu"] > 0]
    covered = answered["obyvatel"].sum() / obce["obyvatel"].sum() * 100
    rows = [("Řádků v exportu", meta["radku"]), ("Platných odpovědí", meta["platnych"]),
            ("Odmítnutých řádků (viz seznam odmítnutých)", meta["odmitnutych"]),
            ("Prázdných řádků", meta["prazdnych"]), ("Obcí území", len(obce)),
            ("Obcí s alespoň jedním respondentem", len(answered)),
            ("Obyvatel v obcích s respondenty (%)", round(covered, 1))]
    return pd.DataFrame(rows, columns=["Ukazatel", "Hodnota"])


def ranking(table: pd.DataFrame, question: str) -> pd.DataFrame:
    """Options by share of respondents (e.g. "chybějící služby"), with the 95% Wilson interval, in percent."""
    rows = _question_rows(table, question)
    rows = rows[rows["moznost"] != MEAN].sort_values(["podil", "poradi"], ascending=[False, True])
    return pd.DataFrame({
        "Pořadí": range(1, len(rows) + 1), "Možnost": rows["moznost"].to_numpy(), "Počet": rows["pocet"].to_numpy(),
        "Podíl (%)": (rows["podil"] * 100).round(1).to_numpy(),
        "95% interval od (%)": (rows["podil_ci_dolni"] * 100).round(1).to_numpy(),
        "95% interval do (%)": (rows["podil_ci_horni"] * 100).round(1).to_numpy(),
        "Odpovědělo": rows["n_odpovedi"].to_numpy()})


def shares(table: pd.DataFrame, question: str, name: str) -> Figure:
    """Horizontal bars of the shares with their 95% intervals; multi-choice sorted as a ranking."""
    rows = _question_rows(table, question)
    rows = rows[(rows["moznost"] != MEAN) & (rows["typ"] != "likert")]
    if rows.empty:
        raise SprssError(f"Graf podílů nelze vykreslit pro otázku {question} (typ Likertovy škály nebo číslo).")
    if rows["typ"].iloc[0] == "multi":
        rows = rows.sort_values("podil", ascending=False)
    with style.context():
        fig = style.figure(2.2 + 0.55 * len(rows))
        ax = fig.subplots()
        y = np.arange(len(rows))
        values = rows["podil"].to_numpy() * 100
        errors = np.vstack([values - rows["podil_ci_dolni"] * 100, rows["podil_ci_horni"] * 100 - values])
        colours = [style.TERRITORY_LIGHT if m == OTHER else style.TERRITORY for m in rows["moznost"]]
        ax.barh(y, values, height=0.7, color=colours, xerr=errors, error_kw={"elinewidth": 0.8, "capsize": 2,
                                                                             "ecolor": style.TEXT_GREY})
        for row, value in zip(y, values):
            ax.annotate(czech_number(value, 1), (0, row), xytext=(2, 0), textcoords="offset points", ha="left",
                        va="center_baseline", fontsize=style.MIN_FONT, color="white")
        ax.set_yticks(y, rows["moznost"])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.grid(axis="x")
        ax.set_xlabel("Podíl respondentů, kteří otázku zodpověděli (%)")
        notes = [f"Odpovědělo {rows['n_odpovedi'].iloc[0]} respondentů; úsečky = 95% interval spolehlivosti (Wilson)."
                 + (" Více odpovědí: součet podílů přesahuje 100 %." if rows["typ"].iloc[0] == "multi" else "")]
        return _finish(fig, rows["otazka_text"].iloc[0], name, notes)


def likert(table: pd.DataFrame, questions: list[str], name: str) -> Figure:
    """Stacked 100% bars of Likert questions (without "don't know"), the mean and the share of "don't know"."""
    rows = [_question_rows(table, q) for q in questions]
    if any(r["typ"].iloc[0] != "likert" for r in rows):
        raise SprssError("Skládaný graf je jen pro otázky typu likert.")
    with style.context():
        fig = style.figure(3.2 + 1.7 * len(rows))  # room for a wrapped question, its mean and "nevím"
        ax = fig.subplots()
        legend = {}
        for position, question in enumerate(rows):
            steps = question[(question["moznost"] != MEAN) & question["hodnota"].notna()].sort_values(
                "hodnota", ascending=False)
            left = 0.0
            for step, colour in zip(steps.itertuples(), _diverging(steps["hodnota"].to_numpy())):
                share = step.podil * 100
                ax.barh(position, share, left=left, height=0.6, color=colour)
                if share >= 6:
                    ax.text(left + share / 2, position, czech_number(share, 0), ha="center", va="center",
                            fontsize=style.MIN_FONT, color="white" if colour != NEUTRAL else "black")
                legend.setdefault(step.moznost, colour)
                left += share
        ax.set_yticks(range(len(rows)), [_likert_label(r) for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.set_xlabel("Podíl odpovědí bez „nevím“ (%)")
        handles = [Patch(color=colour, label=label) for label, colour in legend.items()]
        return _finish(fig, "Hodnocení na škále", name, handles=handles, ncols=min(len(handles), 4))


def by_group(table: pd.DataFrame, question: str, option: str, name: str) -> Figure:
    """One option's share across the groups of a breakdown (age bands, sub-areas), with 95% intervals."""
    rows = _question_rows(table, question, total_only=False)
    rows = rows[(rows["moznost"] == option) & (rows.get("skupina_typ", TOTAL) != TOTAL)]
    if rows.empty:
        raise SprssError(f"Tabulka nemá členění s možností {option!r} otázky {question}; spusťte tabulaci s --by.")
    with style.context():
        fig = style.figure(2.4 + 0.5 * len(rows))
        ax = fig.subplots()
        y = np.arange(len(rows))
        values = rows["podil"].to_numpy() * 100
        errors = np.vstack([values - rows["podil_ci_dolni"] * 100, rows["podil_ci_horni"] * 100 - values])
        ax.barh(y, values, height=0.7, color=style.TERRITORY, xerr=errors,
                error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": style.TEXT_GREY})
        ax.set_yticks(y, [f"{g} (n = {n})" for g, n in zip(rows["skupina"], rows["n_odpovedi"])])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(CzechFormatter())
        ax.grid(axis="x")
        ax.set_xlabel(f"Podíl odpovědí „{option}“ (%)")
        return _finish(fig, rows["otazka_text"].iloc[0], name,
                       ["Úsečky = 95% interval spolehlivosti (Wilson); malé skupiny mají široké intervaly."])


def _question_rows(table: pd.DataFrame, question: str, total_only: bool = True) -> pd.DataFrame:
    """Rows of one question; of the whole survey unless the groups of a breakdown are wanted."""
    rows = table[table["otazka"] == question]
    if total_only and "skupina_typ" in rows:
        rows = rows[rows["skupina_typ"] == TOTAL]
    if rows.empty:
        raise SprssError(f"Tabulka průzkumu nemá otázku {question!r}.")
    return rows


def _likert_label(rows: pd.DataFrame) -> str:
    mean = rows.loc[rows["moznost"] == MEAN, "prumer"].iloc[0]
    dont_know = rows[rows["hodnota"].isna() & (rows["moznost"] != MEAN)]
    text = "\n".join(style.wrap(rows["otazka_text"].iloc[0], style.SMALL_FONT, 2.4)) + f"\nprůměr {czech_number(mean, 2)}"
    if len(dont_know):
        text += f", „{dont_know['moznost'].iloc[0]}“ {czech_number(dont_know['podil'].iloc[0] * 100, 0)} %"
    return text


def _diverging(values: np.ndarray) -> list[str]:
    """Blue for the upper half of the scale, orange for the lower, grey for its middle (darkest at the ends)."""
    middle = (values.max() + values.min()) / 2
    upper = sorted((v for v in values if v > middle), reverse=True)
    lower = sorted(v for v in values if v < middle)
    colours = {v: POSITIVE[min(i, 1)] for i, v in enumerate(upper)}
    colours |= {v: NEGATIVE[1 - min(i, 1)] for i, v in enumerate(lower)}
    return [colours.get(v, NEUTRAL) for v in values]


def _finish(fig: Figure, title: str, name: str, notes: list[str] = (), handles: list | None = None,
            ncols: int = 1) -> Figure:
    """style.finish with the survey as the source: its source line knows only ČSÚ publications."""
    style.finish(fig, title, [], notes, handles=handles, ncols=ncols)
    source = next(t for t in fig.texts if t.get_text().startswith("Zdroj:"))
    source.set_text(f"Zdroj: dotazníkové šetření {name}; výpočet sprss")
    return fig
