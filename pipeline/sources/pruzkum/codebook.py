"""The codebook: one YAML file per questionnaire, so a changed questionnaire is a config change, not code.

    nazev: Dotazník potřeb občanů            # optional
    otazky:
      - id: vek                              # used in --by and in the warehouse
        text: Kolik je Vám let?              # the export's column header (question text) …
        sloupec: Q2                          # … or its code, when the export has codes as headers
        typ: single                          # obec | single | multi | likert | number | text
        povinna: true                        # an empty answer rejects the row
        jine: false                          # free text outside the options is kept as "Jiné"
        moznosti:                            # in order; a plain string is just the text
          - text: do 29 let
            kod: "1"                         # the value standing for it in a coded export
            vek: [18, 29]                    # age band (years, null = open) for --by vek and weights
          - {text: Rozhodně ano, hodnota: 4} # Likert: numeric value for the mean
          - {text: Nevím, nevim: true}       # Likert: "don't know", left out of shares and mean
          - {text: Pečovatelská služba, sloupec: Q3_1}   # multi: its own 0/1 column
"""
from dataclasses import dataclass, field
import re
from typing import Required, TypedDict

import yaml

from pipeline.core.errors import SprssError
from pipeline.core.text import fold

TYPES = ("obec", "single", "multi", "likert", "number", "text")
WITH_OPTIONS = ("single", "multi", "likert")
OTHER = "Jiné"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Option:
    text: str
    value: float | None = None          # Likert numeric value
    dont_know: bool = False             # Likert "Nevím": not on the scale
    column: str | None = None           # multi in coded exports: the option's own 0/1 column
    code: str | None = None             # coded exports: the cell value standing for this option
    ages: tuple[int, int | None] | None = None  # age band of an age question


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    required: bool = False
    options: tuple[Option, ...] = ()
    other: bool = False                 # answers outside the options are free text ("Jiné")
    column: str | None = None           # header in the export when it is a code, not the text

    @property
    def header(self) -> str:
        return self.column or self.text

    @property
    def is_age(self) -> bool:
        return bool(self.options) and all(o.ages for o in self.options)


@dataclass(frozen=True)
class Codebook:
    questions: tuple[Question, ...]
    title: str | None = None
    by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})

    def age_question(self) -> Question | None:
        return next((q for q in self.questions if q.type == "single" and q.is_age), None)


def parse(text: str, where: str) -> Codebook:
    """Codebook from YAML text; `where` names the file in the one-line Czech errors."""
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SprssError(f"Kódovník {where}: neplatný YAML ({str(exc).splitlines()[0]}).") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("otazky"), list) or not spec["otazky"]:
        raise SprssError(f"Kódovník {where}: očekáván klíč 'otazky' s neprázdným seznamem otázek.")
    questions = tuple(_question(item, position, where) for position, item in enumerate(spec["otazky"], start=1))
    _check_unique([q.id for q in questions], where, "id otázky")
    _check_unique([fold(q.header) for q in questions], where, "text/sloupec otázky")
    if sum(q.type == "obec" for q in questions) > 1:
        raise SprssError(f"Kódovník {where}: otázka typu obec smí být jen jedna.")
    return Codebook(questions, spec.get("nazev"))


def _question(item: object, position: int, where: str) -> Question:
    if not isinstance(item, dict) or not item.get("id") or not item.get("text") or not item.get("typ"):
        raise SprssError(f"Kódovník {where}: otázka č. {position} musí mít klíče id, text a typ.")
    qid, typ = str(item["id"]), str(item["typ"])
    label = f"Kódovník {where}, otázka {qid}"
    if not ID_PATTERN.match(qid):
        raise SprssError(f"{label}: id smí obsahovat jen malá písmena bez diakritiky, číslice a '_'.")
    if typ not in TYPES:
        raise SprssError(f"{label}: neznámý typ {typ!r}; povolené typy: {', '.join(TYPES)}.")
    options = tuple(_option(o, label) for o in item.get("moznosti") or [])
    if typ in WITH_OPTIONS and not options:
        raise SprssError(f"{label}: typ {typ} potřebuje seznam 'moznosti'.")
    if typ not in WITH_OPTIONS and options:
        raise SprssError(f"{label}: typ {typ} nemá mít 'moznosti'.")
    if typ == "likert" and any(o.value is None for o in options if not o.dont_know):
        raise SprssError(f"{label}: každá možnost škály kromě 'nevim' potřebuje číselnou 'hodnota'.")
    if typ == "multi" and any(o.column for o in options) != all(o.column for o in options):
        raise SprssError(f"{label}: 'sloupec' musí mít buď všechny možnosti, nebo žádná.")
    _check_unique([fold(o.text) for o in options], where, f"možnost otázky {qid}")
    return Question(qid, str(item["text"]).strip(), typ, bool(item.get("povinna", False)), options,
                    bool(item.get("jine", False)), str(item["sloupec"]) if item.get("sloupec") else None)


def _option(item: object, label: str) -> Option:
    if isinstance(item, (str, int, float)) and not isinstance(item, bool):
        return Option(str(item).strip())
    if not isinstance(item, dict) or not str(item.get("text", "")).strip():
        raise SprssError(f"{label}: možnost musí být text nebo slovník s klíčem 'text'.")
    value = item.get("hodnota")
    if value is not None and not isinstance(value, (int, float)):
        raise SprssError(f"{label}: hodnota možnosti {item['text']!r} musí být číslo.")
    ages = item.get("vek")
    if ages is not None:
        if (not isinstance(ages, list) or len(ages) != 2 or not isinstance(ages[0], int)
                or not (ages[1] is None or isinstance(ages[1], int))):
            raise SprssError(f"{label}: 'vek' možnosti {item['text']!r} má být [od, do] v letech (do může být null).")
        ages = (ages[0], ages[1])
    return Option(str(item["text"]).strip(), None if value is None else float(value), bool(item.get("nevim", False)),
                  str(item["sloupec"]) if item.get("sloupec") else None,
                  str(item["kod"]) if item.get("kod") is not None else None, ages)


def _check_unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise SprssError(f"Kódovník {where}: {what} {value!r} je uvedena vícekrát.")
        seen.add(value)


class _Band(list[int | None]):
    """An age band, written on one line: vek: [18, 29]."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Band, lambda dumper, band: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", band, flow_style=True))


class _OptionSpec(TypedDict, total=False):
    """A dict option of the YAML (keys as the codebook file spells them)."""
    text: Required[str]
    kod: str
    sloupec: str
    hodnota: float  # an int when whole, so the YAML reads 4, not 4.0
    nevim: bool
    vek: _Band


class _QuestionSpec(TypedDict, total=False):
    id: Required[str]
    text: Required[str]
    sloupec: str
    typ: str
    povinna: bool
    jine: bool
    moznosti: list[str | _OptionSpec]


class _CodebookSpec(TypedDict, total=False):
    nazev: str
    otazky: list[_QuestionSpec]


def dump(codebook: Codebook, comment: str = "") -> str:
    """YAML an analyst can read and edit: keys in a fixed order, defaults left out."""
    spec: _CodebookSpec = {"nazev": codebook.title} if codebook.title else {}
    spec["otazky"] = [_question_spec(q) for q in codebook.questions]
    body = yaml.dump(spec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return header + body


def _question_spec(question: Question) -> _QuestionSpec:
    spec: _QuestionSpec = {"id": question.id, "text": question.text}
    if question.column:
        spec["sloupec"] = question.column
    spec["typ"] = question.type
    spec["povinna"] = question.required
    if question.other:
        spec["jine"] = True
    if question.options:
        spec["moznosti"] = [_option_spec(o) for o in question.options]
    return spec


def _option_spec(option: Option) -> str | _OptionSpec:
    spec: _OptionSpec = {"text": option.text}
    if option.code is not None:
        spec["kod"] = option.code
    if option.column:
        spec["sloupec"] = option.column
    if option.value is not None:
        spec["hodnota"] = int(option.value) if option.value.is_integer() else option.value
    if option.dont_know:
        spec["nevim"] = True
    if option.ages:
        spec["vek"] = _Band(option.ages)
    return spec if len(spec) > 1 else option.text
