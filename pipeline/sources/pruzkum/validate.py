"""Row validation: every row of an export becomes answers in long form or a reject with its reasons.

Nothing is guessed: an obec name must match one of the territory (ignoring case, spacing and diacritics),
an answer must be an option of the codebook (or free text where the question allows "Jiné").
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
import difflib
import re
from typing import NamedTuple

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.territory import LEVEL_NAMES, Territory
from pipeline.core.text import fold
from pipeline.sources.pruzkum.codebook import OTHER, Codebook, Option, Question
from pipeline.sources.pruzkum.readers import Export, timestamp

RESPONDENT_COLUMNS = ["radek", "obec_kod", "cas"]
ANSWER_COLUMNS = ["radek", "otazka", "moznost", "poradi", "hodnota", "text"]
# the same answers sent again this soon are one person's double submission, not two respondents
DUPLICATE_WINDOW = timedelta(minutes=30)
TRUE_CELLS = {"1", "y", "yes", "ano", "x", "true", "pravda"}
FALSE_CELLS = {"", "0", "n", "no", "ne", "false", "nepravda"}
OTHER_WORD = r"(?:jin[éáýeay]|ostatn[íi]|other)\s*:"  # Google Forms' "Jiné:" before free text
OTHER_PREFIX = re.compile(r"^" + OTHER_WORD + r"\s*", re.IGNORECASE)


class Answer(NamedTuple):
    moznost: str | None
    poradi: int | None = None
    hodnota: float | None = None
    text: str | None = None
    obec_kod: str | None = None  # obec questions only: goes to the respondent, not to the answer row


class Rejected(Exception):
    """One answer that makes its row unusable; the message is the reason shown in the rejects file."""


@dataclass
class Result:
    respondents: pd.DataFrame  # RESPONDENT_COLUMNS, one row per valid respondent
    answers: pd.DataFrame      # ANSWER_COLUMNS, long form: one row per answer (per chosen option for multi)
    rejects: pd.DataFrame      # radek, duvod and the row's original cells
    empty_rows: int
    unused_columns: list[str]


def match_columns(codebook: Codebook, export: Export) -> dict[str, int | dict[str, int]]:
    """Column of each question (of each option for 0/1-coded multi); all missing ones named in one line."""
    positions: dict[str, int] = {}
    for position, header in enumerate(export.headers):
        positions.setdefault(fold(header), position)
    found: dict[str, int | dict[str, int]] = {}
    missing: list[str] = []
    for question in codebook.questions:
        if question.type == "multi" and question.options[0].column:
            option_columns = [(o.text, _own_column(o)) for o in question.options]
            absent = [column for _, column in option_columns if fold(column) not in positions]
            if absent:
                missing.append(f"{question.id} (sloupce {', '.join(absent)})")
            else:  # with a column absent nothing is returned: the FormatError below names it
                found[question.id] = {text: positions[fold(column)] for text, column in option_columns}
        elif fold(question.header) in positions:
            found[question.id] = positions[fold(question.header)]
        else:
            header = question.header if len(question.header) <= 60 else question.header[:57] + "…"
            missing.append(f"{question.id} ({header})")
    if missing:
        raise FormatError(f"export neodpovídá kódovníku, chybí otázky: {'; '.join(missing)}", file=export.name)
    return found


def _own_column(option: Option) -> str:
    # codebook.parse takes a multi question with 'sloupec' on all of its options or on none
    assert option.column is not None, f"option {option.text!r} has no column while others of its question do"
    return option.column


class ObecMatcher:
    """Obec answers to codes of the territory's obce; names from elsewhere are told apart from typos."""

    def __init__(self, territory: Territory, obce: pd.DataFrame) -> None:
        self.inside: dict[str, list[tuple[str, str]]] = {}
        for kod, nazev in territory.obce[["obec_kod", "obec_nazev"]].itertuples(index=False):
            self.inside.setdefault(fold(nazev), []).append((kod, nazev))
        self.codes: dict[str, str] = dict(territory.obce[["obec_kod", "obec_nazev"]].itertuples(index=False))
        self.everywhere = set(obce["obec_nazev"].map(fold)) | set(obce["obec_kod"])
        area = territory.area
        self.label = area.nazev if area.typ == "vlastni" else f"{LEVEL_NAMES[area.typ]} {area.nazev}"

    def match(self, answer: str) -> tuple[str, str]:
        key = fold(answer)
        if answer in self.codes:
            return answer, self.codes[answer]
        found = self.inside.get(key, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise Rejected(f"obec {answer!r} je v území vícekrát ({', '.join(k for k, _ in found)}); uveďte kód obce")
        if key in self.everywhere:
            raise Rejected(f"obec {answer!r} není v území {self.label}")
        closest = difflib.get_close_matches(key, list(self.inside), n=1, cutoff=0.75)
        hint = f" (nejbližší obec území: {self.inside[closest[0]][0][1]})" if closest else ""
        raise Rejected(f"neznámá obec {answer!r}{hint}")


def validate(export: Export, codebook: Codebook, territory: Territory, obce: pd.DataFrame) -> Result:
    columns = match_columns(codebook, export)
    used = {position for column in columns.values()
            for position in (column.values() if isinstance(column, dict) else [column])}
    time_column = export.timestamp_column()
    unused = [h for i, h in enumerate(export.headers) if h and i not in used and i != time_column]
    matcher = ObecMatcher(territory, obce)
    respondents, answers, rejects, empty = [], [], [], 0
    seen: dict[tuple[str, ...], list[tuple[int, datetime | None]]] = {}
    for number, cells in export.rows:
        key = tuple(re.sub(r"\s+", " ", cells[i]) for i in sorted(used))
        if not any(key):
            empty += 1
            continue
        when = timestamp(cells[time_column]) if time_column is not None else None
        earlier = next((n for n, t in seen.get(key, []) if _close(when, t)), None)
        seen.setdefault(key, []).append((number, when))
        if earlier is not None:
            rejects.append([number, f"duplicitní odeslání: stejné odpovědi jako řádek {earlier}", *cells])
            continue
        reasons, rows, obec_kod = [], [], None
        for question in codebook.questions:
            try:
                parsed = _answers(question, columns[question.id], cells, matcher)
            except Rejected as exc:
                reasons.append(str(exc))
                continue
            obec_kod = next((a.obec_kod for a in parsed if a.obec_kod), obec_kod)
            rows += [(number, question.id, a.moznost, a.poradi, a.hodnota, a.text) for a in parsed]
        if reasons:
            rejects.append([number, "; ".join(reasons), *cells])
            continue
        respondents.append((number, obec_kod, when))
        answers += rows
    return Result(pd.DataFrame(respondents, columns=RESPONDENT_COLUMNS),
                  pd.DataFrame(answers, columns=ANSWER_COLUMNS),
                  pd.DataFrame(rejects, columns=["radek", "duvod", *export.headers]), empty, unused)


def _close(a: datetime | None, b: datetime | None) -> bool:
    return a is None or b is None or abs(a - b) <= DUPLICATE_WINDOW


def _answers(question: Question, column: int | dict[str, int], cells: list[str], matcher: ObecMatcher) -> list[Answer]:
    """The answers of one question in a row ([] when unanswered, several for multi-choice)."""
    if isinstance(column, dict):
        chosen = [i for i, o in enumerate(question.options) if _flag(cells[column[o.text]], o, question)]
        if not chosen and question.required:
            raise Rejected(f"chybí odpověď na povinnou otázku {question.id}")
        return [Answer(question.options[i].text, i + 1) for i in chosen]
    cell = cells[column].strip()
    if not cell:
        if question.required:
            raise Rejected(f"chybí odpověď na povinnou otázku {question.id}")
        return []
    if question.type == "obec":
        kod, nazev = matcher.match(cell)
        return [Answer(nazev, obec_kod=kod)]
    if question.type == "text":
        return [Answer(None, text=cell)]
    if question.type == "number":
        return [Answer(None, hodnota=_number(cell, question), text=cell)]
    if question.type == "multi":
        chosen, free = split_multi(cell, question.options)
        return [Answer(question.options[i].text, i + 1) for i in chosen] + _other(free, question)
    position = _find_option(cell, question.options)
    if position is None:
        return _other(cell, question)
    option = question.options[position]
    return [Answer(option.text, position + 1, option.value)]


def _find_option(cell: str, options: tuple[Option, ...]) -> int | None:
    key = fold(cell)
    return next((i for i, o in enumerate(options) if fold(o.text) == key or o.code == cell), None)


def _other(free: str | None, question: Question) -> list[Answer]:
    if free is None:
        return []
    if not question.other or question.type == "likert":
        raise Rejected(f"odpověď {free!r} na otázku {question.id} není v kódovníku")
    text = OTHER_PREFIX.sub("", free).strip()
    return [Answer(OTHER, len(question.options) + 1, text=text or None)]


def split_multi(cell: str, options: tuple[Option, ...]) -> tuple[list[int], str | None]:
    """'A, B (x, y), Jiné: text, even with commas' -> positions of A and B, and the free text.

    Options are matched whole (longest first), so an option containing ', ' is not cut; what follows
    'Jiné:' or the first part that is no option runs to the end of the cell (Google Forms puts it last).
    """
    rest = cell.strip()
    chosen: list[int] = []
    by_length = sorted(range(len(options)), key=lambda i: -len(options[i].text))
    while rest:
        if OTHER_PREFIX.match(rest):
            return chosen, rest
        for i in by_length:
            text = options[i].text
            head, tail = rest[:len(text)], rest[len(text):]
            if fold(head) == fold(text) and (not tail or tail.startswith(",")):
                if i not in chosen:
                    chosen.append(i)
                rest = tail[1:].strip()
                break
        else:
            return chosen, rest
    return chosen, None


def _flag(cell: str, option: Option, question: Question) -> bool:
    value = fold(cell)
    if value in TRUE_CELLS:
        return True
    if value in FALSE_CELLS:
        return False
    raise Rejected(f"hodnota {cell!r} ve sloupci {option.column} (otázka {question.id}) má být 0 nebo 1")


def _number(cell: str, question: Question) -> float:
    text = re.sub(r"(kc|czk|,-|\.-)$", "", fold(cell).replace(" ", "").replace("\u00a0", ""))
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise Rejected(f"odpověď {cell!r} na otázku {question.id} není číslo") from None
