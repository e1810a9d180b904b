"""A draft codebook inferred from an export (`sprss survey init`), right for an ordinary Google Forms export.

Types come from the answers: numbers, Likert scales (Czech wording: intensity word + ano/ne or a stem and its
ne- negation, numbered scales), age bands, multi-choice (cells joined by ', ' whose parts recur), single choice
(recurring whole answers), free text. Coded exports (Survio, LimeSurvey) take texts from their labels sheet.
"""
from collections import Counter
from dataclasses import dataclass, replace
import re

from pipeline.core.text import fold
from pipeline.sources.pruzkum.codebook import Codebook, Option, Question
from pipeline.sources.pruzkum.readers import Export
from pipeline.sources.pruzkum.validate import OTHER_WORD

STRONG = {"rozhodne", "velmi", "zcela", "naprosto", "uplne", "urcite", "vyrazne"}
WEAK = {"spise", "castecne", "docela", "celkem", "trochu", "mirne"}
DONT_KNOW = re.compile(r"^(nevim|ne(dokazu|umim|mohu|dovedu) (to )?(posoudit|odpovedet)|bez nazoru"
                       r"|nemam (zkusenost|nazor))")
NUMBERED = re.compile(r"^(\d{1,2})(?:\s*[-–=:.)]\s*([^\W\d].*))?$")  # the label starts with a letter
SCALE_HEADER = re.compile(r"\b1\s*[-–=]|\bskal|hodnot|znamk|ohodnot")
NUMBER = re.compile(r"^-?\d[\d \u00a0]*(?:[.,]\d+)?\s*(?:kc|czk|,-)?$")
OTHER_START = re.compile(r"(?:^|, )" + OTHER_WORD, re.IGNORECASE)
PLACE = re.compile(r"\b(obec|obci|obce|mesto|meste|bydliste)\b")
LIVING = re.compile(r"(zij|bydl|pochaz)")
OBEC_HEADERS = {"obec", "bydliste", "misto bydliste", "obec bydliste", "obec trvaleho bydliste"}
# "do 29 let" has no lower bound in the answer: respondents of public surveys are adults
MINIMUM_AGE = 18
AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|—|az)\s*(\d{1,3})(?: let)?$")
AGE_UPTO = re.compile(r"^(?:do|mene nez|mladsi nez|pod)\s+(\d{1,3})(?: let)?$")
AGE_FROM = re.compile(r"^(\d{1,3})\s*(?:\+|(?:let )?a (?:vice|starsi|vic))(?: let)?$")
AGE_OVER = re.compile(r"^(?:nad|vice nez|starsi nez)\s+(\d{1,3})(?: let)?$")
STOP_WORDS = {"ve", "v", "ke", "k", "ktere", "ktery", "ktera", "kterou", "jake", "jaky", "jaka", "jakou", "jak", "co",
              "kolik", "vy", "vase", "vas", "vasi", "vasem", "vam", "je", "jste", "jsou", "se", "si", "na", "do", "z",
              "ze", "a", "i", "o", "u", "pro", "by", "byste", "byl", "mate", "nebo", "podle", "za", "s", "to", "mu",
              "te", "ta", "ten", "tom", "zda", "uz", "jiz", "let"}
MAX_ID_WORDS = 4
# columns of who answered, not of what: left out of the draft (and reported as unused on import)
NOT_QUESTIONS = {"e-mailova adresa", "emailova adresa", "e-mail", "email", "ip adresa", "id", "id odpovedi",
                 "response id", "jmeno", "jmeno a prijmeni"}


def draft(export: Export, obec_names: set[str] | None = None) -> Codebook:
    """`obec_names` (folded, from the warehouse) recognise the obec column by its answers as well."""
    filled = [cells for _, cells in export.rows if any(cells)]
    time_column = export.timestamp_column()
    groups = _option_columns(export) if export.labels else {}
    first_of_group = {columns[0]: code for code, columns in groups.items()}
    in_group = {column for columns in groups.values() for column in columns}
    questions: list[Question] = []
    taken: set[str] = set()
    for position, header in enumerate(export.headers):
        if position in first_of_group:
            code = first_of_group[position]
            options = [Option(_option_label(export.labels.get(export.headers[c], export.headers[c])),
                              column=export.headers[c]) for c in groups[code]]
            questions.append(_identified(Question("", export.labels[code], "multi", False, tuple(options)), taken))
            continue
        if position in in_group or position == time_column or not header or fold(header) in NOT_QUESTIONS:
            continue
        if export.labels and header not in export.labels:
            continue  # a coded export's own columns (response id, language …) are not questions
        values = [cells[position].strip() for cells in filled]
        text = export.labels.get(header, header)
        if header in export.value_labels:
            question = _from_value_labels(text, export.value_labels[header], values)
        else:
            question = _infer(text, values, obec_names)
        if export.labels:
            question = replace(question, column=header)
        questions.append(_identified(question, taken))
    obec_seen = False
    for position, question in enumerate(questions):  # one obec question: later candidates are plain text
        if question.type == "obec":
            if obec_seen:
                questions[position] = replace(question, type="text", required=False)
            obec_seen = True
    return Codebook(tuple(questions))


def _infer(header: str, values: list[str], obec_names: set[str] | None) -> Question:
    answers = [v for v in values if v]
    required = bool(answers) and len(answers) == len(values)
    if not answers:
        return Question("", header, "text")
    if _is_obec(header, answers, obec_names):
        return Question("obec", header, "obec", True)
    likert = _likert(answers, header)
    if likert:
        return Question("", header, "likert", required, likert)
    if all(NUMBER.match(fold(a)) for a in answers):
        return Question("", header, "number", required)
    ages = _age_bands(list(dict.fromkeys(answers)))
    if ages:
        return Question("vek", header, "single", required, ages)
    multi = _multi(answers)
    if multi:
        options, other = multi
        return Question("", header, "multi", required, options, other)
    counts = Counter(answers)
    recurring = [value for value, n in counts.most_common() if n >= 2]
    if recurring and len(recurring) <= 20 and sum(counts[v] for v in recurring) >= 0.75 * len(answers):
        return Question("", header, "single", required, tuple(Option(v) for v in recurring),
                        other=len(recurring) < len(counts))
    return Question("", header, "text", required)


def _is_obec(header: str, answers: list[str], obec_names: set[str] | None) -> bool:
    if any(", " in a or NUMBER.match(fold(a)) for a in answers):
        return False
    if obec_names and sum(fold(a) in obec_names for a in answers) >= 0.6 * len(answers):
        return True
    folded = fold(header).rstrip("?:. ")
    return folded in OBEC_HEADERS or bool(PLACE.search(folded) and LIVING.search(folded))


# --- Likert scales --------------------------------------------------------------------------------------


@dataclass
class _Point:
    position: int      # +2 strong positive … -2 strong negative, 0 neutral
    word: str | None   # the intensity word as written ("Rozhodně"), None for a plain answer
    core: str          # the rest as written ("ano", "spokojen/a")


def _likert(answers: list[str], header: str) -> tuple[Option, ...] | None:
    distinct = list(dict.fromkeys(answers))
    dont_know = [a for a in distinct if DONT_KNOW.match(fold(a))]
    scale = [a for a in distinct if a not in dont_know]
    if not scale:
        return None
    options = _numbered(scale, header) or _worded(scale)
    if options is None:
        return None
    return options + tuple(Option(a, dont_know=True) for a in dont_know)


def _numbered(scale: list[str], header: str) -> tuple[Option, ...] | None:
    """'1 – Zcela souhlasím', '2', … '5 – Zcela nesouhlasím' (or bare 1–5 under a header naming a scale)."""
    matches = [m for m in (NUMBERED.match(a) for a in scale) if m is not None]
    if len(matches) < len(scale):
        return None
    labelled = any(m.group(2) for m in matches)
    if not labelled and not SCALE_HEADER.search(fold(header)):
        return None
    texts = {int(m.group(1)): a for m, a in zip(matches, scale, strict=True)}
    low, high = min(texts), max(texts)
    if high - low > 10 or len(texts) < 2:
        return None
    return tuple(Option(texts.get(n, str(n)), value=float(n)) for n in range(low, high + 1))


def _worded(scale: list[str]) -> tuple[Option, ...] | None:
    """'Rozhodně ano … Rozhodně ne', 'Velmi spokojen … Velmi nespokojen', with the unseen steps completed."""
    points = _points(scale)
    if points is None:
        return None
    positions = {p.position for p in points}
    has_words = any(p.word for p in points)
    if len(positions) < 3 and not (len(positions) == 2 and has_words):
        return None
    words = {abs(p.position): p.word for p in points if p.word}
    positive = next((p.core for p in points if p.position > 0), None)
    negative = next((p.core for p in points if p.position < 0), None)
    if not positive:  # only a negative side was answered: the positive one mirrors it
        # with two or more positions one of them is not neutral, so some point has a side
        assert negative, "a scale without any positive or negative point"
        positive = _opposite(negative, negate=False)
    elif not negative:
        negative = _opposite(positive, negate=True)
    wanted = positions | {-p for p in positions}  # a scale is symmetric: the unseen mirror steps exist too
    observed = {p.position: text for p, text in zip(points, scale, strict=True)}  # _points: one per answer
    options = []
    for rank, position in enumerate(sorted(wanted, reverse=True)):
        text = observed.get(position) or _compose(words.get(abs(position)), positive if position > 0 else negative)
        options.append(Option(text, value=float(len(wanted) - rank)))
    return tuple(options)


def _points(scale: list[str]) -> list[_Point] | None:
    parsed = []
    for answer in scale:
        head, _, rest = answer.partition(" ")
        word = head if fold(head) in STRONG | WEAK and rest else None
        parsed.append((word, rest if word else answer))
    cores = {fold(core) for _, core in parsed}
    stems = {c for c in cores if not c.startswith("ani ") and not _is_negation(c, cores)}
    if len(stems) != 1:
        return None
    stem = stems.pop()
    points = []
    for word, core in parsed:
        folded = fold(core)
        strength = 2 if word and fold(word) in STRONG else 1
        if folded.startswith("ani "):
            points.append(_Point(0, None, core))
        elif folded == stem:
            points.append(_Point(strength, word, core))
        elif folded in (f"ne{stem}", "ne" if stem == "ano" else None):
            points.append(_Point(-strength, word, core))
        else:
            return None
    return points


def _is_negation(core: str, cores: set[str]) -> bool:
    return (core == "ne" and "ano" in cores) or (core.startswith("ne") and core[2:] in cores) or \
        (core.startswith("ne") and len(cores) == 1)


def _opposite(core: str, negate: bool) -> str:
    """'ano' <-> 'ne', 'spokojen/a' <-> 'nespokojen/a', keeping the capital of a plain answer."""
    lower = core[:1].lower() + core[1:]
    if negate:
        flipped = "ne" if lower == "ano" else "ne" + lower
    else:
        flipped = "ano" if lower == "ne" else lower[2:]
    return flipped[:1].upper() + flipped[1:] if core[:1].isupper() else flipped


def _compose(word: str | None, core: str) -> str:
    return f"{word} {core[:1].lower() + core[1:]}" if word else core[:1].upper() + core[1:]


# --- age bands, multi-choice ---------------------------------------------------------------------------


def _age_bands(distinct: list[str]) -> tuple[Option, ...] | None:
    bands: list[tuple[tuple[int, int | None], str]] = []
    for answer in distinct:
        folded = fold(answer)
        band: tuple[int, int | None]
        if match := AGE_RANGE.match(folded):
            band = (int(match.group(1)), int(match.group(2)))
        elif match := AGE_UPTO.match(folded):
            band = (MINIMUM_AGE, int(match.group(1)) - (0 if folded.startswith("do") else 1))
        elif match := AGE_FROM.match(folded):
            band = (int(match.group(1)), None)
        elif match := AGE_OVER.match(folded):
            band = (int(match.group(1)) + 1, None)
        else:
            return None
        bands.append((band, answer))
    if len(bands) < 2:
        return None
    uppers = {b[1] for b, _ in bands if b[1] is not None}
    # "nad 64 let" after "50–64 let" starts at 65; after "50–65" it would overlap, so it starts where the last ends
    bands = [((low - 1, high) if high is None and low - 2 in uppers and low - 1 not in uppers else (low, high), text)
             for (low, high), text in bands]
    return tuple(Option(text, ages=band) for band, text in sorted(bands, key=lambda b: b[0][0]))


def _multi(answers: list[str]) -> tuple[tuple[Option, ...], bool] | None:
    """Options are the parts that recur across cells; a part seen once, or after 'Jiné:', is free text."""
    cells, other = [], False
    for answer in answers:
        match = OTHER_START.search(answer)
        head = answer[:match.start()] if match else answer
        other |= bool(match)
        cells.append(_parts(head))
    cells = _merge_continuations(cells)
    if not any(len(parts) >= 2 for parts in cells):
        return None
    counts = Counter(part for parts in cells for part in dict.fromkeys(parts))
    options = [part for part, n in counts.most_common() if n >= 2]
    if len(options) < 2 or sum(counts[o] for o in options) < 0.5 * sum(counts.values()):
        return None  # sentences with commas, not choices
    return tuple(Option(o) for o in options), other or len(options) < len(counts)


def _parts(head: str) -> list[str]:
    """Split on ', ' but never inside parentheses: 'Poradenství (dluhy, bydlení)' stays whole."""
    parts: list[str] = []
    for piece in head.split(", ") if head.strip() else []:
        if parts and parts[-1].count("(") > parts[-1].count(")"):
            parts[-1] += ", " + piece
        else:
            parts.append(piece)
    return [p.strip() for p in parts if p.strip()]


def _merge_continuations(cells: list[list[str]]) -> list[list[str]]:
    """'Ano, denně': a lower-case part always following the same part belongs to it (an option with a comma)."""
    while True:
        before: dict[str, set[str | None]] = {}
        for parts in cells:
            for i, part in enumerate(parts):
                before.setdefault(part, set()).add(parts[i - 1] if i else None)
        joined = {part for part, previous in before.items()
                  if part[:1].islower() and len(previous) == 1 and None not in previous}
        if not joined:
            return cells
        merged = []
        for parts in cells:
            out: list[str] = []
            for part in parts:
                if part in joined and out:
                    out[-1] += ", " + part
                else:
                    out.append(part)
            merged.append(out)
        cells = merged


# --- coded exports ------------------------------------------------------------------------------------


def _option_columns(export: Export) -> dict[str, list[int]]:
    """Question code without a column of its own -> its 0/1 option columns ('Q3' -> Q3_1 … or Q3[SQ001] …)."""
    groups: dict[str, list[int]] = {}
    headers = set(export.headers)
    for code in export.labels:
        if code in headers:
            continue
        columns = [i for i, h in enumerate(export.headers) if re.match(re.escape(code) + r"[_\[.]", h)]
        if columns:
            groups[code] = columns
    return groups


def _option_label(label: str) -> str:
    """LimeSurvey labels an option column 'Question text [Option]'."""
    match = re.search(r"\[([^\]]+)\]\s*$", label)
    return match.group(1).strip() if match else label


def _from_value_labels(header: str, labels: dict[str, str], values: list[str]) -> Question:
    answers = [v for v in values if v]
    required = bool(answers) and len(answers) == len(values)
    texts = list(labels.values())
    codes = {text: code for code, text in labels.items()}
    likert = _likert(texts, header)
    options = likert or _age_bands(texts) or tuple(Option(t) for t in texts)
    options = tuple(Option(o.text, o.value, o.dont_know, code=codes.get(o.text), ages=o.ages) for o in options)
    qid = "vek" if all(o.ages for o in options) else ""
    return Question(qid, header, "likert" if likert else "single", required, options)


# --- identifiers -----------------------------------------------------------------------------------------


def _identified(question: Question, taken: set[str]) -> Question:
    """A short id from the question's words ('Které služby ve Vaší obci chybí?' -> sluzby_obci_chybi)."""
    base = question.id
    if not base:
        words = [w for w in re.findall(r"[a-z0-9]+", fold(question.text)) if w not in STOP_WORDS and len(w) > 1]
        base = "_".join(words[:MAX_ID_WORDS]) or "otazka"
        base = base if base[0].isalpha() else "q" + base
    qid, n = base, 2
    while qid in taken:
        qid, n = f"{base}_{n}", n + 1
    taken.add(qid)
    return Question(qid, question.text, question.type, question.required, question.options, question.other,
                    question.column)
