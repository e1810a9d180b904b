"""Tabulations of a stored survey: tidy shares with Wilson intervals, representativeness, weights, free text.

Shares are of respondents who answered the question (for multi-choice too, so they add up to more than 1);
Likert shares and means leave "don't know" out. Post-stratification weights make the respondents of each obec
(and age band, when the questionnaire asks for one) count as that cell's share of the population.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
import math
from statistics import NormalDist
from typing import Any

import duckdb
import numpy as np
from numpy.typing import ArrayLike
import pandas as pd

from pipeline.core.errors import SprssError
from pipeline.core.names import likely_names
from pipeline.core.text import collation_key
from pipeline.sources.pruzkum.codebook import OTHER

Z95 = NormalDist().inv_cdf(0.975)
TOTAL = "celkem"
NOT_GIVEN = "neuvedeno"
OUTSIDE = "mimo oblasti"  # obce of a territory file that no oblast lists
MEAN = "průměr"
OPEN_AGE_END = 99  # the last population band (85+) counted as 85–99 when it is split among survey bands
COLUMNS = ["otazka", "otazka_text", "typ", "poradi", "moznost", "hodnota", "pocet", "podil", "podil_ci_dolni",
           "podil_ci_horni", "n_odpovedi", "prumer", "prumer_ci_dolni", "prumer_ci_horni"]
WEIGHTED_COLUMNS = ["pocet_vazeny", "n_efektivni"]


@dataclass
class SurveyData:
    """One survey as the warehouse holds it (tables pruzkum*), ready for tabulation."""
    name: str
    meta: pd.Series
    questions: pd.DataFrame
    options: pd.DataFrame
    obce: pd.DataFrame         # obec_kod, obec_nazev, oblast: the whole territory
    respondents: pd.DataFrame  # radek, obec_kod, obec_nazev, oblast
    answers: pd.DataFrame

    def question(self, qid: str) -> pd.Series:
        found = self.questions[self.questions["otazka"] == qid]
        if found.empty:
            raise SprssError(f"Průzkum {self.name} nemá otázku {qid!r}; otázky: {', '.join(self.questions['otazka'])}.")
        return found.iloc[0]

    def age_question(self) -> pd.Series | None:
        ages = self.questions[self.questions["vek"]]
        return ages.iloc[0] if len(ages) else None


def load(con: duckdb.DuckDBPyConnection, name: str) -> SurveyData:
    meta = con.execute("SELECT * FROM pruzkum WHERE pruzkum = ?", [name]).df()
    if meta.empty:
        names = [n for (n,) in con.execute("SELECT pruzkum FROM pruzkum ORDER BY 1").fetchall()]
        known = f"; ve skladu jsou: {', '.join(names)}" if names else "; ve skladu není žádný průzkum"
        raise SprssError(f"Průzkum {name!r} není ve skladu dat{known}. Importujte ho: sprss survey import.")

    def table(sql: str) -> pd.DataFrame:
        return con.execute(sql, [name]).df()

    return SurveyData(
        name, meta.iloc[0],
        table("SELECT * EXCLUDE (pruzkum) FROM pruzkum_otazky WHERE pruzkum = ? ORDER BY poradi"),
        table("SELECT * EXCLUDE (pruzkum) FROM pruzkum_moznosti WHERE pruzkum = ? ORDER BY otazka, poradi"),
        table("SELECT * EXCLUDE (pruzkum) FROM pruzkum_obce WHERE pruzkum = ?").sort_values(
            "obec_nazev", key=lambda names: names.map(collation_key), ignore_index=True),
        table("""SELECT r.radek, r.obec_kod, o.obec_nazev, o.oblast FROM pruzkum_respondenti r
                 LEFT JOIN pruzkum_obce o ON o.pruzkum = r.pruzkum AND o.obec_kod = r.obec_kod
                 WHERE r.pruzkum = ? ORDER BY r.radek"""),
        table("SELECT * EXCLUDE (pruzkum) FROM pruzkum_odpovedi WHERE pruzkum = ? ORDER BY radek, otazka, poradi"))


def submission_period(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> tuple[datetime | None, datetime | None]:
    """The first and last submission of the survey's accepted rows (None when they carry no time)."""
    first, last = con.execute("SELECT min(cas), max(cas) FROM pruzkum_respondenti WHERE pruzkum = ?",
                              [survey.name]).fetchone() or (None, None)
    return first, last


def age_table_date(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> date | None:
    """The newest date of the population age table among the survey's obce (what age bands are compared with)."""
    found = con.execute("""SELECT max(obdobi) FROM populace_vek JOIN pruzkum_obce USING (obec_kod)
                           WHERE pruzkum = ?""", [survey.name]).fetchone()
    return found[0] if found else None


def rejection_reasons(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> list[str]:
    """Why each rejected row of the survey was rejected: the validator's message, one per row."""
    return [reason for (reason,) in con.execute("SELECT duvod FROM pruzkum_odmitnute WHERE pruzkum = ?",
                                                [survey.name]).fetchall()]


def wilson(successes: ArrayLike, n: ArrayLike, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval; `successes` and `n` may be weighted (effective) counts. NaN where n is 0."""
    successes, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        low = np.where(p == 0, 0.0, np.clip(centre - half, 0, 1))  # exact ends where rounding would miss them
        high = np.where(p == 1, 1.0, np.clip(centre + half, 0, 1))
    return low, high


# --- the tidy table ---------------------------------------------------------------------------------------


def answers_table(survey: SurveyData, by: str | None = None, weights: pd.Series | None = None) -> pd.DataFrame:
    """otazka, moznost, pocet, podil (+ CI), n_odpovedi per question; with `by`, also per group.

    `weights` (indexed by radek) make `podil` and the means weighted; the intervals then use Kish's effective n.
    """
    respondents = survey.respondents.assign(
        vaha=survey.respondents["radek"].map(weights).astype(float) if weights is not None else 1.0)
    groups = [(TOTAL, TOTAL, respondents)]
    if by:
        groups += _groups(survey, by, respondents)
    frames = []
    for kind, label, members in groups:
        frame = _tabulate(survey, members)
        frame.insert(0, "skupina", label)
        frame.insert(0, "skupina_typ", kind)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True).astype({"poradi": "Int64"})
    table["podil_ci_dolni"], table["podil_ci_horni"] = wilson(table["podil"] * table["n_efektivni"],
                                                             table["n_efektivni"])
    columns = (["skupina_typ", "skupina"] if by else []) + COLUMNS + (WEIGHTED_COLUMNS if weights is not None else [])
    return table[columns]


def _groups(survey: SurveyData, by: str, respondents: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    if by == "obec":
        names = sorted(respondents["obec_nazev"].unique(), key=collation_key)
        return [("obec", name, respondents[respondents["obec_nazev"] == name]) for name in names]
    if by == "oblast":
        if survey.obce["oblast"].isna().all():
            raise SprssError(f"Území průzkumu {survey.name} nemá oblasti; definujte je v souboru území YAML "
                             "(klíč oblasti) a importujte průzkum s ním.")
        labelled = respondents.assign(oblast=respondents["oblast"].fillna(OUTSIDE))
        return [("oblast", name, labelled[labelled["oblast"] == name]) for name in _oblasti(labelled["oblast"])]
    if by == "vek":
        question = survey.age_question()
        if question is None:
            raise SprssError(f"Průzkum {survey.name} nemá věkovou otázku (možnosti s věkovými pásmy 'vek').")
    else:
        question = survey.question(by)
        if question["typ"] not in ("single", "likert", "obec"):
            raise SprssError(f"Členit lze jen podle otázky s jedinou odpovědí (single, likert, obec); "
                             f"{by} je typu {question['typ']}.")
    answers = survey.answers[survey.answers["otazka"] == question["otazka"]].set_index("radek")["moznost"]
    labelled = respondents.assign(skupina=respondents["radek"].map(answers).fillna(NOT_GIVEN))
    order = list(survey.options.loc[survey.options["otazka"] == question["otazka"], "moznost"])
    present = list(labelled["skupina"].unique())
    ordered = [o for o in order if o in present] + sorted(p for p in present if p not in order)
    kind = "vek" if by == "vek" else question["otazka"]
    return [(kind, label, labelled[labelled["skupina"] == label]) for label in ordered]


def _oblasti(names: Iterable[str]) -> list[str]:
    """Oblasti by name, the obce outside them last."""
    return sorted(set(names), key=lambda name: (name == OUTSIDE, collation_key(name)))


def _tabulate(survey: SurveyData, members: pd.DataFrame) -> pd.DataFrame:
    answers = survey.answers.merge(members[["radek", "vaha"]], on="radek")
    rows = []
    for question in survey.questions.itertuples():
        if question.typ == "text":
            continue
        given = answers[answers["otazka"] == question.otazka]
        if question.typ == "number":
            rows.append(_mean_row(question, given.drop_duplicates("radek")))
            continue
        options = _options(survey, question, given)
        answered = given.drop_duplicates("radek")
        dont_know = set(options.loc[options["nevim"], "moznost"])
        on_scale = answered[~answered["moznost"].isin(dont_know)]
        for option in options.itertuples():
            base = on_scale if question.typ == "likert" and not option.nevim else answered
            chosen = given[given["moznost"] == option.moznost].drop_duplicates("radek")
            rows.append(_share_row(question, option, chosen, base))
        if question.typ == "likert":
            rows.append(_mean_row(question, on_scale))
    return pd.DataFrame(rows)


def _options(survey: SurveyData, question: Any, given: pd.DataFrame) -> pd.DataFrame:
    """The codebook's options in order (for obec: obce with respondents), then 'Jiné' if allowed or given."""
    if question.typ == "obec":
        names = sorted(survey.respondents["obec_nazev"].dropna().unique(), key=collation_key)
        options = pd.DataFrame({"poradi": range(1, len(names) + 1), "moznost": names})
    else:
        options = survey.options[survey.options["otazka"] == question.otazka][["poradi", "moznost", "hodnota", "nevim"]]
    if question.jine or (given["moznost"] == OTHER).any():
        options = pd.concat([options, pd.DataFrame({"poradi": [len(options) + 1], "moznost": [OTHER]})])
    options = options.reindex(columns=["poradi", "moznost", "hodnota", "nevim"])
    return options.assign(nevim=options["nevim"].eq(True)).reset_index(drop=True)


def _share_row(question: Any, option: Any, chosen: pd.DataFrame, base: pd.DataFrame) -> dict[str, Any]:
    total = base["vaha"].sum()
    return {"otazka": question.otazka, "otazka_text": question.text, "typ": question.typ, "poradi": option.poradi,
            "moznost": option.moznost, "hodnota": option.hodnota, "pocet": len(chosen),
            "podil": chosen["vaha"].sum() / total if total else math.nan, "n_odpovedi": len(base),
            "pocet_vazeny": chosen["vaha"].sum(), "n_efektivni": _effective_n(base["vaha"])}


def _mean_row(question: Any, given: pd.DataFrame) -> dict[str, Any]:
    """Mean of `hodnota` ± 1.96 standard errors (weighted: with Kish's effective n)."""
    values, w = given["hodnota"].to_numpy(dtype=float), given["vaha"].to_numpy(dtype=float)
    n = len(values)
    mean = float(np.average(values, weights=w)) if n else math.nan
    half = math.nan
    if n > 1:
        variance = float(np.sum(w * (values - mean) ** 2) / np.sum(w)) * n / (n - 1)
        half = Z95 * math.sqrt(variance / _effective_n(given["vaha"]))
    return {"otazka": question.otazka, "otazka_text": question.text, "typ": question.typ, "moznost": MEAN,
            "pocet": n, "n_odpovedi": n, "prumer": mean, "prumer_ci_dolni": mean - half,
            "prumer_ci_horni": mean + half, "n_efektivni": _effective_n(given["vaha"]), "podil": math.nan}


def _effective_n(weights: pd.Series) -> float:
    """Kish: (Σw)² / Σw²; equals n without weights."""
    squares = float((weights ** 2).sum())
    return float(weights.sum()) ** 2 / squares if squares else 0.0


# --- population, representativeness, weights ---------------------------------------------------------------


def obec_population(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> pd.DataFrame:
    """obec_kod, obyvatel, obdobi: the latest total of every obec of the survey's territory."""
    return con.execute("""
        SELECT obec_kod, arg_max(obyvatel_celkem, obdobi) AS obyvatel, max(obdobi) AS obdobi
        FROM obec_pocty JOIN pruzkum_obce USING (obec_kod)
        WHERE pruzkum = ? AND obyvatel_celkem IS NOT NULL
        GROUP BY obec_kod""", [survey.name]).df()


def band_population(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> pd.DataFrame:
    """obec_kod, moznost, obyvatel: population of each obec in the survey's age bands (latest age table).

    Population bands split among survey bands by the years they share (a 15–19 band gives 2/5 to '18–29').
    """
    question = survey.age_question()
    if question is None:
        raise SprssError(f"Průzkum {survey.name} se neptá na věk; počty obyvatel podle věkových skupin nelze určit.")
    bands = survey.options[survey.options["otazka"] == question["otazka"]]
    population = con.execute("""
        SELECT p.obec_kod, p.vek_od, coalesce(p.vek_do, ?) AS vek_do, sum(p.pocet) AS pocet
        FROM populace_vek p JOIN pruzkum_obce o ON o.obec_kod = p.obec_kod AND o.pruzkum = ?
        WHERE p.obdobi = (SELECT max(obdobi) FROM populace_vek v WHERE v.obec_kod = p.obec_kod)
        GROUP BY ALL""", [OPEN_AGE_END, survey.name]).df()
    parts = []
    for band in bands.to_dict("records"):
        low, high = int(band["vek_od"]), OPEN_AGE_END if pd.isna(band["vek_do"]) else int(band["vek_do"])
        shared = (population["vek_do"].clip(upper=high) - population["vek_od"].clip(lower=low) + 1).clip(lower=0)
        parts.append(population.assign(moznost=band["moznost"], obyvatel=population["pocet"] * shared
                                       / (population["vek_do"] - population["vek_od"] + 1)))
    if not parts or population.empty:
        return pd.DataFrame(columns=["obec_kod", "moznost", "obyvatel"])
    return pd.concat(parts).groupby(["obec_kod", "moznost"])["obyvatel"].sum().reset_index()


def representativeness(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> pd.DataFrame:
    """Respondents against population by obec (all obce of the territory), by oblast when the territory has
    them, and by age band when asked."""
    obce = survey.obce.merge(obec_population(con, survey), on="obec_kod", how="left")
    counts = survey.respondents["obec_kod"].value_counts()
    obce = obce.assign(skupina_typ="obec", skupina=obce["obec_nazev"],
                       respondentu=obce["obec_kod"].map(counts).fillna(0).astype(int))
    frames = [obce]
    if obce["oblast"].notna().any():
        areas = obce.assign(skupina=obce["oblast"].fillna(OUTSIDE)).groupby("skupina")[
            ["respondentu", "obyvatel"]].sum()
        frames.append(areas.loc[_oblasti(areas.index)].reset_index().assign(skupina_typ="oblast"))
    question = survey.age_question()
    if question is not None:
        population = band_population(con, survey).groupby("moznost")["obyvatel"].sum()
        answers = survey.answers[survey.answers["otazka"] == question["otazka"]]["moznost"].value_counts()
        bands = survey.options.loc[survey.options["otazka"] == question["otazka"], "moznost"]
        frames.append(pd.DataFrame({"skupina_typ": "vek", "skupina": bands,
                                    "respondentu": bands.map(answers).fillna(0).astype(int).to_numpy(),
                                    "obyvatel": bands.map(population).to_numpy()}))
    table = pd.concat(frames, ignore_index=True)
    for kind in table["skupina_typ"].unique():
        rows = table["skupina_typ"] == kind
        table.loc[rows, "podil_respondentu"] = table.loc[rows, "respondentu"] / table.loc[rows, "respondentu"].sum()
        table.loc[rows, "podil_obyvatel"] = table.loc[rows, "obyvatel"] / table.loc[rows, "obyvatel"].sum()
    table["index_zastoupeni"] = table["podil_respondentu"] / table["podil_obyvatel"]
    table["respondentu_na_1000_obyvatel"] = table["respondentu"] / table["obyvatel"] * 1000
    return table[["skupina_typ", "skupina", "obec_kod", "oblast", "obdobi", "respondentu", "podil_respondentu",
                  "obyvatel", "podil_obyvatel", "index_zastoupeni", "respondentu_na_1000_obyvatel"]]


@dataclass
class Weights:
    table: pd.DataFrame  # radek, obec_kod, obec_nazev, vek, obyvatel_bunky, respondentu_bunky, vaha
    cells: str           # "obec" or "obec × věk"
    coverage: float      # share of the territory's population in cells that have respondents

    @property
    def by_respondent(self) -> pd.Series:
        return self.table.set_index("radek")["vaha"]


def post_stratification(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> Weights:
    """Cell weights N_c/N ÷ n_c/n over obec (× age band when every respondent gave one); mean weight 1.

    Cells without respondents cannot be represented: their population drops out and `coverage` says how much.
    """
    if survey.respondents["obec_kod"].isna().any():
        raise SprssError(f"Vážení podle počtu obyvatel potřebuje otázku typu obec; průzkum {survey.name} ji nemá.")
    respondents = survey.respondents[["radek", "obec_kod", "obec_nazev"]].copy()
    question = survey.age_question()
    if question is not None:
        ages = survey.answers[survey.answers["otazka"] == question["otazka"]].set_index("radek")["moznost"]
        respondents["vek"] = respondents["radek"].map(ages)
    if question is not None and respondents["vek"].notna().all():
        population = band_population(con, survey).rename(columns={"moznost": "vek"})
        keys, cells = ["obec_kod", "vek"], "obec × věk"
    else:
        population = obec_population(con, survey)[["obec_kod", "obyvatel"]]
        respondents["vek"] = None
        keys, cells = ["obec_kod"], "obec"
    sizes = respondents.groupby(keys).size().rename("respondentu_bunky").reset_index()
    sizes = sizes.merge(population.rename(columns={"obyvatel": "obyvatel_bunky"}), on=keys, how="left")
    missing = sizes[sizes["obyvatel_bunky"].isna() | (sizes["obyvatel_bunky"] <= 0)]
    if len(missing):
        names = survey.obce.set_index("obec_kod")["obec_nazev"]
        raise SprssError(f"Pro vážení chybí počet obyvatel obce {names.get(missing['obec_kod'].iloc[0])} "
                         f"({missing['obec_kod'].iloc[0]}); importujte počty obyvatel (a věkové složení).")
    covered = sizes["obyvatel_bunky"].sum()
    sizes["vaha"] = (sizes["obyvatel_bunky"] / covered) / (sizes["respondentu_bunky"] / len(respondents))
    table = respondents.merge(sizes, on=keys, how="left")
    total = population["obyvatel"].sum()
    return Weights(table[["radek", "obec_kod", "obec_nazev", "vek", "obyvatel_bunky", "respondentu_bunky", "vaha"]],
                   cells, float(covered / total) if total else math.nan)


# --- free text ---------------------------------------------------------------------------------------------


def free_text(survey: SurveyData) -> pd.DataFrame:
    """Every free-text answer (text questions and 'Jiné'), grouped by question, for reading; `mozna_jmena` lists
    what looks like a person's name in it (core/names.py), to be checked before anything is published."""
    questions = survey.questions[["otazka", "text", "poradi", "typ"]].rename(
        columns={"text": "otazka_text", "poradi": "poradi_otazky"})
    table = survey.answers[survey.answers["text"].notna()].merge(questions, on="otazka")
    table = table[table["typ"] != "number"]  # a number's text is only how it was written
    table = table.merge(survey.respondents[["radek", "obec_nazev"]], on="radek", how="left")
    table = table.sort_values(["poradi_otazky", "radek"])
    table["mozna_jmena"] = table["text"].map(lambda text: "; ".join(likely_names(str(text))))
    return table[["otazka", "otazka_text", "moznost", "radek", "obec_nazev", "text", "mozna_jmena"]].reset_index(drop=True)
