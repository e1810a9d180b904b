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
