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
    """'1 obec', '3 obce', '78 obcí': Czech nouns agree with the number."""
    return f"{n} {one if n == 1 else few if 2 <= n <= 4 else many}"


def parse_date(value: str | date | None) -> date | None:
    """An ISO date the analyst typed (RRRR-MM-DD); None stays None."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SprssError(f"Neplatné datum {value!r}; očekáváno RRRR-MM-DD.") from None
