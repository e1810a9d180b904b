"""What the chapter "Výsledky dotazníkového šetření" shows, read once at the start of notebooks/pruzkum.py.

The tables are those of `sprss survey tabulate` for the same survey and weighting (pipeline.indicators.pruzkum,
unchanged), so the chapter's workbook and the command agree number for number. Rejected rows are only counted
by reason: the reasons quote the answers, and the chapter must carry no answer of a rejected row.
"""
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
import re

import duckdb
import pandas as pd

from pipeline.chapters.pruzkum import charts as report
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.names import mask_names
from pipeline.core.territory import Territory, label
from pipeline.core.text import fold
from pipeline.indicators import pruzkum as tables
from pipeline.indicators.pruzkum import SurveyData, Weights
from pipeline.render.style import czech_number
from pipeline.sources.pruzkum.codebook import OTHER
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

WEIGHTINGS = ("none", "populace")
# The messages of pipeline/sources/pruzkum/validate.py by their fixed words (a question id, [a-z0-9_], is captured; answers
# are not); what the chapter calls them. A row may have several reasons, joined by '; '.
REASONS = [
    (r"duplicitní odeslání", "duplicitní odeslání (stejné odpovědi odeslané znovu)"),
    (r"chybí odpověď na povinnou otázku (\w+)", "chybí odpověď na povinnou otázku {}"),
    (r"neznámá obec", "obec, kterou nelze určit (překlep nebo neznámý název)"),
    (r"obec .*? není v území", "obec mimo území průzkumu"),
    (r"obec .*? je v území vícekrát", "název obce, který je v území vícekrát"),
    (r"odpověď .*? na otázku (\w+) není v kódovníku", "odpověď mimo možnosti otázky {}"),
    (r"odpověď .*? na otázku (\w+) není číslo", "nečíselná odpověď na otázku {}"),
    (r"hodnota .*? \(otázka (\w+)\) má být 0 nebo 1", "hodnota jiná než 0 a 1 u otázky {}"),
]
OTHER_REASON = "jiný důvod"


@dataclass
class SurveyChapter:
    survey: SurveyData
    territory: Territory
    weights: Weights | None        # post-stratification, when the chapter is weighted
    answers: pd.DataFrame          # tabulate.answers_table (weighted with `weights`)
    by_age: pd.DataFrame | None    # the same by age band, when the questionnaire asks for one
    by_oblast: pd.DataFrame | None  # the same by oblast, when the territory has oblasti
    representativeness: pd.DataFrame
    free_text: pd.DataFrame
    rejections: pd.DataFrame       # Důvod, Řádků
    period: tuple[datetime | None, datetime | None]  # first and last submission
    population_date: date | None   # population of obce; the age table's date for age bands
    ages_date: date | None

    @property
    def name(self) -> str:
        return self.survey.name

    @property
    def title(self) -> str:
        return label(self.territory.area)

    def source(self, population: bool = False) -> str:
        return report.source(self.name, population or self.weights is not None)

    def questions(self, *types: str) -> list[str]:
        """Ids of the questions of these types in the questionnaire's order (the age question left out)."""
        chosen = self.survey.questions[self.survey.questions["typ"].isin(types) & ~self.survey.questions["vek"]]
        return list(chosen["otazka"])

    def missing_services(self) -> str | None:
        """The multi-choice question about missing services ('Které služby … chybí?'), if the survey has one."""
        return next((q for q in self.questions("multi")
                     if "chyb" in fold(self.survey.question(q)["text"])), None)

    def likert_scales(self) -> list[list[str]]:
        """Likert questions grouped by their scale (same options), so that one chart has one legend."""
        scales: dict[tuple, list[str]] = {}
        options = self.survey.options
        for question in self.questions("likert"):
            scales.setdefault(tuple(options.loc[options["otazka"] == question, "moznost"]), []).append(question)
        return list(scales.values())

    def top_options(self, question: str, count: int) -> list[str]:
        """The most chosen options (never 'Jiné', whose answers differ from one another)."""
        ranked = report.ranking(self.answers, question)
        return [o for o in ranked["Možnost"] if o != OTHER][:count]


def load(name: str, selector: str, data_dir: Path | str | None = None, weighting: str = "none") -> SurveyChapter:
    """The stored survey `name`, tabulated as `sprss survey tabulate --weight weighting` would; `selector` must
    be the survey's territory (the chapter is titled by it)."""
    if weighting not in WEIGHTINGS:
        raise SprssError(f"Neznámé vážení {weighting!r}; očekáváno {' nebo '.join(WEIGHTINGS)}.")
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        survey = tables.load(con, name)
        chosen = territory.resolve(selector, load_obce(con))
        if set(chosen.obce["obec_kod"]) != set(survey.obce["obec_kod"]):
            raise SprssError(f"Průzkum {name} se týká území {survey.meta['uzemi_nazev']}, ne {label(chosen.area)}.")
        weights = tables.post_stratification(con, survey) if weighting == "populace" else None
        by_respondent = weights.by_respondent if weights else None
        has_age = survey.age_question() is not None
        representativeness = tables.representativeness(con, survey)
        period = tables.submission_period(con, survey)
        ages_date = tables.age_table_date(con, survey) if has_age else None
        rejected = rejections(con, survey)
    return SurveyChapter(
        survey, chosen, weights, tables.answers_table(survey, weights=by_respondent),
        tables.answers_table(survey, "vek", by_respondent) if has_age else None,
        tables.answers_table(survey, "oblast", by_respondent) if survey.obce["oblast"].notna().any() else None,
        representativeness, tables.free_text(survey), rejected, period,
        representativeness["obdobi"].max() if representativeness["obdobi"].notna().any() else None, ages_date)


def published_answers(free_text: pd.DataFrame) -> pd.DataFrame:
    """Free-text answers as the chapter prints them, what looks like a person's name (core/names.py) replaced by a
    mark. Imports mask names before storing (sources/pruzkum/redact.py); this covers surveys stored before that."""
    return pd.DataFrame({"Odpověď": free_text["text"].map(mask_names)})


def rejections(con: duckdb.DuckDBPyConnection, survey: SurveyData) -> pd.DataFrame:
    """Rejected rows by reason (a row with several reasons counts under each), most frequent first."""
    texts = dict(zip(survey.questions["otazka"], survey.questions["text"], strict=True))
    counts: dict[str, int] = {}
    for reason in tables.rejection_reasons(con, survey):
        found = {kind.format(*(f"„{texts.get(g, g)}“" for g in match.groups()))
                 for pattern, kind in REASONS for match in re.finditer(r"(?:^|; )" + pattern, reason)}
        for kind in found or {OTHER_REASON}:
            counts[kind] = counts.get(kind, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return pd.DataFrame(ordered, columns=["Důvod", "Řádků"]).astype({"Řádků": "int64"})


def representation_sentence(representativeness: pd.DataFrame, kind: str, what: str) -> str:
    """Which group is the most over- and which the most under-represented among respondents."""
    rows = representativeness[representativeness["skupina_typ"] == kind].dropna(subset=["index_zastoupeni"])
    if len(rows) < 2:
        return ""
    most, least = rows.iloc[rows["index_zastoupeni"].argmax()], rows.iloc[rows["index_zastoupeni"].argmin()]

    def shares(row: pd.Series) -> str:
        return (f"{czech_number(row.podil_respondentu * 100, 1)} % respondentů, "
                f"{czech_number(row.podil_obyvatel * 100, 1)} % obyvatel")

    def whose(group: str) -> str:
        """'obyvatelé oblasti Třešť', 'obyvatelé věkové skupiny 30–44', 'obyvatelé obcí mimo oblasti'."""
        if group == tables.OUTSIDE:
            return "obyvatelé obcí mimo oblasti"
        return f"obyvatelé {OF_GROUP.get(what, what)} {group}"

    return (f"Vzhledem k počtu obyvatel jsou mezi respondenty nejvíce zastoupeni {whose(most.skupina)} "
            f"({shares(most)}), nejméně {whose(least.skupina)} ({shares(least)}).")


OF_GROUP = {"oblast": "oblasti", "věková skupina": "věkové skupiny", "obec": "obce"}  # genitive after 'obyvatelé'
