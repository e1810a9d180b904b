"""Name matching for Czech territory names: case-, spacing- and diacritics-insensitive."""
import re
import unicodedata


def fold(name: str) -> str:
    """'Jindřichův  Hradec' -> 'jindrichuv hradec'."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_only).strip().casefold()


def slug(name: str) -> str:
    """File-system friendly name: 'ORP Jihlava' -> 'orp-jihlava'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def czech_date(value) -> str:
    """date(2023, 1, 1) -> '1. 1. 2023' (the form ČSÚ titles use)."""
    return f"{value.day}. {value.month}. {value.year}"


THIN_SPACE = "\u202f"  # narrow no-break space: Czech thousands separator that never breaks a number
MINUS = "\u2212"


def czech_number(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12 345,6' with a narrow no-break space and a typographic minus ('−0,0' never appears)."""
    rounded = round(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",")
    return MINUS + text if rounded < 0 else text
