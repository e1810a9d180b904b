"""The contract every source module fulfils.

A source module exposes:
- ``META``: its ``SourceMeta``, the one description of the source (id, titles, publisher, licence, official
  URLs); source lines, the ``sprss fetch`` catalogue and the methods appendix are generated from it;
- ``sniff(content: bytes) -> bool``: recognises the file by its content (header signature);
- ``parse(content: bytes, filename: str, reference_date: date | None) -> Parsed``: pure parser,
  raises ``FormatError`` (with the row number) on anything unexpected;
- optionally ``redact(content: bytes) -> (bytes, {removed key path: count})`` when the file holds names of natural
  persons: the snapshot stores the redacted bytes (raw/snapshots.py), which must parse to the same tables.
"""
from dataclasses import dataclass, field
from datetime import date
import re

import pandas as pd

from pipeline.core.errors import FormatError

NOT_STATED = "neuvedena"  # licence of a source whose terms of use are not documented where sprss found it
CSU = "Český statistický úřad (ČSÚ)"
# the address of ČSÚ's terms as cited in public code (documentation of the R package czelections); not summarised here
CSU_TERMS = "podmínky užívání a dalšího šíření údajů ČSÚ (https://www.czso.cz/csu/czso/conditions_for_use_and_further_dissemination)"
MPSV = "Ministerstvo práce a sociálních věcí (MPSV)"
MPSV_TERMS = ("podmínky užití otevřených dat MPSV: data nejsou chráněna autorským právem ani zvláštním právem "
              "pořizovatele databáze (https://data.mpsv.cz/web/data/podminky-uziti)")


@dataclass(frozen=True)
class OfficialUrl:
    """One edition `sprss fetch SOURCE:EDITION` downloads; `documented_in` says where the address is published,
    because official files move and an address nobody documents cannot be checked."""
    edition: str
    url: str
    documented_in: str


@dataclass(frozen=True)
class SourceMeta:
    """Everything sprss says about a source, said once."""
    id: str  # also the folder name under data/raw/ and `zdroj` in provenance
    title: str  # Czech title in import messages and the list of imported files
    publisher: str
    citation: str  # the short Czech text of a source line, e.g. "ČSÚ, Počet obyvatel v obcích … k 1. 1."
    licence: str  # terms of use as documented, else NOT_STATED
    reference_date: str  # Czech sentence: how the reference date of a file is found
    urls: tuple[OfficialUrl, ...] = ()
    territory: bool = False  # defines the obce that every other source is checked against


@dataclass
class Parsed:
    source_id: str
    reference_date: date
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# š ž Š Ž ť Ť: where ISO-8859-2 puts them, cp1250 has ą ľ © ® » «, and where cp1250 puts them ISO-8859-2 has
# control characters; Czech text saved in ISO-8859-2 (exports of older systems) has the first and never the second.
ISO_8859_2_ONLY = re.compile(rb"[\xb9\xbe\xa9\xae\xbb\xab]")
CP1250_ONLY = re.compile(rb"[\x9a\x9e\x8a\x8e\x9d\x8d]")


def decode_text(content: bytes) -> str:
    """ČSÚ publishes UTF-8 (with or without BOM) and older files in cp1250; a file in ISO-8859-2 is decoded as
    such (as cp1250 its š and ž would become ą and ľ); anything else is refused.

    cp1250 decodes almost any bytes, so binary content is recognised by control characters instead.
    """
    legacy = "iso-8859-2" if ISO_8859_2_ONLY.search(content) and not CP1250_ONLY.search(content) else "cp1250"
    for encoding in ("utf-8-sig", legacy):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not CONTROL_CHARS.search(text):
            return text
    raise FormatError("soubor není text v kódování UTF-8 ani cp1250")


CZECH_DATE = re.compile(r"k\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")


def date_from_czech_title(text: str) -> date | None:
    """'Počet obyvatel … k 1. 1. 2023' -> date(2023, 1, 1)."""
    match = CZECH_DATE.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    return date(year, month, day)


def year_from_filename(filename: str) -> int | None:
    match = re.search(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", filename)
    return int(match.group(1)) if match else None


def require_reference_date(found: date | None, filename: str) -> date:
    if found is None:
        raise FormatError(
            "nepodařilo se zjistit referenční datum (v souboru ani v názvu souboru); zadejte ho volbou --date RRRR-MM-DD"
        )
    return found


def check_non_negative(frame: pd.DataFrame, columns: list[str], row_column: str = "_row") -> None:
    """Counts of people are never negative; point at the first offending row."""
    for column in columns:
        bad = frame[frame[column] < 0]
        if len(bad):
            first = bad.iloc[0]
            raise FormatError(
                f"záporný počet ve sloupci {column!r} ({first[column]:g}); očekáváno nezáporné celé číslo",
                row=int(first[row_column]),
            )


def check_unique(frame: pd.DataFrame, keys: list[str], row_column: str = "_row") -> None:
    dupes = frame[frame.duplicated(keys, keep="first")]
    if len(dupes):
        first = dupes.iloc[0]
        shown = ", ".join(f"{k}={first[k]}" for k in keys)
        raise FormatError(f"duplicitní řádek ({shown}); každá obec smí být v souboru jen jednou", row=int(first[row_column]))
