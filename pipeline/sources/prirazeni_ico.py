"""Which obec an accounting unit (IČO) of the Monitor státní pokladny is: `ico;obec_kod`, one row per IČO.

The Monitor's list of accounting units (`ucjed.xml`, with `zuj_id` = ČSÚ obec code) would place every obec, but its
XML layout is not documented where sprss found the format (sources-next.md names only some of its fields), so sprss
does not read it. The analyst places IČO instead: `sprss import FINM.csv --obec KOD` writes this file for a
one-municipality extract, and for extracts of several obce the analyst imports a file of this form.
"""
import csv
from datetime import date
import io

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta, decode_text

META = SourceMeta(
    id="prirazeni_ico",
    title="Přiřazení IČO účetních jednotek k obcím",
    publisher="zpracovatel plánu (sprss import --obec nebo vlastní soubor ico;obec_kod)",
    citation="přiřazení IČO k obcím zadané zpracovatelem",
    licence=NOT_STATED,
    reference_date="Datum zadané volbou --date (u --obec datum extraktu), jinak den importu.",
)
HEADER = ["ico", "obec_kod"]
TABLE = "financovani_ico_obec"


def sniff(content: bytes) -> bool:
    head = content[:200].decode("utf-8-sig", errors="replace").splitlines()
    return bool(head) and [c.strip().lower() for c in head[0].split(";")] == HEADER


def render(pairs: dict[str, str]) -> bytes:
    """The file `sprss import --obec` stores beside an extract."""
    return ("ico;obec_kod\n" + "".join(f"{ico};{kod}\n" for ico, kod in sorted(pairs.items()))).encode()


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    rows = list(csv.reader(io.StringIO(decode_text(content)), delimiter=";"))
    if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
        raise FormatError("očekáváno záhlaví ico;obec_kod", row=1)
    pairs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        ico, kod = (cells + ["", ""])[:2]
        ico, kod = ico.strip(), kod.strip()
        if not ico.isdigit() or len(ico.lstrip("0")) > 8:
            raise FormatError(f"IČO {ico!r} není nejvýše osmimístné číslo", row=number)
        if not (kod.isdigit() and len(kod) == 6):
            raise FormatError(f"kód obce {kod!r} není šestimístný kód obce ČSÚ", row=number)
        ico = ico.lstrip("0").zfill(8)
        if ico in seen:
            raise FormatError(f"IČO {ico} je v souboru podruhé (poprvé na řádku {seen[ico]}); každé IČO patří jedné obci",
                              row=number)
        seen[ico] = number
        pairs.append((ico, kod))
    if not pairs:
        raise FormatError("soubor neobsahuje žádné přiřazení", row=2)
    return Parsed(META.id, reference_date or date.today(), {TABLE: pd.DataFrame(pairs, columns=HEADER)})
