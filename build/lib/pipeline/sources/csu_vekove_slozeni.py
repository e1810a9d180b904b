"""ČSÚ "Věkové složení obyvatelstva obcí" (XLSX, k 31. 12.).

Three shapes of one publication:
- obce under 1,000 inhabitants: 5-year groups `0-4 … 80-84, 85+`;
- obce of 1,000+: single years `0 … 84, 85+`, an empty column `X`, then the 5-year groups again;
- Praha by správní obvod and městská část (several sheets; Praha as a whole is a row of the 1,000+ file).
Only one partition of ages is kept per row (the finest), the repeated block is checked against it and
dropped, so single years and 5-year groups share one table without double counting.
"""
from dataclasses import dataclass
from datetime import date
import re
from typing import cast

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.text import fold
from pipeline.sources.base import (
    CSU,
    CSU_TERMS,
    Parsed,
    SourceMeta,
    check_non_negative,
    check_unique,
    date_from_czech_title,
    require_reference_date,
    year_from_filename,
)
from pipeline.sources.xlsx import cell_text, is_xlsx, read_sheets

# No URL: public code only reads local copies of these workbooks (DataRozhlas/covid-obce-mapa tools/vek_prep.py);
# they are downloaded by hand and loaded with `sprss import`.
META = SourceMeta(
    id="csu_vekove_slozeni",
    title="ČSÚ, Věkové složení obyvatelstva obcí",
    publisher=CSU,
    citation="ČSÚ, Věkové složení obyvatelstva obcí k 31. 12.",
    licence=CSU_TERMS,
    reference_date=("Datum v titulku tabulky („… k 31. 12. RRRR“), jinak 31. 12. roku v názvu souboru; "
                    "sešity za Prahu je nutné datovat volbou --date."),
)

SEX_LABELS = {"celkem": "celkem", "muzi": "muzi", "zeny": "zeny"}
UNIT_COLUMNS = {"zuj": "zuj", "so": "so"}  # obec / městská část code, správní obvod code
SEX_COLUMNS = {"poh", "pohlavi"}
HEADER_SCAN_ROWS = 15


@dataclass(frozen=True)
class Band:
    column: int
    start: int
    end: int | None  # None = open band (85+)


def _band(label: object) -> tuple[int, int | None] | None:
    """Header cell -> (vek_od, vek_do): 5.0 -> (5, 5); '0-4' -> (0, 4); '85+' -> (85, None)."""
    if isinstance(label, (int, float)) and not isinstance(label, bool) and float(label).is_integer():
        return int(label), int(label)
    text = cell_text(label).replace(" ", "").replace("–", "-")
    if match := re.fullmatch(r"(\d+)-(\d+)", text):
        return int(match.group(1)), int(match.group(2))
    if match := re.fullmatch(r"(\d+)\+", text):
        return int(match.group(1)), None
    if re.fullmatch(r"\d+", text):
        return int(text), int(text)
    return None


def _partitions(header: list) -> list[list[Band]]:
    """Runs of adjacent band columns that cover ages 0 … open end exactly once."""
    runs: list[list[Band]] = []
    current: list[Band] = []
    for column, label in enumerate(header):
        band = _band(label)
        if band and current and current[-1].end is not None and band[0] == current[-1].end + 1:
            current.append(Band(column, *band))
            continue
        if current:
            runs.append(current)
        current = [Band(column, *band)] if band and band[0] == 0 else []
    if current:
        runs.append(current)
    return [run for run in runs if run[-1].end is None]


def _header_row(rows: list[list]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {fold(cell_text(c)) for c in row}
        if names & SEX_COLUMNS and names & set(UNIT_COLUMNS) and _partitions(row):
            return index
    return None


def _tables(content: bytes) -> dict[str, tuple[list[list], int]]:
    sheets = read_sheets(content)
    found = {}
    for name, rows in sheets.items():
        header = _header_row(rows)
        if header is not None:
            found[name] = (rows, header)
    return found


def sniff(content: bytes) -> bool:
    if not is_xlsx(content):
        return False
    try:
        return bool(_tables(content))
    except FormatError:
        return False


def _is_praha(tables: dict[str, tuple[list[list], int]]) -> bool:
    """The Praha workbook has a správní-obvod sheet ('SO') or městská-část sheets ('MČ …')."""
    for name, (rows, header) in tables.items():
        names = {fold(cell_text(c)) for c in rows[header]}
        if "so" in names or fold(name).startswith("mc "):
            return True
    return False


def _find_date(tables: dict[str, tuple[list[list], int]], filename: str, reference_date: date | None, praha: bool) -> date:
    if reference_date:
        return reference_date
    for rows, header in tables.values():
        for row in rows[:header]:
            if found := date_from_czech_title(" ".join(cell_text(c) for c in row)):
                return found
    # the year in a file name like 2020_vek_nad_1000.xlsx is the year the table ends (k 31. 12.);
    # Praha workbooks are named inconsistently (Vek_Praha2000.xlsx holds 2020), so they must be dated explicitly
    year = None if praha else year_from_filename(filename)
    return require_reference_date(date(year, 12, 31) if year else None, filename)


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    tables = _tables(content)
    if not tables:
        raise FormatError("nenalezeno záhlaví se sloupci POH, ZUJ a věkovými skupinami (0-4 … 85+); "
                          "nejde o Věkové složení obyvatelstva obcí")
    praha = _is_praha(tables)
    obdobi = _find_date(tables, filename, reference_date, praha)
    long = pd.concat([_parse_sheet(rows, header, sheet, praha) for sheet, (rows, header) in tables.items()],
                     ignore_index=True)
    long["obdobi"] = obdobi
    if praha:
        table = long.rename(columns={"kod": "jednotka_kod", "nazev": "jednotka_nazev"})
        columns = ["jednotka_typ", "jednotka_kod", "jednotka_nazev", "obdobi", "pohlavi", "vek_od", "vek_do", "pocet"]
        return Parsed(META.id, obdobi, {"populace_vek_praha": table[columns]})
    long = long.rename(columns={"kod": "obec_kod"})
    long["zdroj"] = META.id
    ages = long[["obec_kod", "obdobi", "pohlavi", "vek_od", "vek_do", "pocet", "zdroj"]]
    by_sex = ages.groupby(["obec_kod", "pohlavi"], as_index=False)["pocet"].sum()
    both = by_sex.groupby("obec_kod", as_index=False)["pocet"].sum().assign(pohlavi="celkem")
    totals = pd.concat([by_sex, both], ignore_index=True).assign(obdobi=obdobi, prumerny_vek=float("nan"), zdroj=META.id)
    totals = totals[["obec_kod", "obdobi", "pohlavi", "pocet", "prumerny_vek", "zdroj"]]
    return Parsed(META.id, obdobi, {"populace_vek": ages, "populace_celkem": totals.reset_index(drop=True)})


def _parse_sheet(rows: list[list], header: int, sheet: str, praha: bool) -> pd.DataFrame:
    head = rows[header]
    names = [fold(cell_text(c)) for c in head]
    unit_col = next(i for i, n in enumerate(names) if n in UNIT_COLUMNS)
    sex_col = next(i for i, n in enumerate(names) if n in SEX_COLUMNS)
    name_col = next((i for i, n in enumerate(names) if n in {"obec", "nazev"}), None)
    total_col = next((i for i, n in enumerate(names) if n == "celkem"), None)
    partitions = _partitions(head)
    bands = max(partitions, key=len)  # the finest partition is kept
    body = rows[header + 1:]
    data = pd.DataFrame(body).reindex(columns=range(len(head)))
    data["_row"] = range(header + 2, header + 2 + len(body))
    data = data[data[unit_col].map(cell_text) != ""]
    if data.empty:
        raise FormatError(f"list {sheet!r} nemá žádné datové řádky", row=header + 2)

    frame = pd.DataFrame({
        "_row": data["_row"],
        "kod": data[unit_col].map(cell_text),
        "nazev": data[name_col].map(cell_text) if name_col is not None else "",
        "pohlavi": data[sex_col].map(lambda v: SEX_LABELS.get(fold(cell_text(v)))),
    })
    unknown_sex = frame[frame["pohlavi"].isna()]
    if len(unknown_sex):
        raise FormatError(f"neznámé pohlaví {data.loc[unknown_sex.index[0], sex_col]!r}; očekáváno celkem, muži nebo ženy",
                          row=int(unknown_sex.iloc[0]["_row"]))
    band_values = _numbers(data, [b.column for b in bands], frame["_row"])
    check_non_negative(pd.concat([frame[["_row"]], band_values], axis=1), list(band_values.columns))
    row_sums = band_values.sum(axis=1)
    if total_col is not None:
        totals = _numbers(data, [total_col], frame["_row"])[total_col]
        _check_equal(row_sums, totals, frame, "součet věkových skupin", "celkem")
    for other in partitions:
        if other is not bands:
            _check_coarser(bands, other, band_values, _numbers(data, [b.column for b in other], frame["_row"]), frame)
    check_unique(frame, ["kod", "pohlavi"])
    _check_sexes(frame, band_values)

    long = band_values.set_axis([f"{b.start}|{'' if b.end is None else b.end}" for b in bands], axis=1)
    long = pd.concat([frame[["kod", "nazev", "pohlavi"]], long], axis=1)
    long = long[long["pohlavi"] != "celkem"].melt(id_vars=["kod", "nazev", "pohlavi"], var_name="pasmo", value_name="pocet")
    split = long["pasmo"].str.split("|", expand=True)
    long["vek_od"] = split[0].astype("int32")
    long["vek_do"] = pd.to_numeric(split[1].replace("", None)).astype("Int32")
    long["pocet"] = long["pocet"].astype("int64")
    if praha:
        long["jednotka_typ"] = "spravni_obvod" if "so" in names else "mestska_cast"
    return long.drop(columns="pasmo")


def _numbers(data: pd.DataFrame, columns: list[int], rows: pd.Series) -> pd.DataFrame:
    values = data[columns].apply(pd.to_numeric, errors="coerce")
    bad = values.isna() | (values % 1 != 0)
    if bad.any().any():
        position = bad.any(axis=1).to_numpy().argmax()
        column = bad.iloc[position].to_numpy().argmax()
        raw = data[columns].iloc[position, column]
        raise FormatError(f"hodnota {raw!r} není celé nezáporné číslo", row=int(rows.iloc[position]))
    return values


def _check_equal(left: pd.Series, right: pd.Series, frame: pd.DataFrame, left_name: str, right_name: str) -> None:
    unequal = (left != right).to_numpy()
    if unequal.any():
        i = unequal.argmax()
        raise FormatError(
            f"{frame['kod'].iloc[i]} ({frame['pohlavi'].iloc[i]}): {left_name} {left.iloc[i]:.0f} ≠ {right_name} {right.iloc[i]:.0f}",
            row=int(frame["_row"].iloc[i]))


def _check_coarser(fine: list[Band], coarse: list[Band], fine_values: pd.DataFrame, coarse_values: pd.DataFrame,
                   frame: pd.DataFrame) -> None:
    """The repeated 5-year block must equal the single years it groups (then it is dropped)."""
    for band in coarse:
        members = [b.column for b in fine if b.start >= band.start and (band.end is None or (b.end is not None and b.end <= band.end))]
        _check_equal(fine_values[members].sum(axis=1), coarse_values[band.column], frame,
                     "součet jednotlivých let", f"skupina {band.start}{'+' if band.end is None else '-' + str(band.end)}")


def _check_sexes(frame: pd.DataFrame, band_values: pd.DataFrame) -> None:
    """Where a 'celkem' row exists, it must equal men + women in every band."""
    keyed = pd.concat([frame[["kod", "pohlavi"]], band_values], axis=1)
    wide = keyed.set_index(["kod", "pohlavi"])
    if "celkem" not in wide.index.get_level_values(1):
        return
    total = cast(pd.DataFrame, wide.xs("celkem", level=1))  # a frame: band_values has a column per band
    parts = wide.drop(index="celkem", level=1).groupby(level=0).sum().reindex(total.index, fill_value=0)
    mismatch = (total != parts).any(axis=1)
    if mismatch.any():
        kod = mismatch[mismatch].index[0]
        row = frame[(frame["kod"] == kod) & (frame["pohlavi"] == "celkem")]["_row"].iloc[0]
        raise FormatError(f"{kod}: muži + ženy ≠ celkem ve věkových skupinách", row=int(row))
