""""Index sociálního vyloučení 2023": one sheet, one row per obec of ČR, header in row 1.

The counts (persons in exekuce, paid příspěvek na bydlení / na živobytí in an average month, job seekers registered
over 6 months) come with their bases from the same file: population 15+ and 15–64 k 31. 12. 2023. They go into
`socialni_obce` (one row per obec × figure, count and base side by side); the published 0–30 index and its category
into `socialni_index`, as published. Columns are found by their header text, not by position.

Traps of the real file:
- obce without a primary school have a sentence instead of numbers in the four school columns (the figure was
  taken over from the nearest school's obec); those figures are by school, not by residence, and are not loaded;
- Praha has ORP code `0` (and `X-X-X` as its ORP name): the ORP columns are not read at all, the obec code is
  the key and the warehouse's territory says which ORP an obec belongs to;
- the published shares are checked against count / base (a shifted column would otherwise pass unnoticed);
- the published localisation quotients are not loaded: they are relative to a reference value that is constant
  within a kraj but is neither the kraj's share from the same counts nor the share of ČR (checked on the
  2023 file), so sprss computes its own quotients against ČR.
"""
from dataclasses import dataclass
from datetime import date
import math
import re

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta
from pipeline.sources.xlsx import cell_text, read_sheets, sheets_if_workbook

META = SourceMeta(
    id="index_vylouceni",
    title="Index sociálního vyloučení (tabulka obcí)",
    publisher="neuveden v souboru (metodika Lang, Matoušek: Metodika pro posouzení rozsahu sociálního "
              "vyloučení v území, 2020)",
    citation="Index sociálního vyloučení 2023 (podle metodiky Lang, Matoušek 2020)",
    licence=NOT_STATED,
    reference_date="Datum stavu základů v záhlaví (např. „k 31. 12. 2023“); průměr roku a prosinec jsou k "
                   "poslednímu dni roku.",
)

OBEC_CODE = "kód obce"
INDEX_POINTS = re.compile(r"index soc\. vyloučení (\d{4}) \(0-30 bodů\)")
INDEX_CATEGORY = re.compile(r"index soc\. vyloučení (\d{4}) \(4 kategorie bodů\)")
STATE_DATE = re.compile(r"k (\d{1,2})\. ?(\d{1,2})\. ?(\d{4})")
YEAR_AVERAGE = re.compile(r"průměrný měsíc r\. ?(\d{4})")
DECEMBER = re.compile(r"prosinec (\d{4})")
SHARE_TOLERANCE = 1e-6  # percentage points; the file's shares are count / base × 100 in full precision
BASES = {"obyvatel_15_plus": "počet obyvyatel - starších 15 let", "obyvatel_15_64": "počet obyvyatel - 15 až 64 let"}


@dataclass(frozen=True)
class Figure:
    """One count of the file with the header texts of its columns (as they start, lower case)."""
    ukazatel: str
    count: str
    share: str
    base: str
    period: re.Pattern  # how the reference period is written in the count's header
    obdobi_typ: str


FIGURES = (
    Figure("osoby_v_exekuci", "počet osob v exekuci", "% podíl obyvatel v exekuci", "obyvatel_15_plus",
           STATE_DATE, "stav"),
    Figure("prijemci_prispevku_na_bydleni", "počet vyplacených pnb", "% podíl příjemců pnb", "obyvatel_15_plus",
           YEAR_AVERAGE, "prumer_roku"),
    Figure("prijemci_prispevku_na_zivobyti", "počet vyplacených pnž", "% podíl příjemců pnž", "obyvatel_15_plus",
           YEAR_AVERAGE, "prumer_roku"),
    Figure("dlouhodobi_uchazeci", "počet uchazečů o zaměstnání evidovaných úp déle než 6 měsíců",
           "% podíl uchazečů o zaměstnání evidovaných úp déle než 6 měsíců", "obyvatel_15_64", DECEMBER, "mesic"),
)
OBCE_COLUMNS = ["obec_kod", "obdobi", "obdobi_typ", "ukazatel", "pocet", "zaklad", "zaklad_typ", "podil_zverejneny",
                "zdroj"]
INDEX_COLUMNS = ["obec_kod", "obdobi", "body", "kategorie", "zdroj"]
EXPECTED = ("očekávána tabulka „Index sociálního vyloučení“ (kód obce, počty obyvatel 15+ a 15–64, osoby v exekuci, "
            "PnB, PnŽ, uchazeči déle než 6 měsíců, index 0–30 bodů)")


def _header(rows: list[list]) -> list[str]:
    return [cell_text(v).lower() for v in rows[0]] if rows else []


def _column(header: list[str], start: str) -> int:
    found = [i for i, name in enumerate(header) if name.startswith(start)]
    if len(found) != 1:
        problem = "chybí sloupec" if not found else "je víc sloupců"
        raise FormatError(f"{problem} začínající „{start}“; {EXPECTED}", row=1)
    return found[0]


def _matching(header: list[str], pattern: re.Pattern) -> tuple[int, re.Match]:
    found = [(i, m) for i, name in enumerate(header) if (m := pattern.search(name))]
    if len(found) != 1:
        raise FormatError(f"{'chybí sloupec' if not found else 'je víc sloupců'} s indexem sociálního vyloučení; "
                          f"{EXPECTED}", row=1)
    return found[0]


def sniff(content: bytes) -> bool:
    sheets = sheets_if_workbook(content)
    if sheets is None:
        return False
    return any(OBEC_CODE in header and any(INDEX_POINTS.search(n) for n in header)
               for header in (_header(rows) for rows in sheets.values()))


def _period_end(text: str, figure: Figure) -> date:
    match = figure.period.search(text)
    if not match:
        raise FormatError(f"v záhlaví sloupce „{text}“ chybí období ({figure.obdobi_typ}); {EXPECTED}", row=1)
    if figure.period is STATE_DATE:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date(int(match.group(1)), 12, 31)  # an average of a year or its December: the year's last day


def _number(value: object, what: str, row: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"{what}: {cell_text(value) or 'prázdná buňka'!r} není číslo; očekáváno nezáporné číslo",
                          row=row)
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise FormatError(f"{what}: {number:g} není nezáporné číslo", row=row)
    return number


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    sheets = read_sheets(content)
    rows = next((r for r in sheets.values() if OBEC_CODE in _header(r)), None)
    if rows is None:
        raise FormatError(f"žádný list nemá v prvním řádku sloupec „Kód obce“; {EXPECTED}", row=1)
    header = _header(rows)
    code_at = _column(header, OBEC_CODE)
    base_at = {typ: _column(header, start) for typ, start in BASES.items()}
    base_date = {typ: _period_end(header[i], FIGURES[0]) for typ, i in base_at.items()}
    points_at, points_match = _matching(header, INDEX_POINTS)
    category_at, _ = _matching(header, INDEX_CATEGORY)
    index_date = date(int(points_match.group(1)), 12, 31)
    figures = [(f, _column(header, f.count), _column(header, f.share), _period_end(header[_column(header, f.count)], f))
               for f in FIGURES]

    counts: list[tuple] = []
    index: list[tuple] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell_text(v) for v in row]
        if not any(cells):
            continue
        code = cells[code_at]
        if not re.fullmatch(r"\d{6}", code):
            raise FormatError(f"kód obce {code!r} nemá šest číslic; {EXPECTED}", row=number)
        if code in seen:
            raise FormatError(f"obec {code} je v tabulce podruhé (poprvé na řádku {seen[code]})", row=number)
        seen[code] = number
        bases = {typ: _number(row[i], header[i], number) for typ, i in base_at.items()}
        if bases["obyvatel_15_64"] > bases["obyvatel_15_plus"]:
            raise FormatError(f"obec {code}: obyvatel 15–64 let ({bases['obyvatel_15_64']:g}) je víc než obyvatel "
                              f"15+ ({bases['obyvatel_15_plus']:g}); očekáváno 15–64 ≤ 15+", row=number)
        for figure, count_at, share_at, obdobi in figures:
            count, base = _number(row[count_at], header[count_at], number), bases[figure.base]
            share = _number(row[share_at], header[share_at], number)
            if count > base:
                raise FormatError(f"obec {code}: {figure.count} ({count:g}) je větší než jeho základ ({base:g}); "
                                  "očekáván počet nejvýš rovný základu", row=number)
            if share > 100:
                raise FormatError(f"obec {code}: podíl {share:g} % je mimo rozsah 0–100 %", row=number)
            expected = count / base * 100 if base else 0.0
            if abs(share - expected) > SHARE_TOLERANCE:
                raise FormatError(f"obec {code}: podíl {share:g} % neodpovídá počtu a základu ({expected:g} %); "
                                  "očekáván podíl = počet / základ × 100", row=number)
            counts.append((code, obdobi, figure.obdobi_typ, figure.ukazatel, count, base, figure.base, share, META.id))
        points = _number(row[points_at], header[points_at], number)
        if points > 30 or not points.is_integer():
            raise FormatError(f"obec {code}: index {points:g} není celý počet bodů 0–30", row=number)
        index.append((code, index_date, int(points), cells[category_at], META.id))
    if not counts:
        raise FormatError(f"tabulka nemá žádný řádek obce; {EXPECTED}")
    found = reference_date or base_date["obyvatel_15_plus"]
    return Parsed(META.id, found, {
        "socialni_obce": pd.DataFrame(counts, columns=OBCE_COLUMNS),
        "socialni_index": pd.DataFrame(index, columns=INDEX_COLUMNS),
    })
