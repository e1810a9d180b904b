"""Housing exclusion per ORP (DataRozhlas, 2018): tab-separated tables whose first column `orp` names the ORP.

Two layouts: `data.tsv` (name with the kraj in brackets, "Aš (Karlovarský kraj)", then counts of families,
persons and children in housing need, in ubytovny and in azylové domy, and persons without a home) and
`rodiny.tsv` (name without kraj, number of families). The files carry no codes; the parser keeps the names as
written and the warehouse matches them to ORP codes of its territory (model bytova_nouze_shoda), refusing a name
that matches no or several ORP and listing the candidates. Praha is named "Hlavní město Praha" after its kraj
(the territory calls its only ORP "Praha"), and Kraj Vysočina is written "Vysočina".
"""
from datetime import date
import re

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta, decode_text

META = SourceMeta(
    id="bytova_nouze",
    title="DataRozhlas, bytová nouze podle ORP",
    publisher="Český rozhlas, DataRozhlas (tabulky k článku o bytové nouzi; původní zdroj údajů soubor neuvádí)",
    citation="DataRozhlas, bytová nouze podle ORP 2018",
    licence=NOT_STATED,
    reference_date="Soubor datum neuvádí; údaje jsou za rok 2018 (uloženo k 31. 12. 2018), jiné datum zadejte "
                   "volbou --date.",
)

EDITION = date(2018, 12, 31)
# column of data.tsv -> figure; rodiny.tsv has one column `rodin`
COLUMNS = {"nouze_rodiny": "bytova_nouze_rodiny", "nouze_osoby": "bytova_nouze_osoby", "nouze_deti": "bytova_nouze_deti",
           "ubyt_rodiny": "ubytovny_rodiny", "ubyt_osoby": "ubytovny_osoby", "ubyt_deti": "ubytovny_deti",
           "azyl_rodiny": "azylove_domy_rodiny", "azyl_osoby": "azylove_domy_osoby", "azyl_deti": "azylove_domy_deti",
           "bezdom": "osoby_bez_domova", "rodin": "rodiny_celkem"}
LAYOUTS = ({"orp", *(c for c in COLUMNS if c != "rodin")}, {"orp", "rodin"})
NAME_WITH_KRAJ = re.compile(r"^(.+?)\s*\(([^()]+)\)$")
OUTPUT = ["orp_nazev", "kraj_nazev", "obdobi", "ukazatel", "pocet", "radek"]
EXPECTED = ("očekávána tabulka oddělená tabulátory se sloupcem orp a počty (nouze_rodiny … bezdom, nebo rodin), "
            "jeden řádek na ORP")


def _header(text: str) -> list[str]:
    return [name.strip() for name in text.split("\n", 1)[0].rstrip("\r").split("\t")]


def sniff(content: bytes) -> bool:
    try:
        header = _header(decode_text(content[:4096]))
    except FormatError:
        return False
    return set(header) in LAYOUTS


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    lines = decode_text(content).replace("\r\n", "\n").split("\n")
    header = _header(lines[0])
    if set(header) not in LAYOUTS or len(set(header)) != len(header):
        raise FormatError(f"záhlaví {', '.join(header)} neodpovídá; {EXPECTED}", row=1)
    with_kraj = "rodin" not in header
    rows: list[tuple] = []
    seen: dict[tuple[str, str | None], int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(header):
            raise FormatError(f"řádek má {len(cells)} polí místo {len(header)}; {EXPECTED}", row=number)
        record = dict(zip(header, cells, strict=True))
        name, kraj = record["orp"], None
        if with_kraj:
            match = NAME_WITH_KRAJ.match(name)
            if not match:
                raise FormatError(f"název {name!r} nemá kraj v závorce; očekáváno např. „Aš (Karlovarský kraj)“",
                                  row=number)
            name, kraj = match.group(1).strip(), match.group(2).strip()
        if (name, kraj) in seen:
            raise FormatError(f"ORP {record['orp']!r} je v tabulce podruhé (poprvé na řádku {seen[(name, kraj)]})",
                              row=number)
        seen[(name, kraj)] = number
        for column in header[1:]:
            if not re.fullmatch(r"\d+", record[column]):
                raise FormatError(f"{column} {record[column]!r} u ORP {record['orp']} není nezáporné celé číslo",
                                  row=number)
            rows.append((name, kraj, reference_date or EDITION, COLUMNS[column], int(record[column]), number))
    if not rows:
        raise FormatError(f"tabulka nemá žádný řádek ORP; {EXPECTED}")
    return Parsed(META.id, reference_date or EDITION, {"bytova_nouze_orp": pd.DataFrame(rows, columns=OUTPUT)})
