"""ČSÚ code lists (CIS…) and link tables (VAZ…): the territory hierarchy rebuilt from its parts.

An alternative to "Struktura území ČR" when only the code lists are at hand. A CIS file becomes
rows of `ciselnik_polozky`, a VAZ file rows of `ciselnik_vazby`; the warehouse model `obce_z_ciselniku` (warehouse/models/uzemi/) then
assembles the table `obce` from them.

Choices:
- the end date `09.09.9999` (any year 9999) means "still valid" and is stored as NULL `platnost_do`,
  so "currently valid" is simply `platnost_do IS NULL`;
- reference date: an explicit one wins; otherwise a CIS file is as of its latest ADMPLOD (the last
  change it records) and a VAZ file, which has no dates, as of today: a link table describes the
  state at the moment it was downloaded.
"""
import codecs
from datetime import date
import io
import warnings

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import CSU, CSU_TERMS, Parsed, SourceMeta, decode_text

# No URL: no CSV export link to the code lists was found cited in a public repository that could be named (the
# one named citation, JanCaha/CzechData data-raw/xml_ciselnik_CSU.R, uses XML exports sprss does not read); the
# CSV files are exported from ČSÚ's iSMS (apl.czso.cz, Číselníky) by hand and loaded with `sprss import`.
META = SourceMeta(
    id="csu_ciselniky",
    title="ČSÚ, číselníky a vazby území",
    publisher=CSU,
    citation="ČSÚ, číselníky a vazby území",
    licence=CSU_TERMS,
    reference_date=("U číselníku nejpozdější datum platnosti položky (ADMPLOD); vazby datum neuvádějí, "
                    "platí den importu, není-li zadáno volbou --date."),
    territory=True,
)

# Fixed leading columns of every ČSÚ export (iSMS: upper case, newer catalogue: lower case).
CIS_COLUMNS = ("kodcis", "chodnota", "zkrtext", "text", "admplod", "admnepo")
VAZ_COLUMNS = ("kodcis1", "chodnota1", "text1", "kodcis2", "chodnota2", "text2")
# iSMS exports write DD.MM.YYYY, the newer catalogue YYYY-MM-DD.
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
OPEN_END = r"^9999-|\.9999$"


def _separator(first_line: str) -> str:
    return ";" if ";" in first_line else ","


def _header(first_line: str) -> list[str]:
    return [name.strip().strip('"').lower() for name in first_line.split(_separator(first_line))]


def sniff(content: bytes) -> bool:
    """A code list or link table is known by its fixed column names (not substrings of them)."""
    first_line = content.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0]
    columns = set(_header(first_line.decode("ascii", errors="replace").strip()))
    return columns.issuperset(CIS_COLUMNS) or columns.issuperset(VAZ_COLUMNS)


def parse(content: bytes, filename: str, reference_date: date | None = None) -> Parsed:
    text = decode_text(content)
    separator = _separator(text.split("\n", 1)[0])
    try:
        with warnings.catch_warnings():  # a row longer than the header must not silently lose fields
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError) as exc:
        raise FormatError(f"soubor nelze přečíst jako CSV číselníku ČSÚ ({str(exc).strip()})") from exc
    frame.columns = frame.columns.str.strip().str.lower()
    frame = frame.apply(lambda column: column.str.strip())
    frame.index = frame.index + 2  # row number in the file, the header being row 1
    if "kodcis1" in frame.columns:
        links = _links(frame)
        return Parsed(META.id, reference_date or date.today(), {"ciselnik_vazby": links})
    items = _items(frame)
    latest = max(items["platnost_od"].dropna(), default=None)
    return Parsed(META.id, reference_date or latest or date.today(), {"ciselnik_polozky": items})


def _require_columns(frame: pd.DataFrame, expected: tuple[str, ...], kind: str) -> None:
    missing = [name.upper() for name in expected if name not in frame.columns]
    if missing:
        raise FormatError(
            f"chybí sloupce {', '.join(missing)}; {kind} ČSÚ má sloupce {', '.join(n.upper() for n in expected)}",
            row=1,
        )


def _require_values(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    for column, what in columns.items():
        empty = frame.index[frame[column] == ""]
        if len(empty):
            raise FormatError(f"chybí {what} (sloupec {column.upper()} je prázdný)", row=int(empty[0]))


def _dates(values: pd.Series, column: str) -> pd.Series:
    """Dates as `datetime.date`; blank and the year-9999 'no end' marker become None."""
    blank = (values == "") | values.str.contains(OPEN_END, regex=True)
    to_parse = values.where(~blank)
    parsed = pd.to_datetime(to_parse, format=DATE_FORMATS[0], errors="coerce")
    parsed = parsed.fillna(pd.to_datetime(to_parse, format=DATE_FORMATS[1], errors="coerce"))
    bad = values.index[parsed.isna() & ~blank]
    if len(bad):
        raise FormatError(
            f"neplatné datum {values[bad[0]]!r} ve sloupci {column.upper()}; očekáváno DD.MM.RRRR nebo RRRR-MM-DD",
            row=int(bad[0]),
        )
    return parsed.dt.date.astype(object).where(parsed.notna(), None)


def _items(frame: pd.DataFrame) -> pd.DataFrame:
    """CIS → ciselnik_polozky. Okresy carry their LAU code as OKRES_LAU, newer exports without CZNUTS."""
    _require_columns(frame, CIS_COLUMNS, "číselník")
    _require_values(frame, {"kodcis": "číslo číselníku", "chodnota": "kód položky", "text": "název položky"})
    blank = pd.Series("", index=frame.index, dtype="str")
    nuts = frame.get("cznuts", blank)
    items = pd.DataFrame({
        "kodcis": frame["kodcis"],
        "chodnota": frame["chodnota"],
        "zkrtext": frame["zkrtext"],
        "text": frame["text"],
        "platnost_od": _dates(frame["admplod"], "admplod"),
        "platnost_do": _dates(frame["admnepo"], "admnepo"),
        "cznuts": nuts.mask(nuts == "", frame.get("okres_lau", blank)),
        "kod_ruian": frame.get("kod_ruian", blank),
    })
    optional = ["zkrtext", "cznuts", "kod_ruian"]
    items[optional] = items[optional].mask(items[optional] == "")
    return items.reset_index(drop=True)


def _links(frame: pd.DataFrame) -> pd.DataFrame:
    """VAZ → ciselnik_vazby, refusing a lower unit linked to two higher ones (obec in two ORP)."""
    _require_columns(frame, VAZ_COLUMNS, "vazba číselníků")
    _require_values(frame, {
        "kodcis1": "číslo prvního číselníku", "chodnota1": "kód první položky",
        "kodcis2": "číslo druhého číselníku", "chodnota2": "kód druhé položky",
    })
    links = frame[list(VAZ_COLUMNS)]
    _check_single_parent(links)
    names = ["text1", "text2"]
    return links.assign(**{name: links[name].mask(links[name] == "") for name in names}).reset_index(drop=True)


def _check_single_parent(links: pd.DataFrame) -> None:
    """Territorial links are N:1; the lower level is the side with more distinct codes
    (obec in VAZ0043_0065, okres in VAZ0100_0101) and none of its codes may repeat."""
    more_distinct_first = links["chodnota1"].nunique() >= links["chodnota2"].nunique()
    child, parent = ("1", "2") if more_distinct_first else ("2", "1")
    keys = [f"kodcis{child}", f"chodnota{child}", f"kodcis{parent}"]
    repeats = links[links.duplicated(keys)]
    if len(repeats):
        second = repeats.iloc[0]
        first = links[(links[keys] == second[keys]).all(axis=1)].iloc[0]
        raise FormatError(
            f"položka {second[f'chodnota{child}']} ({second[f'text{child}']}) číselníku {second[f'kodcis{child}']} "
            f"je navázána dvakrát na číselník {second[f'kodcis{parent}']} "
            f"({first[f'chodnota{parent}']} a {second[f'chodnota{parent}']}); vazba musí být jednoznačná",
            row=int(repeats.index[0]),
        )
