"""Name matching for Czech territory names: case-, spacing- and diacritics-insensitive."""
from datetime import date
import re
import unicodedata

from pipeline.core.errors import SprssError


def fold(name: str) -> str:
    """'Jindřichův  Hradec' -> 'jindrichuv hradec'."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_only).strip().casefold()


def slug(name: str) -> str:
    """File-system friendly name: 'ORP Jihlava' -> 'orp-jihlava'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def czech_date(value: date) -> str:
    """date(2023, 1, 1) -> '1. 1. 2023' (the form ČSÚ titles use)."""
    return f"{value.day}. {value.month}. {value.year}"


THIN_SPACE = "\u202f"  # narrow no-break space: Czech thousands separator that never breaks a number
MINUS = "\u2212"


def czech_number(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12 345,6' with a narrow no-break space and a typographic minus ('−0,0' never appears)."""
    rounded = round(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",")
    return MINUS + text if rounded < 0 else text


def czech_iso(obdobi: str) -> str:
    """'2023-01-01' -> '1. 1. 2023'."""
    return czech_date(date.fromisoformat(obdobi))


def plural(n: int, one: str, few: str, many: str) -> str:
    """'1 obec', '3 obce', '78 obcí', '6 258 obcí': Czech nouns agree with the number."""
    return f"{czech_number(n)} {one if n == 1 else few if 2 <= n <= 4 else many}"


def czech_join(items: list[str]) -> str:
    """'A, B a C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " a " + items[-1]


def capitalised(text: str) -> str:
    """First letter in upper case, the rest untouched ('ORP', where str.capitalize gives 'Orp')."""
    return text[:1].upper() + text[1:]


def before_number(preposition: str, number: float) -> str:
    """'z' or 'ze', 's' or 'se' before a number as it is read: ze 4 (čtyř), z 5 (pěti), se 3 780 (třemi tisíci),
    s 1 500 (tisícem), ze 100 (sta). Only z and s change; the integer part decides."""
    if preposition not in ("z", "s"):
        raise ValueError(f"preposition {preposition!r}: only 'z' and 's' are vocalised before numbers")
    return preposition + "e" if _read_with_cluster(int(abs(number))) else preposition


def _read_with_cluster(n: int) -> bool:
    """Whether n is read starting with s, š, z or a cluster (dv-, tř-, čt-): the words that take 'ze'/'se'."""
    for scale in (1_000_000, 1000):  # milionu, tisíce: 'z'; 2 000 'ze dvou tisíc', 100 000 'ze sta tisíc'
        if n >= scale:
            return n // scale != 1 and _read_with_cluster(n // scale)
    if n >= 100:
        return n // 100 in (1, 2, 3, 4, 6, 7)  # sta, dvou, tří, čtyř, šesti, sedmi set
    if n >= 20:
        return n // 10 in (2, 3, 4, 6, 7)  # dvaceti, třiceti, čtyřiceti, šedesáti, sedmdesáti
    return n in (2, 3, 4, 6, 7, 12, 13, 14, 16, 17)


def parse_date(value: str | date | None) -> date | None:
    """An ISO date the analyst typed (RRRR-MM-DD); None stays None."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SprssError(f"Neplatné datum {value!r}; očekáváno RRRR-MM-DD.") from None


NBSP = "\u00a0"
# Czech alphabet order (ČSN 97 6030): č, ř, š, ž and ch are letters of their own; other accents only break ties
_LETTERS = "a b c č d e f g h ch i j k l m n o p q r ř s š t u v w x y z ž".split()
_RANK = {letter: n for n, letter in enumerate(_LETTERS)}
_OWN_LETTERS = set("čřšž")


def collation_key(name: str) -> tuple:
    """Sort key for Czech names: 'Havlíčkův Brod' < 'Chotěboř' < 'Ivančice', 'Čáslav' after 'Cvikov'."""
    text = re.sub(r"\s+", " ", str(name)).strip().casefold()
    primary: list[int] = []
    secondary: list[int] = []
    i = 0
    while i < len(text):
        if text.startswith("ch", i):
            primary.append(_RANK["ch"] + 1000)
            secondary.append(0)
            i += 2
            continue
        ch = text[i]
        base = ch if ch in _OWN_LETTERS else unicodedata.normalize("NFKD", ch)[0]
        accented = 0 if base == ch else 1
        # letters first (by Czech rank), then digits and other characters by code point, spaces lowest
        primary.append(_RANK[base] + 1000 if base in _RANK else (0 if base == " " else ord(base) + 2000))
        secondary.append(accented)
        i += 1
    return (tuple(primary), tuple(secondary), text)


_ONE_LETTER_WORD = re.compile(r"(?<![^\s(„\"'\[–—/])([KkSsVvZzOoUuAaIi]) +(?=\S)")
_DATE = re.compile(r"(?<!\d)(\d{1,2})\. +(\d{1,2})\.(?: +(\d{4})(?!\d))?")
_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,3})(?: (?=\d{3}(?!\d)))")
_NUMBER_UNIT = re.compile(r"(\d) +(?=[%‰°A-Za-zÀ-ž])")


def typeset(text: str) -> str:
    """Czech typesetting rules as one pass over published text (every writer calls it): no line break after
    a one-letter preposition or conjunction (k s v z o u a i), inside dates ('1. 1. 2023'), inside numbers
    ('1 000') and between a number and the word or unit that follows it ('65 osob', '19,8 %')."""
    text = str(text)
    text = _DATE.sub(lambda m: f"{m[1]}.{NBSP}{m[2]}." + (f"{NBSP}{m[3]}" if m[3] else ""), text)
    previous = None
    while previous != text:  # '1 234 567': each pass joins one group
        previous, text = text, _THOUSANDS.sub(lambda m: m[1] + THIN_SPACE, text)
    text = _NUMBER_UNIT.sub(lambda m: m[1] + NBSP, text).replace("p. b.", f"p.{NBSP}b.")
    previous = None
    while previous != text:  # 'a v Jihlavě': both one-letter words bind to what follows
        previous, text = text, _ONE_LETTER_WORD.sub(lambda m: m[1] + NBSP, text)
    return text
