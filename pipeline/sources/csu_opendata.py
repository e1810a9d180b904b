"""ČSÚ open data in the long format: one value per row, each dimension a `{dim}_cis/_kod/_txt` triplet.

Datasets 130149, 130141, 130185, census 2021 … all share this layout, so one generic reader loads
them into two tables: the values (`opendata_hodnoty`) and their dimension items (`opendata_dimenze`).
An empty `_kod` marks the total over that dimension; it is stored as NULL so that no query can add
it to the parts by accident.
"""
from datetime import date
import io
from pathlib import PurePath
import re
from typing import cast

import numpy as np
import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.text import czech_number
from pipeline.sources.base import CSU, CSU_TERMS, OfficialUrl, Parsed, SourceMeta, decode_text, require_reference_date

# Editions are <dataset>-<data year of the cited release>. The DataStat API
# (https://data.csu.gov.cz/api/dotaz/v1/data/vybery/{code}?format=CSV) has no edition: no selection code for these
# data was found cited in a repository that could be named.
META = SourceMeta(
    id="csu_opendata",
    title="ČSÚ, otevřená data (dlouhý formát CSV)",
    publisher=CSU,
    citation="ČSÚ, otevřená data",
    licence=CSU_TERMS,
    reference_date="Konec nejpozdějšího období v datech (rok, casref_do nebo obdobi).",
    urls=(
        OfficialUrl("130141-2021", "https://www.czso.cz/documents/10180/184344914/130141-22data2021.csv",
                    "cited in vaclavstibor/NDBI046, data/download-data.sh "
                    "(Pohyb obyvatel za ČR, kraje, okresy, SO ORP a obce)"),
        OfficialUrl("130142-2018", "https://www.czso.cz/documents/62353418/92011126/130142-19data051719.csv",
                    "cited in JanCaha/CzechData, R/load_population_age.R "
                    "(five-year age groups by sex, kraje and okresy, 2010–2018)"),
        OfficialUrl("130149-2017", "https://www.czso.cz/documents/62353418/74123173/130149-18data051818.zip",
                    "cited in an earlier version of JanCaha/CzechData, R/load_population_settlements.R "
                    "(ZIP holding the CSV, obce 2000–2017)"),
    ),
)

SIGNATURE = {"idhod", "hodnota", "stapro_kod"}
PERIOD_COLUMNS = ("rok", "casref_od", "casref_do", "obdobi")
# Columns that end in `_kod` but are not dimensions of the value.
NOT_DIMENSIONS = {"stapro_kod"}
EXPECTED = "očekáván dlouhý formát otevřených dat ČSÚ (idhod, hodnota, stapro_kod a období: rok, casref_od/casref_do nebo obdobi)"

HODNOTY_COLUMNS = ["dataset", "idhod", "hodnota", "stapro_kod", "vuk", "vuk_text", "obdobi", "obdobi_od", "obdobi_do"]
DIMENZE_COLUMNS = ["dataset", "idhod", "dimenze", "ciselnik", "kod", "text"]

# Bytes that never occur in a text CSV; cp1250 would decode them silently (e.g. UTF-16 files).
DATASET_ID = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def _header_names(line: str) -> tuple[str, list[str]]:
    """Separator and normalised column names; ČSÚ writes `,`, re-saved files often use `;`."""
    separator = ";" if line.count(";") > line.count(",") else ","
    return separator, [name.strip().strip('"').strip().lower() for name in line.split(separator)]


def sniff(content: bytes) -> bool:
    """Recognise the format by its header only: the three columns every long-format dataset has."""
    first_line = content[:65536].split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            line = first_line.decode(encoding)
        except UnicodeDecodeError:
            continue
        return SIGNATURE <= set(_header_names(line)[1])
    return False


def read_long_csv(content: bytes) -> pd.DataFrame:
    """The file as a frame: lower-case column names, text columns (empty = missing), `hodnota` as float.

    Row i of the frame is line i + 2 of the file (header = line 1), which error messages rely on.
    """
    text = decode_text(content)
    separator, names = _header_names(text.split("\n", 1)[0])
    missing = sorted(SIGNATURE - set(names))
    if not any(period in names for period in PERIOD_COLUMNS):
        missing.append("rok/casref_od/casref_do/obdobi")
    if missing:
        raise FormatError(f"chybí sloupce {', '.join(missing)}; {EXPECTED}", row=1)
    if len(set(names)) < len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise FormatError(f"sloupce {', '.join(twice)} jsou v záhlaví vícekrát; {EXPECTED}", row=1)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise FormatError(
            f"řádek nelze přečíst: neodpovídá záhlaví ({len(names)} sloupců oddělených {separator!r}) nebo má neuzavřené uvozovky",
            row=int(line.group(1)) if line else None,
        ) from exc
    frame.columns = names
    frame["hodnota"] = _numbers(frame["hodnota"], decimal_comma=separator == ";")
    _check_ids(frame["idhod"])
    return frame


def _numbers(raw: pd.Series, decimal_comma: bool) -> pd.Series:
    """Values as float; an empty cell is a missing value, anything else non-numeric is an error.

    A `;`-separated file has been re-saved by Czech software, which writes a decimal comma.
    """
    cleaned = raw.str.strip()
    if decimal_comma:
        cleaned = cleaned.str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce")
    bad = values.isna() & cleaned.fillna("").ne("")
    if bad.any():
        first = _first_true(bad)
        raise FormatError(f"hodnota {raw[first]!r} není číslo; očekáváno číslo nebo prázdná buňka", row=first + 2)
    return values.astype("float64")


def _first_true(flags: pd.Series) -> int:
    """Row label of the first flagged value; frames here keep read_csv's index 0, 1, …, so the file row is the label + 2."""
    return int(cast(int, flags.idxmax()))


def _check_ids(idhod: pd.Series) -> None:
    empty = idhod.isna()
    if empty.any():
        raise FormatError("chybí idhod (identifikátor hodnoty); každý řádek musí mít vlastní idhod", row=_first_true(empty) + 2)
    dupes = idhod.duplicated()
    if dupes.any():
        first = _first_true(dupes)
        raise FormatError(f"idhod {idhod[first]} je v souboru vícekrát; každá hodnota musí mít vlastní idhod", row=first + 2)


def parts_only(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Rows of `frame` (from `read_long_csv`) that are parts of `dimension`, i.e. without its totals.

    ČSÚ puts the total over a dimension into the same file as a row with an empty `{dimension}_kod`
    (e.g. both sexes next to men and women); summing all rows would count every person twice.
    """
    column = f"{dimension}_kod"
    if column not in frame.columns:
        raise KeyError(f"sloupec {column} v tabulce není")
    return frame[frame[column].notna()]


def _dimensions(names: list[str]) -> dict[str, tuple[str | None, str, str | None]]:
    """`{dimension: (cis column, kod column, txt column)}` found in the header.

    `_cis` or `_txt` may be missing (ds_130185 has `vuzemi_cis/_kod` only), but a bare `_kod` has
    neither a code list nor a label, so it cannot be interpreted.
    """
    found = {}
    for name in names:
        if not name.endswith("_kod") or name in NOT_DIMENSIONS:
            continue
        dimension = name.removesuffix("_kod")
        cis = f"{dimension}_cis" if f"{dimension}_cis" in names else None
        txt = next((f"{dimension}{suffix}" for suffix in ("_txt", "_text") if f"{dimension}{suffix}" in names), None)
        if cis is None and txt is None:
            raise FormatError(
                f"ke sloupci {name} chybí {dimension}_txt (ani {dimension}_cis); "
                f"očekávána trojice {dimension}_cis, {dimension}_kod, {dimension}_txt",
                row=1,
            )
        found[dimension] = (cis, name, txt)
    return found


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    """ISO dates of `column`; a filled cell that is not RRRR-MM-DD is an error."""
    raw = frame[column]
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & raw.notna()
    if bad.any():
        first = _first_true(bad)
        raise FormatError(f"{column} {raw[first]!r} není datum; očekáváno RRRR-MM-DD", row=first + 2)
    return parsed


def _year_bounds(raw: pd.Series, column: str, strict: bool) -> tuple[pd.Series, pd.Series]:
    """1 January and 31 December of a year column (RRRR); non-years are NaT, or an error if `strict`."""
    is_year = raw.str.fullmatch(r"\d{4}")
    if strict:
        bad = ~is_year & raw.notna()
        if bad.any():
            first = _first_true(bad)
            raise FormatError(f"{column} {raw[first]!r} není rok; očekáváno RRRR", row=first + 2)
    start = pd.to_datetime(raw.where(is_year), format="%Y")
    return start, start + pd.offsets.YearEnd(0)


def _formatted(moments: pd.Series, pattern: str) -> pd.Series:
    """strftime over the distinct dates only: a file has few periods but up to millions of rows."""
    codes, distinct = pd.factorize(moments)
    labels = np.append(pd.DatetimeIndex(distinct).strftime(pattern).to_numpy(dtype=object), np.nan)
    return pd.Series(labels[codes], index=moments.index, dtype="str")


def _periods(frame: pd.DataFrame) -> pd.DataFrame:
    """obdobi (most specific text), obdobi_od, obdobi_do from whichever period columns the file has."""
    no_dates = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    no_text = pd.Series(pd.NA, index=frame.index, dtype="str")
    od = _dates(frame, "casref_od") if "casref_od" in frame else no_dates
    do = _dates(frame, "casref_do") if "casref_do" in frame else no_dates
    given = frame["obdobi"] if "obdobi" in frame else no_text
    given_day = pd.to_datetime(given, format="%Y-%m-%d", errors="coerce")
    given_start, given_end = _year_bounds(given, "obdobi", strict=False)
    year = frame["rok"] if "rok" in frame else no_text
    year_start, year_end = _year_bounds(year, "rok", strict=True)
    # a date alone (casref_do of a stock, obdobi "2021-12-31") is a moment: a one-day period
    start = od.fillna(given_day).fillna(given_start).fillna(do).fillna(year_start)
    end = do.fillna(given_day).fillna(given_end).fillna(year_end)

    whole_year = (
        (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31) & (start.dt.year == end.dt.year)
    )
    derived = (
        (_formatted(start, "%Y-%m-%d") + "/" + _formatted(end, "%Y-%m-%d"))
        .mask(start == end, _formatted(end, "%Y-%m-%d"))
        .mask(whole_year, _formatted(start, "%Y"))
    )
    week = frame["roktyden"] if "roktyden" in frame else no_text
    text = given.fillna(week).fillna(derived).fillna(year)
    return pd.DataFrame({"obdobi": text, "obdobi_od": start, "obdobi_do": end})


def _dimension_items(frame: pd.DataFrame, dataset: str, dimensions: dict) -> pd.DataFrame:
    """One row per value and dimension (the melted triplets); a total keeps its text but has kod NULL."""
    absent = pd.Series(pd.NA, index=frame.index, dtype="str")
    items = [
        pd.DataFrame(
            {
                "dataset": dataset,
                "idhod": frame["idhod"],
                "dimenze": dimension,
                "ciselnik": frame[cis] if cis else absent,
                "kod": frame[kod],
                "text": frame[txt] if txt else absent,
            }
        )
        for dimension, (cis, kod, txt) in dimensions.items()
    ]
    if not items:
        return pd.DataFrame({column: pd.Series(dtype="str") for column in DIMENZE_COLUMNS})
    return pd.concat(items, ignore_index=True)


# Statistical variables of population movement (130141 "Pohyb obyvatel"): the stock (2406) at the start (1. 1.) and
# end (31. 12.) of a year, and the year's flows.
STOCK, BIRTHS, DEATHS, IMMIGRANTS, EMIGRANTS = "2406", "5389", "5393", "5403", "5404"
TERRITORY_LEVELS = {"97": "stát", "100": "kraj", "101": "okres", "65": "SO ORP", "43": "obec"}


def check_movement_balance(frame: pd.DataFrame, hodnoty: pd.DataFrame, dimensions: dict) -> None:
    """end = start + births − deaths + immigrants − emigrants for every territory and year that has all six values.

    Only totals over every other dimension (e.g. both sexes) are checked; a failing row is one Czech line naming the
    territory, the year and each term.
    """
    codes = set(hodnoty["stapro_kod"].dropna())
    if not {STOCK, BIRTHS, DEATHS, IMMIGRANTS, EMIGRANTS} <= codes or "vuzemi" not in dimensions:
        return
    others = [dimensions[d][1] for d in dimensions if d != "vuzemi"]
    totals = frame[others].isna().all(axis=1) if others else pd.Series(True, index=frame.index)
    od, do = hodnoty["obdobi_od"], hodnoty["obdobi_do"]
    stock = hodnoty["stapro_kod"] == STOCK
    moment = od == do
    kind = pd.Series(pd.NA, index=frame.index, dtype="object")
    kind[stock & moment & (od.dt.month == 1) & (od.dt.day == 1)] = "start"
    kind[stock & moment & (do.dt.month == 12) & (do.dt.day == 31)] = "end"
    whole_year = (od.dt.month == 1) & (od.dt.day == 1) & (do.dt.month == 12) & (do.dt.day == 31) & (od.dt.year == do.dt.year)
    flows = hodnoty["stapro_kod"].isin([BIRTHS, DEATHS, IMMIGRANTS, EMIGRANTS]) & whole_year
    kind[flows] = hodnoty["stapro_kod"][flows]
    cis, kod, txt = dimensions["vuzemi"]
    long = pd.DataFrame({"cis": frame[cis] if cis else "", "kod": frame[kod], "text": frame[txt] if txt else frame[kod],
                         "rok": od.dt.year, "kind": kind, "hodnota": hodnoty["hodnota"], "row": frame.index + 2})
    long = long[totals & long["kind"].notna() & long["kod"].notna()]
    if long.empty:
        return
    wide = long.pivot_table(index=["cis", "kod", "text", "rok"], columns="kind", values="hodnota", aggfunc="first")
    rows = long[long["kind"] == "end"].set_index(["cis", "kod", "text", "rok"])["row"]
    needed = ["start", "end", BIRTHS, DEATHS, IMMIGRANTS, EMIGRANTS]
    if not set(needed) <= set(wide.columns):
        return
    wide = wide.dropna(subset=needed)
    expected = wide["start"] + wide[BIRTHS] - wide[DEATHS] + wide[IMMIGRANTS] - wide[EMIGRANTS]
    bad = wide[(wide["end"] - expected).abs() > 0.5]
    if bad.empty:
        return
    (level, code, text, year), first = bad.index[0], bad.iloc[0]
    unit = TERRITORY_LEVELS.get(str(level), "území")
    n = czech_number
    raise FormatError(
        f"{unit} {code} ({text}), rok {year}: stav k 31. 12. {n(first['end'])} ≠ stav k 1. 1. {n(first['start'])} "
        f"+ živě narození {n(first[BIRTHS])} − zemřelí {n(first[DEATHS])} + přistěhovalí {n(first[IMMIGRANTS])} "
        f"− vystěhovalí {n(first[EMIGRANTS])} (= {n(expected[bad.index[0]])}); očekávána vyrovnaná bilance pohybu obyvatel",
        row=int(rows.get((level, code, text, year), 0)) or None)


def dataset_from_filename(filename: str) -> str:
    """`ds_130185.csv` -> "130185", `130141-22data2021.csv` -> "130141"; ČSÚ dataset codes have six digits."""
    match = DATASET_ID.search(PurePath(filename).name)
    return match.group(1) if match else "neznamy"


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    frame = read_long_csv(content)
    dimensions = _dimensions(list(frame.columns))
    dataset = dataset_from_filename(filename)
    absent = pd.Series(pd.NA, index=frame.index, dtype="str")
    vuk_text = next((frame[name] for name in ("vuk_text", "vuk_txt") if name in frame), absent)

    hodnoty = pd.DataFrame(
        {
            "dataset": dataset,
            "idhod": frame["idhod"],
            "hodnota": frame["hodnota"],
            "stapro_kod": frame["stapro_kod"],
            "vuk": frame["vuk"] if "vuk" in frame else absent,
            "vuk_text": vuk_text,
        }
    ).join(_periods(frame))
    dimenze = _dimension_items(frame, dataset, dimensions)
    check_movement_balance(frame, hodnoty, dimensions)
    latest = hodnoty["obdobi_do"].max()
    found = reference_date or (None if pd.isna(latest) else latest.date())
    return Parsed(
        META.id,
        require_reference_date(found, filename),
        {"opendata_hodnoty": hodnoty[HODNOTY_COLUMNS], "opendata_dimenze": dimenze[DIMENZE_COLUMNS]},
    )
