"""ČSÚ publication "Počet obyvatel v obcích České republiky k 1. 1. RRRR" (XLSX).

The layout drifts between years (extra empty rows, `LAU 1/LAU 2` vs `district/municipality`,
okres sub-header rows between obce), so nothing here relies on row or column positions: the
title gives the date, data rows are recognised by an obec code, and columns by their header text.
"""
from collections.abc import Callable
from datetime import date
import re

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.text import czech_date, fold
from pipeline.sources.base import (
    CSU,
    CSU_TERMS,
    Parsed,
    SourceMeta,
    check_non_negative,
    check_unique,
    date_from_czech_title,
    require_reference_date,
)
from pipeline.sources.xlsx import cell_text, read_sheets, sheets_if_workbook

# No URL: no download link to publication 130072 (file 1300722RR03) was found cited in a public repository that
# could be named; the XLSX is downloaded from the publication page on csu.gov.cz and loaded with `sprss import`.
META = SourceMeta(
    id="csu_pocet_obyvatel",
    title="ČSÚ, Počet obyvatel v obcích",
    publisher=CSU,
    citation="ČSÚ, Počet obyvatel v obcích České republiky k 1. 1.",
    licence=CSU_TERMS,
    reference_date="Datum v titulku publikace („Počet obyvatel v obcích … k 1. 1. RRRR“).",
)

OBEC_CODE = re.compile(r"^\d{6}$")
OKRES_CODE = re.compile(r"^CZ\d{3}[0-9A-Z]$")  # okres LAU 1 code, e.g. CZ0632, CZ020B
SEXES = {"celkem": "celkem", "total": "celkem", "muzi": "muzi", "males": "muzi", "men": "muzi",
         "zeny": "zeny", "females": "zeny", "women": "zeny"}
HEADER_SCAN_ROWS = 30


def sniff(content: bytes) -> bool:
    sheets = sheets_if_workbook(content)
    if sheets is None:
        return False
    return any(_title_row(rows) is not None for rows in sheets.values())


def _title_row(rows: list[list]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        text = fold(" ".join(cell_text(c) for c in row))
        if "pocet obyvatel v obcich" in text and date_from_czech_title(" ".join(cell_text(c) for c in row)):
            return index
    return None


def _is_data_row(row: list) -> bool:
    texts = [cell_text(c) for c in row]
    has_code = any(OBEC_CODE.match(t) for t in texts)
    numbers = sum(isinstance(c, (int, float)) and not isinstance(c, bool) for c in row)
    return has_code and numbers >= 3


def _column_labels(header_rows: list[list], width: int) -> list[str]:
    """Folded text of every header row above a column; group headers spread over merged cells."""
    labels = [""] * width
    for row in header_rows:
        carried = ""
        for col in range(width):
            text = cell_text(row[col]) if col < len(row) else ""
            if text:
                carried = text
            labels[col] += " | " + fold(carried)
    return labels


def _sex_of(label: str) -> str | None:
    last_words = re.findall(r"[a-z]+", label.rsplit("|", 2)[-2] + " " + label.rsplit("|", 1)[-1])
    found = {SEXES[w] for w in last_words if w in SEXES}
    return found.pop() if len(found) == 1 else None


def _map_columns(labels: list[str]) -> dict[tuple[str, str], int]:
    """(measure, sex) -> column index, measure in {'pocet', 'prumerny_vek'}."""
    mapping: dict[tuple[str, str], int] = {}
    for col, label in enumerate(labels):
        measure = "pocet" if "pocet obyvatel" in label else "prumerny_vek" if "prumerny vek" in label else None
        sex = _sex_of(label) if measure else None
        if measure and sex and (measure, sex) not in mapping:
            mapping[(measure, sex)] = col
    return mapping


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    sheets = read_sheets(content)
    for rows in sheets.values():
        title = _title_row(rows)
        if title is not None:
            break
    else:
        raise FormatError("nenalezen nadpis „Počet obyvatel v obcích … k D. M. RRRR“; nejde o tuto publikaci ČSÚ")
    found_date = require_reference_date(date_from_czech_title(" ".join(cell_text(c) for c in rows[title])), filename)
    first_data = next((i for i in range(title + 1, len(rows)) if _is_data_row(rows[i])), None)
    if first_data is None:
        raise FormatError("nenalezen žádný řádek s kódem obce a počty obyvatel")
    width = max(len(r) for r in rows[title:first_data + 1])
    # header rows carry several labels; blank rows and sub-headers ("Hlavní město Praha") carry at most one
    header_rows = [r for r in rows[title + 1:first_data] if sum(bool(cell_text(c)) for c in r) > 1]
    mapping = _map_columns(_column_labels(header_rows, width))
    needed = [("pocet", "celkem"), ("pocet", "muzi"), ("pocet", "zeny")]
    missing = [f"počet obyvatel – {sex}" for measure, sex in needed if (measure, sex) not in mapping]
    if missing:
        raise FormatError(f"v záhlaví chybí sloupce: {', '.join(missing)}", row=first_data)
    code_col = _column_where(rows, first_data, lambda t: bool(OBEC_CODE.match(t)))
    okres_col = _column_where(rows, first_data, lambda t: bool(OKRES_CODE.match(t)))
    # the obec name: the column of words that is neither the okres nor a count (before or after the code)
    name_col = _column_where(rows, first_data, lambda t: bool(re.search(r"[^\W\d_]", t)) and not OKRES_CODE.match(t))

    count_cols = [mapping[key] for key in needed]
    records = []
    for index in range(first_data, len(rows)):
        row = rows[index]
        code = cell_text(row[code_col]) if code_col < len(row) else ""
        if not OBEC_CODE.match(code):
            if any(_is_number(row[col]) for col in count_cols if col < len(row)):
                raise FormatError(f"řádek s počty nemá platný kód obce ({code!r}); očekáván šestimístný kód", row=index + 1)
            # okres sub-headers ("Okres Benešov", in 2011–2012 with a stray 0 in an average-age column), blank rows,
            # footnotes
            continue
        okres = cell_text(row[okres_col]) if okres_col < len(row) else ""
        record = {"_row": index + 1, "obec_kod": code,
                  "obec_nazev": cell_text(row[name_col]) if name_col < len(row) else "",
                  "okres_lau_kod": okres if OKRES_CODE.match(okres) else None}
        for (measure, sex), col in mapping.items():
            record[f"{measure}_{sex}"] = _number(row[col] if col < len(row) else "", index + 1, measure)
        records.append(record)
    frame = pd.DataFrame(records)
    counts = [f"pocet_{sex}" for sex in ("celkem", "muzi", "zeny")]
    _validate(frame, counts)

    for sex in ("celkem", "muzi", "zeny"):
        if f"prumerny_vek_{sex}" not in frame:
            frame[f"prumerny_vek_{sex}"] = float("nan")
    long = pd.wide_to_long(frame, ["pocet", "prumerny_vek"], i="obec_kod", j="pohlavi", sep="_", suffix=r"\w+")
    long = long.reset_index()
    long["pocet"] = long["pocet"].astype("int64")
    long["obdobi"] = found_date
    long["zdroj"] = META.id
    table = long[["obec_kod", "obdobi", "pohlavi", "pocet", "prumerny_vek", "zdroj"]]
    # the obce as the publication lists them on its date: obce that no longer exist are known from here
    listed = frame[["obec_kod", "obec_nazev", "okres_lau_kod"]].assign(obdobi=found_date, zdroj=META.id)
    if reference_date and reference_date != found_date:  # the counts are at the title's date, so is the snapshot
        raise FormatError(f"publikace uvádí stav k {czech_date(found_date)}, zadáno bylo datum "
                          f"{czech_date(reference_date)}; volbu --date vynechte (je jen pro soubory bez data)")
    return Parsed(META.id, found_date, {"obce_publikace": listed, "populace_celkem": table})


def _column_where(rows: list[list], first_data: int, test: Callable[[str], bool]) -> int:
    sample = rows[first_data:first_data + 50]
    width = max(len(r) for r in sample)
    hits = [sum(test(cell_text(r[c])) for r in sample if c < len(r)) for c in range(width)]
    return max(range(width), key=lambda c: hits[c])


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: object, row: int, measure: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = cell_text(value).replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise FormatError(f"hodnota {value!r} není číslo ({measure})", row=row) from None


def _validate(frame: pd.DataFrame, counts: list[str]) -> None:
    check_unique(frame, ["obec_kod"])
    check_non_negative(frame, counts)
    fractional = frame[(frame[counts] % 1 != 0).any(axis=1)]
    if len(fractional):
        raise FormatError("počet obyvatel není celé číslo", row=int(fractional.iloc[0]["_row"]))
    unequal = frame[frame["pocet_muzi"] + frame["pocet_zeny"] != frame["pocet_celkem"]]
    if len(unequal):
        bad = unequal.iloc[0]
        raise FormatError(
            f"obec {bad['obec_kod']}: muži ({bad['pocet_muzi']:.0f}) + ženy ({bad['pocet_zeny']:.0f}) "
            f"≠ celkem ({bad['pocet_celkem']:.0f})", row=int(bad["_row"]))
