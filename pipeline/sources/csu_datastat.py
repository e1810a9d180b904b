"""ČSÚ DataStat (data.csu.gov.cz): any selection (výběr) or dataset (sada), in the three layouts that exist.

- **JSON-stat 2.0** responses of the API: a dense (or sparse) `value` over the dimensions `id`/`size`, every
  dimension's codes and labels in `category.index`/`label`, hierarchy in `child`, `role` geo/metric/time.
- **JSON-stat metadata** of selections (everything but `value`; one `*_schema.json` or a ZIP of them, e.g.
  `schemas.zip`, LZMA-compressed, which Python's zipfile reads): the code→label maps that turn a label-only CSV
  back into codes.
- **DataStat CSV with `kodCiselniku=true`**: per dimension a label column plus `<Dim>.Ciselnik`/`<Dim>.Polozka`
  (a hierarchical territory dimension once per level: `Uz45B.ORP.*`, `Uz45B.OBEC.*`), then `Hodnota`, `MJ_*`,
  `POZNAMKA*`. The indicator (`Ukazatel`) has a label only. Totals are code list `#AGG`, item `0`.
- **Label-only CSVs** of selections (one column per dimension with Czech labels, then `value`), as converted
  from JSON-stat by third parties. They carry no codes: the parser keeps the labels (`datastat_popisky`) and the
  warehouse maps them to codes with the selection's schema (`resolve_labels`), refusing what it cannot map.

Every value becomes one row of `datastat_hodnoty` (indicator, period, unit), every other dimension's item one row of
`datastat_polozky`. A total over a dimension (`#AGG`, or the item "Celkem" of a dimension that is not territory,
indicator or time) has kod NULL, so that no sum adds it to its parts.
"""
from collections.abc import Mapping
import csv
from dataclasses import dataclass
from datetime import date, timedelta
import io
import json
import math
from pathlib import PurePath
import re
from typing import Any
import zipfile

import numpy as np
import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.text import fold, plural
from pipeline.sources.base import CSU, CSU_TERMS, OfficialUrl, Parsed, SourceMeta, decode_text

API = "https://data.csu.gov.cz/api/dotaz/v1"
DOCUMENTED = ("../shared/docs/sources-next.md §9: DataStat API endpoints as used in the mcp-csu 0.1.0 package "
              "(PyPI, MIT) and in public code")
META = SourceMeta(
    id="csu_datastat",
    title="ČSÚ, DataStat (výběry a datové sady)",
    publisher=CSU,
    citation="ČSÚ, DataStat",
    licence=CSU_TERMS,
    reference_date=("Konec nejpozdějšího období v datech (rok, měsíc, čtvrtletí; stav „k 1. 1.“ podle názvu ukazatele "
                    "nebo výběru); u schémat datum aktualizace (updated)."),
    urls=(
        # the population of all obce k 1. 1. (census-revised series from 2021); cited as the web page
        # https://data.csu.gov.cz/datastat/data/VYBER/OBY02AT02 in waiff/sreality
        OfficialUrl("OBY02AT02", f"{API}/data/vybery/OBY02AT02?format=JSON_STAT&rozsah=CELY_VYBER", DOCUMENTED),
        # any selection or whole dataset by code: `sprss fetch csu_datastat:NEZ01T1`, `csu_datastat:sada:OBY02A`
        OfficialUrl("{vyber}", f"{API}/data/vybery/{{vyber}}?format=JSON_STAT&rozsah=CELY_VYBER", DOCUMENTED),
        OfficialUrl("sada:{sada}", f"{API}/data/sady/{{sada}}?format=JSON_STAT&rozsah=CELY_VYBER", DOCUMENTED),
    ),
)

HODNOTY_COLUMNS = ["vyber", "radek", "hodnota", "ukazatel_kod", "ukazatel", "obdobi", "obdobi_od", "obdobi_do", "jednotka",
                   "zverejneno"]
POLOZKY_COLUMNS = ["vyber", "radek", "dimenze", "ciselnik", "kod", "popisek"]
SCHEMATA_COLUMNS = ["vyber", "dimenze", "kod", "popisek", "rodic", "poradi"]
DIMENZE_COLUMNS = ["vyber", "dimenze", "popisek", "role", "poradi"]
VYBERY_COLUMNS = ["vyber", "nazev", "aktualizace", "odkaz", "format", "soubor"]
POPISKY_COLUMNS = ["vyber", "soubor", "radek", "sloupec", "poradi", "popisek", "hodnota"]

METRIC = "IndicatorType"  # DataStat's id of the indicator dimension; the coded CSV has only its label column
TOTAL_LIST = "#AGG"  # DataStat's code list of totals ("Celkem"), item 0
TOTAL_LABEL = "celkem"
ROLES = ("geo", "metric", "time")
# a selection or dataset code in a file name: OBY02PT01.csv, NEZ01T1_schema.json, synthetic_datastat_OBY02ET01.csv,
# a download named OBY02AT02@format=JSON_STAT&rozsah=CELY_VYBER
SELECTION_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]*\d[A-Z0-9]*)(?![A-Za-z0-9])")
HREF_CODE = re.compile(r"/(?:vybery|sady)/(?:uzivatelske/)?([A-Za-z0-9-]+)")
STOCK_DATE = re.compile(r"\bk\s*(\d{1,2})\.\s*(\d{1,2})\.?")
DECEMBER = re.compile(r"\bv prosinci\b")
EXPECTED_LABEL_CSV = "očekáváno CSV výběru DataStat: sloupec pro každou dimenzi s popisky a poslední sloupec value"


# ---------------------------------------------------------------------------------------------------------------
# recognising the layouts

def _json_head(content: bytes) -> bytes:
    return content[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")


def _is_jsonstat_text(head: bytes) -> bool:
    return head.startswith(b"{") and b'"dimension"' in head and b'"id"' in head


def _is_error_json(head: bytes) -> bool:
    return head.startswith(b"{") and b'"chyba"' in head[:2000]


def _schema_members(content: bytes) -> list[str] | None:
    """JSON members of a ZIP of selection schemas; None for anything else (an XLSX is a ZIP too)."""
    if not content.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                return None
            members = [n for n in names if n.lower().endswith(".json")]
            if not members:
                return None
            first = _json_head(archive.read(members[0]))
    except (zipfile.BadZipFile, NotImplementedError, OSError):
        return None
    return members if _is_jsonstat_text(first) else None


def _csv_header(content: bytes) -> list[str] | None:
    try:
        line = content[:65536].split(b"\n", 1)[0].decode("utf-8-sig").strip("\r")
    except UnicodeDecodeError:
        return None
    separator = ";" if line.count(";") > line.count(",") else ","
    try:
        return next(csv.reader([line], delimiter=separator))
    except (csv.Error, StopIteration):
        return None


def _is_coded_csv(header: list[str]) -> bool:
    return "Hodnota" in header and any(name.endswith(".Polozka") for name in header)


def _is_label_csv(header: list[str]) -> bool:
    return len(header) >= 2 and header[-1] == "value" and all(name.strip() for name in header)


def sniff(content: bytes) -> bool:
    head = _json_head(content)
    if _is_jsonstat_text(head) or _is_error_json(head):
        return True
    if _schema_members(content) is not None:
        return True
    header = _csv_header(content)
    return header is not None and (_is_coded_csv(header) or _is_label_csv(header))


# ---------------------------------------------------------------------------------------------------------------
# periods and totals (shared by all layouts and by the label resolution in the warehouse)

@dataclass(frozen=True)
class Period:
    text: str | None
    start: date | None
    end: date | None


def _month_end(year: int, month: int) -> date:
    return (date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1))


def period(code: str | None, *labels: str | None) -> Period:
    """A DataStat time code as text and dates; a stock "k 1. 1." in the indicator's (else the selection's) label
    makes a year a moment: ("2024", "Počet obyvatel k 1. 1.") -> 2024-01-01; "v prosinci" makes it December."""
    if code is None:
        return Period(None, None, None)
    code = code.strip()
    if match := re.fullmatch(r"(\d{4})", code):
        year = int(match.group(1))
        stock = next((m for label in labels if label and (m := STOCK_DATE.search(label))), None)
        if stock:
            try:
                moment = date(year, int(stock.group(2)), int(stock.group(1)))
            except ValueError:
                moment = None
            if moment:
                return Period(moment.isoformat(), moment, moment)
        if any(label and DECEMBER.search(label) for label in labels):  # SZB09: "v prosinci daného roku"
            return Period(code, date(year, 12, 1), date(year, 12, 31))
        return Period(code, date(year, 1, 1), date(year, 12, 31))
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", code):
        moment = date(*(int(g) for g in match.groups()))
        return Period(code, moment, moment)
    if match := re.fullmatch(r"(\d{4})-(\d{2})(K?)", code):  # a month; K = cumulated since January
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            start = date(year, 1, 1) if match.group(3) else date(year, month, 1)
            return Period(code, start, _month_end(year, month))
    if match := re.fullmatch(r"(\d{4})-Q([1-4])(K?)", code):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = date(year, 1, 1) if match.group(3) else date(year, 3 * quarter - 2, 1)
        return Period(code, start, _month_end(year, 3 * quarter))
    if match := re.fullmatch(r"(\d{4})-W(\d{2})", code):
        try:
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            return Period(code, None, None)
        return Period(code, monday, monday + timedelta(days=6))
    return Period(code, None, None)  # a period sprss cannot date (e.g. a school year): kept as text


def is_total(role: str | None, ciselnik: str | None, label: str | None) -> bool:
    """`#AGG` is DataStat's code list of totals; JSON-stat has no such list, so there the item "Celkem" of a
    breakdown (sex, age, degree of dependence …) is the total. Territory, indicator and time items never are."""
    if ciselnik == TOTAL_LIST:
        return True
    return role is None and label is not None and fold(label) == TOTAL_LABEL


# ---------------------------------------------------------------------------------------------------------------
# JSON-stat (responses and schemas)

@dataclass
class Dimension:
    id: str
    label: str
    role: str | None
    codes: list[str]
    labels: list[str]
    parents: dict[str, str]
    units: dict[str, str | None]


def _load_json(content: bytes) -> Any:
    try:
        return json.loads(decode_text(content))
    except ValueError as exc:
        raise FormatError(f"soubor není platný JSON ({exc.args[0] if exc.args else exc})") from exc


def _roles(document: Mapping[str, Any]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for role, ids in (document.get("role") or {}).items():
        for dim in ids or []:
            roles[dim] = role
    for dim in document.get("id") or []:  # older responses without `role`
        if dim not in roles and dim == "IndicatorType":
            roles[dim] = "metric"
        elif dim not in roles and dim.lower().startswith("cas"):
            roles[dim] = "time"
    return {dim: role for dim, role in roles.items() if role in ROLES}


def _dimensions(document: Mapping[str, Any], context: str) -> list[Dimension]:
    ids, sizes, described = document.get("id"), document.get("size"), document.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(described, dict) or len(ids) != len(sizes):
        raise FormatError(f"{context}: neznámé uspořádání dimenzí (id, size a dimension musí popisovat tytéž dimenze); "
                          "očekáván JSON-stat 2.0 z DataStatu")
    roles = _roles(document)
    dimensions = []
    for dim, size in zip(ids, sizes, strict=True):
        found = described.get(dim)
        spec: dict[str, Any] = found if isinstance(found, dict) else {}
        category = spec.get("category")
        if not isinstance(category, dict) or "index" not in category and "label" not in category:
            raise FormatError(f"{context}: dimenze {dim} nemá kategorie (category.index/label); očekáván JSON-stat 2.0")
        index: Any = category.get("index", list(category.get("label", {})))
        codes = sorted(index, key=lambda code: index[code]) if isinstance(index, dict) else list(index)
        if len(codes) != size:
            raise FormatError(f"{context}: dimenze {dim} má {plural(len(codes), 'kategorii', 'kategorie', 'kategorií')}, "
                              f"ale size uvádí {size}; "
                              "očekáván JSON-stat 2.0 se shodnými velikostmi")
        names = category.get("label") or {}
        parents = {child: parent for parent, children in (category.get("child") or {}).items() for child in children}
        units = {code: (unit or {}).get("symbol") or None for code, unit in (category.get("unit") or {}).items()}
        dimensions.append(Dimension(dim, str(spec.get("label") or dim), roles.get(dim), [str(c) for c in codes],
                                    [str(names.get(c, c)) for c in codes], parents, units))
    return dimensions


def _code(document: Mapping[str, Any], filename: str) -> str:
    """The selection code: from `href` (…/vybery/NEZ01T1), else the file name (OBY02PT01.csv, NEZ01T1_schema.json,
    a download named OBY02AT02@format=…), else the file name itself (a user selection saved under any name)."""
    href = document.get("href")
    if isinstance(href, str) and (match := HREF_CODE.search(href)):
        return match.group(1)
    return selection_from_filename(filename)


def selection_from_filename(filename: str) -> str:
    name = PurePath(filename).name
    if match := SELECTION_CODE.search(name):
        return match.group(1)
    return PurePath(name).stem or "vyber"


def _selection_records(document: Mapping[str, Any], dimensions: list[Dimension], vyber: str, layout: str,
                       filename: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of the selection, dimension and schema tables (records: a ZIP holds a thousand schemas)."""
    return {
        "datastat_vybery": [{"vyber": vyber, "nazev": document.get("label"), "aktualizace": document.get("updated"),
                             "odkaz": document.get("href"), "format": layout, "soubor": PurePath(filename).name}],
        "datastat_dimenze": [{"vyber": vyber, "dimenze": d.id, "popisek": d.label, "role": d.role, "poradi": i}
                             for i, d in enumerate(dimensions)],
        "datastat_schemata": [{"vyber": vyber, "dimenze": d.id, "kod": code, "popisek": label,
                               "rodic": d.parents.get(code), "poradi": i}
                              for d in dimensions for i, (code, label) in enumerate(zip(d.codes, d.labels, strict=True))],
    }


SELECTION_COLUMNS = {"datastat_vybery": VYBERY_COLUMNS, "datastat_dimenze": DIMENZE_COLUMNS,
                     "datastat_schemata": SCHEMATA_COLUMNS}


def _frames(records: Mapping[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame.from_records(rows, columns=SELECTION_COLUMNS[name]) for name, rows in records.items()}


def _values(document: Mapping[str, Any], total: int, context: str) -> np.ndarray:
    raw = document.get("value")
    if isinstance(raw, dict):  # sparse form {"index": value}
        dense: list[Any] = [None] * total
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                raise FormatError(f"{context}: index hodnoty {key!r} je mimo rozsah 0–{total - 1}")
            dense[int(key)] = value
        raw = dense
    if not isinstance(raw, list):
        raise FormatError(f"{context}: value není seznam hodnot; očekáván JSON-stat 2.0")
    if len(raw) != total:
        raise FormatError(f"{context}: počet hodnot {len(raw)} neodpovídá součinu velikostí dimenzí ({total}); "
                          "očekáván úplný JSON-stat 2.0")
    for position, value in enumerate(raw):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise FormatError(f"{context}: hodnota č. {position + 1} ({value!r}) není číslo; očekáváno číslo nebo null")
    return np.array([np.nan if v is None else float(v) for v in raw], dtype="float64")


def _jsonstat_values(document: Mapping[str, Any], dimensions: list[Dimension], vyber: str,
                     context: str) -> dict[str, pd.DataFrame]:
    sizes = [len(d.codes) for d in dimensions]
    total = math.prod(sizes)
    values = _values(document, total, context)
    positions = np.indices(sizes).reshape(len(sizes), -1) if total else np.zeros((len(sizes), 0), dtype=int)
    radek = np.arange(1, total + 1)
    frame = {"vyber": vyber, "radek": radek, "hodnota": values}
    metric = next((i for i, d in enumerate(dimensions) if d.role == "metric"), None)
    time = next((i for i, d in enumerate(dimensions) if d.role == "time"), None)
    if metric is not None:
        d = dimensions[metric]
        frame["ukazatel_kod"] = np.array(d.codes, dtype=object)[positions[metric]]
        frame["ukazatel"] = np.array(d.labels, dtype=object)[positions[metric]]
        frame["jednotka"] = np.array([d.units.get(c) for c in d.codes], dtype=object)[positions[metric]]
    hodnoty = pd.DataFrame(frame).reindex(columns=HODNOTY_COLUMNS)
    hodnoty["radek"] = radek
    hodnoty["zverejneno"] = _published(document, total, context)
    hodnoty = _with_periods(hodnoty, None if time is None else
                            pd.Series(np.array(dimensions[time].codes, dtype=object)[positions[time]]),
                            document.get("label"))
    polozky = []
    for i, d in enumerate(dimensions):
        if d.role in ("metric", "time"):
            continue
        codes = np.array([None if is_total(d.role, None, label) else code for code, label in zip(d.codes, d.labels, strict=True)],
                         dtype=object)
        totals = np.array([TOTAL_LIST if is_total(d.role, None, label) else None for label in d.labels], dtype=object)
        polozky.append(pd.DataFrame({"vyber": vyber, "radek": radek, "dimenze": d.id,
                                     "ciselnik": totals[positions[i]], "kod": codes[positions[i]],
                                     "popisek": np.array(d.labels, dtype=object)[positions[i]]}))
    return {"datastat_hodnoty": hodnoty, "datastat_polozky": _concat(polozky, POLOZKY_COLUMNS)}


def _published(document: Mapping[str, Any], total: int, context: str) -> pd.Series:
    """When each value was published: DataStat's `extension.published` (a code per value) and `publishedCode`
    (code -> time stamp); missing where the response does not say."""
    extension = document.get("extension") or {}
    codes, stamps = extension.get("published"), extension.get("publishedCode") or {}
    if not isinstance(codes, list) or not isinstance(stamps, dict):
        return pd.Series(pd.NaT, index=range(total), dtype="datetime64[us]")
    if len(codes) != total:
        raise FormatError(f"{context}: extension.published má {plural(len(codes), 'položku', 'položky', 'položek')}, "
                          f"hodnot je {total}; "
                          "očekáváno datum zveřejnění ke každé hodnotě")
    days = {str(code): str(stamp)[:10] for code, stamp in stamps.items()}
    unknown = next((c for c in codes if c is not None and str(c) not in days), None)
    if unknown is not None:
        raise FormatError(f"{context}: kód zveřejnění {unknown!r} není v extension.publishedCode")
    return pd.to_datetime(pd.Series([days.get(str(c)) if c is not None else None for c in codes], dtype="object"))


def _with_periods(hodnoty: pd.DataFrame, codes: pd.Series | None, selection_label: str | None) -> pd.DataFrame:
    """obdobi, obdobi_od, obdobi_do from the time code, dated by the indicator's or selection's label."""
    if codes is None:
        hodnoty["obdobi"] = None
        hodnoty["obdobi_od"] = pd.NaT
        hodnoty["obdobi_do"] = pd.NaT
        return hodnoty
    keys = pd.DataFrame({"kod": codes.to_numpy(dtype=object), "ukazatel": hodnoty["ukazatel"].to_numpy(dtype=object)})
    distinct = keys.drop_duplicates().reset_index(drop=True)
    dated = [period(k, u, selection_label) for k, u in distinct.itertuples(index=False, name=None)]
    distinct["obdobi"] = [p.text for p in dated]
    distinct["obdobi_od"] = pd.to_datetime(pd.Series([p.start for p in dated], dtype="object"))
    distinct["obdobi_do"] = pd.to_datetime(pd.Series([p.end for p in dated], dtype="object"))
    found = keys.merge(distinct, on=["kod", "ukazatel"], how="left")  # a left merge keeps the order of `keys`
    for column in ("obdobi", "obdobi_od", "obdobi_do"):
        hodnoty[column] = found[column].to_numpy()
    return hodnoty


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


def _parse_jsonstat(document: Any, filename: str, reference_date: date | None) -> Parsed:
    if not isinstance(document, dict):
        raise FormatError("soubor není JSON-stat (očekáván objekt s id, size a dimension)")
    if (error := api_error(document)) is not None:
        raise FormatError(f"DataStat vrátil chybu místo dat: {error}")
    if document.get("class") == "collection" or "dimension" not in document:
        raise FormatError("JSON neobsahuje dataset JSON-stat (id, size, dimension); očekávána odpověď DataStatu")
    vyber = _code(document, filename)
    dimensions = _dimensions(document, f"výběr {vyber}")
    has_values = "value" in document
    tables = _frames(_selection_records(document, dimensions, vyber, "json-stat" if has_values else "schema", filename))
    if has_values:
        tables.update(_jsonstat_values(document, dimensions, vyber, f"výběr {vyber}"))
        found = reference_date or _latest(tables["datastat_hodnoty"])
    else:
        found = reference_date or _updated(document)
    return Parsed(META.id, _required(found), tables)


def api_error(document: Any) -> str | None:
    """The reason in a DataStat error body {"chyba": "…"} or {"chyba": {"kod": 404, "popis": "…"}}; None if none."""
    if not isinstance(document, dict) or "chyba" not in document:
        return None
    error = document["chyba"]
    if isinstance(error, dict):
        return "; ".join(str(v) for v in error.values() if isinstance(v, (str, int)) and str(v))
    return str(error)


def _latest(hodnoty: pd.DataFrame) -> date | None:
    latest = hodnoty["obdobi_do"].max() if len(hodnoty) else pd.NaT
    return None if pd.isna(latest) else latest.date()


def _updated(document: Mapping[str, Any]) -> date | None:
    stamp = document.get("updated")
    if isinstance(stamp, str) and (match := re.match(r"(\d{4})-(\d{2})-(\d{2})", stamp)):
        return date(*(int(g) for g in match.groups()))
    return None


def _required(found: date | None) -> date:
    if found is None:
        raise FormatError("nepodařilo se zjistit referenční datum (období v datech ani datum aktualizace); "
                          "zadejte ho volbou --date RRRR-MM-DD")
    return found


def _parse_schema_zip(content: bytes, members: list[str], filename: str, reference_date: date | None) -> Parsed:
    collected: dict[str, list[dict[str, Any]]] = {name: [] for name in SELECTION_COLUMNS}
    latest: date | None = None
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in sorted(members):
            try:
                document = _load_json(archive.read(member))
                if not isinstance(document, dict) or "dimension" not in document:
                    raise FormatError("není schéma JSON-stat (chybí dimension)")
                vyber = _code(document, member)
                records = _selection_records(document, _dimensions(document, f"schéma {vyber}"), vyber, "schema", member)
            except FormatError as exc:
                raise FormatError(f"{PurePath(member).name}: {exc.detail}") from exc
            for name, rows in records.items():
                collected[name] += rows
            updated = _updated(document)
            latest = max(filter(None, (latest, updated)), default=None)
    tables = _frames(collected)
    duplicated = tables["datastat_vybery"]["vyber"].duplicated()
    if duplicated.any():
        raise FormatError(f"schéma výběru {tables['datastat_vybery']['vyber'][duplicated].iloc[0]} je v archivu vícekrát")
    return Parsed(META.id, _required(reference_date or latest), tables)


# ---------------------------------------------------------------------------------------------------------------
# CSV layouts

def _read_csv(content: bytes) -> tuple[list[str], list[list[str]], str]:
    text = decode_text(content)
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    except csv.Error as exc:
        raise FormatError(f"CSV nelze přečíst ({exc}); očekávány sloupce oddělené {separator!r} v uvozovkách") from exc
    rows = [row for row in rows if row]
    if not rows:
        raise FormatError("soubor je prázdný")
    header, data = rows[0], rows[1:]
    for number, row in enumerate(data, start=2):
        if len(row) != len(header):
            raise FormatError(f"řádek má {len(row)} sloupců, záhlaví {len(header)}", row=number)
    return header, data, separator


def _number(raw: str, line: int, decimal_comma: bool) -> float:
    cleaned = raw.strip().replace("\xa0", "").replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    if cleaned == "":
        return math.nan
    try:
        return float(cleaned)
    except ValueError:
        raise FormatError(f"hodnota {raw!r} není číslo; očekáváno číslo nebo prázdná buňka", row=line) from None


@dataclass
class CodedColumn:
    """One dimension (or one level of a hierarchical one) of the coded CSV: its label, code list and item columns."""
    dimension: str
    level: str | None
    label: int
    ciselnik: int
    polozka: int


def _coded_layout(header: list[str]) -> tuple[list[CodedColumn], int | None, int]:
    """Coded dimension columns, the label-only indicator column and the value column; anything else is refused."""
    value = header.index("Hodnota")
    coded, indicator, used = [], None, {value}
    for position, name in enumerate(header[:value]):
        if not name.endswith(".Ciselnik"):
            continue
        stem = name.removesuffix(".Ciselnik")
        if position + 1 >= value or header[position + 1] != f"{stem}.Polozka" or position == 0:
            raise FormatError(f"sloupec {name} nemá hned za sebou {stem}.Polozka a před sebou sloupec s popisky; "
                              "neznámé uspořádání dimenzí", row=1)
        dimension, _, level = stem.partition(".")
        coded.append(CodedColumn(dimension, level or None, position - 1, position, position + 1))
        used |= {position - 1, position, position + 1}
    for position, name in enumerate(header[:value]):
        if position in used:
            continue
        if fold(name) == "ukazatel" and indicator is None:
            indicator = position
            continue
        raise FormatError(f"sloupec {name!r} nemá kódy ({name}.Ciselnik, .Polozka); očekáván export DataStatu "
                          "s kodCiselniku=true (dimenze s popiskem i kódem, jen Ukazatel bez kódu)", row=1)
    if not coded:
        raise FormatError("žádný sloupec <dimenze>.Ciselnik/.Polozka; očekáván export DataStatu s kodCiselniku=true", row=1)
    return coded, indicator, value


def _parse_coded_csv(content: bytes, filename: str, reference_date: date | None) -> Parsed:
    header, rows, separator = _read_csv(content)
    coded, indicator, value = _coded_layout(header)
    vyber = selection_from_filename(filename)
    grouped: dict[str, list[CodedColumn]] = {}
    for column in coded:
        grouped.setdefault(column.dimension, []).append(column)
    time_dims = {dim for dim, columns in grouped.items()
                 if dim.lower().startswith("cas") or any(row[c.ciselnik].upper().startswith("CAS") for row in rows[:1] for c in columns)}
    if len(time_dims) > 1:
        raise FormatError(f"více časových dimenzí ({', '.join(sorted(time_dims))}); neznámé uspořádání dimenzí", row=1)
    unit = {name: header.index(name) for name in ("MJ_TEXT", "MJ_SYMBOL") if name in header}

    hodnoty, polozky = [], []
    for number, row in enumerate(rows, start=1):
        line = number + 1
        items = {}
        for dim, columns in grouped.items():
            filled = [c for c in columns if row[c.polozka].strip() or row[c.ciselnik] == TOTAL_LIST]
            if not filled:
                raise FormatError(f"dimenze {dim} nemá v řádku žádnou položku (sloupce {dim}….Polozka jsou prázdné)", row=line)
            deepest = filled[-1]  # hierarchical territory: the lowest level filled is the item of this row
            items[dim] = (row[deepest.ciselnik].strip() or None, row[deepest.polozka].strip() or None,
                          row[deepest.label].strip() or None)
        time_code = next((items[d][1] for d in time_dims), None)
        jednotka = next((row[unit[n]].strip() for n in ("MJ_TEXT", "MJ_SYMBOL") if n in unit and row[unit[n]].strip()), None)
        hodnoty.append({"vyber": vyber, "radek": number, "hodnota": _number(row[value], line, separator == ";"),
                        "ukazatel_kod": None, "ukazatel": row[indicator].strip() if indicator is not None else None,
                        "jednotka": jednotka, "_cas": time_code})
        for dim, (ciselnik, kod, popisek) in items.items():
            if dim in time_dims:
                continue
            total = ciselnik == TOTAL_LIST
            polozky.append({"vyber": vyber, "radek": number, "dimenze": dim, "ciselnik": ciselnik,
                            "kod": None if total else kod, "popisek": popisek})
    frame = pd.DataFrame(hodnoty, columns=[*HODNOTY_COLUMNS, "_cas"])
    frame["zverejneno"] = pd.NaT  # the CSV does not say when a value was published
    frame = _with_periods(frame, frame["_cas"] if time_dims else None, None)[HODNOTY_COLUMNS]
    labels = {}
    for dim, columns in grouped.items():
        name = header[columns[0].label]
        labels[dim] = name.rsplit("-", 1)[0] if len(columns) > 1 and "-" in name else name
    # the CSV states no roles: DataStat names territory dimensions Uz…; a migration table has two (from, to), then neither
    territorial = [dim for dim in grouped if dim.lower().startswith("uz")]
    roles = {dim: "time" if dim in time_dims else "geo" if territorial == [dim] else None for dim in grouped}
    dimenze = pd.DataFrame(
        ([{"vyber": vyber, "dimenze": METRIC, "popisek": header[indicator], "role": "metric", "poradi": indicator}]
         if indicator is not None else [])
        + [{"vyber": vyber, "dimenze": dim, "popisek": labels[dim], "role": roles[dim], "poradi": columns[0].label}
           for dim, columns in grouped.items()], columns=DIMENZE_COLUMNS)
    dimenze["poradi"] = dimenze["poradi"].rank(method="first").astype(int) - 1
    vybery = pd.DataFrame([{"vyber": vyber, "nazev": None, "aktualizace": None, "odkaz": None, "format": "csv",
                            "soubor": PurePath(filename).name}], columns=VYBERY_COLUMNS)
    return Parsed(META.id, _required(reference_date or _latest(frame)),
                  {"datastat_vybery": vybery, "datastat_dimenze": dimenze, "datastat_hodnoty": frame,
                   "datastat_polozky": pd.DataFrame(polozky, columns=POLOZKY_COLUMNS)})


def _parse_label_csv(content: bytes, filename: str, reference_date: date | None) -> Parsed:
    header, rows, separator = _read_csv(content)
    if not _is_label_csv(header):
        raise FormatError(f"záhlaví {', '.join(header)}; {EXPECTED_LABEL_CSV}", row=1)
    if len(set(header)) < len(header):
        raise FormatError(f"sloupec je v záhlaví vícekrát; {EXPECTED_LABEL_CSV}", row=1)
    name = PurePath(filename).name
    match = SELECTION_CODE.search(name)
    if not match:
        raise FormatError("z názvu souboru nelze poznat kód výběru DataStat; pojmenujte soubor kódem výběru "
                          "(např. OBY02PT01.csv)")
    vyber = match.group(1)
    columns = header[:-1]
    records = []
    years: list[int] = []
    for number, row in enumerate(rows, start=1):
        hodnota = _number(row[-1], number + 1, separator == ";")
        for position, column in enumerate(columns):
            label = row[position].strip()
            if not label:
                raise FormatError(f"prázdný popisek ve sloupci {column!r}; očekáván popisek položky dimenze", row=number + 1)
            records.append((vyber, name, number, column, position, label, hodnota))
            if re.fullmatch(r"\d{4}", label) and fold(column) in ("roky", "rok"):
                years.append(int(label))
    popisky = pd.DataFrame.from_records(records, columns=POPISKY_COLUMNS)
    found = reference_date or (date(max(years), 12, 31) if years else None)
    return Parsed(META.id, _required(found), {"datastat_popisky": popisky})


# ---------------------------------------------------------------------------------------------------------------
# label-only CSV -> codes, with the selection's schema (run by the warehouse once every file is loaded)

def _similar(csv_label: str, schema_label: str) -> bool:
    """A label that drifted between the schema and the data: one is the other's prefix ("Příjemci příspěvku na péči"
    / "… podle stupně závislosti …") or they differ in the last letter only ("žena" / "Ženy")."""
    a, b = fold(csv_label), fold(schema_label)
    if a.startswith(b) or b.startswith(a):
        return True
    shorter = min(len(a), len(b))
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return shorter >= 3 and common >= shorter - 1 and abs(len(a) - len(b)) <= 1


def resolve_labels(popisky: pd.DataFrame, dimenze: pd.DataFrame, schemata: pd.DataFrame,
                   selection_label: str | None) -> dict[str, pd.DataFrame]:
    """The label rows of one selection (from `_parse_label_csv`) as `datastat_hodnoty` and `datastat_polozky`.

    Columns are matched to dimensions by the dimension label. An item label is matched to its code in the schema:
    a label the schema has twice (NEZ01T1: "Hlavní město Praha" = kraj CZ010 and okres CZ0100) is told apart by
    order — within the rows that agree on every other dimension, its first occurrence is the first code in the
    schema's order (the kraj before its okres), never by the name alone; a year the schema does not list yet is its
    own code when the schema's years are; a label that drifted since the schema was published is matched at the same
    position of an item list of the same length. Anything else raises FormatError with the file row.
    """
    vyber = popisky["vyber"].iloc[0]
    dimenze = dimenze.astype(object).where(dimenze.notna(), None)  # a breakdown's role is None, not NaN
    wide = popisky.pivot(index="radek", columns="poradi", values="popisek").sort_index()
    header = popisky.drop_duplicates("poradi").sort_values("poradi")["sloupec"].tolist()
    by_label = {row.popisek: row for row in dimenze.itertuples(index=False)}
    dims = []
    for column in header:
        spec = by_label.get(column)
        if spec is None:
            known = ", ".join(f"{d.popisek} ({d.dimenze})" for d in dimenze.itertuples(index=False))
            raise FormatError(f"sloupec {column!r} není dimenzí výběru {vyber} podle jeho schématu; "
                              f"očekávány dimenze {known}", row=1)
        dims.append(spec)
    codes = pd.DataFrame(index=wide.index)
    for position, spec in enumerate(dims):
        items = schemata[schemata["dimenze"] == spec.dimenze].sort_values("poradi")
        others = [p for p in range(len(dims)) if p != position]
        codes[position] = _codes_of(wide, position, others, items, spec, vyber)

    first = popisky.drop_duplicates("radek").set_index("radek").sort_index()
    metric = next((p for p, d in enumerate(dims) if d.role == "metric"), None)
    time = next((p for p, d in enumerate(dims) if d.role == "time"), None)
    hodnoty = pd.DataFrame({"vyber": vyber, "radek": wide.index.astype("int64"), "hodnota": first["hodnota"].to_numpy()})
    hodnoty["ukazatel_kod"] = codes[metric].to_numpy() if metric is not None else None
    hodnoty["ukazatel"] = wide[metric].to_numpy() if metric is not None else None
    hodnoty["jednotka"] = None
    hodnoty["zverejneno"] = pd.NaT
    hodnoty = _with_periods(hodnoty, None if time is None else codes[time].reset_index(drop=True),
                            selection_label)[HODNOTY_COLUMNS]
    polozky = []
    for position, spec in enumerate(dims):
        if spec.role in ("metric", "time"):
            continue
        labels = wide[position]
        role = spec.role if isinstance(spec.role, str) else None
        total = labels.map({label: is_total(role, None, str(label)) for label in labels.unique()})
        polozky.append(pd.DataFrame({"vyber": vyber, "radek": wide.index.astype("int64"), "dimenze": spec.dimenze,
                                     "ciselnik": [TOTAL_LIST if t else None for t in total],
                                     "kod": codes[position].where(~total, None).to_numpy(),
                                     "popisek": labels.to_numpy()}))
    return {"datastat_hodnoty": hodnoty, "datastat_polozky": _concat(polozky, POLOZKY_COLUMNS)}


def _codes_of(wide: pd.DataFrame, position: int, others: list[int], items: pd.DataFrame, spec: Any,
              vyber: str) -> pd.Series:
    labels = wide[position]
    candidates: dict[str, list[str]] = {}
    for code, label in zip(items["kod"], items["popisek"], strict=True):
        candidates.setdefault(label, []).append(code)
    schema_labels = items["popisek"].tolist()
    seen = list(dict.fromkeys(labels))
    year_codes = spec.role == "time" and all(c == l for c, l in zip(items["kod"], items["popisek"], strict=True))
    drifted: dict[str, str] = {}
    if len(seen) == len(schema_labels):
        drifted = {label: code for label, schema_label, code in zip(seen, schema_labels, items["kod"], strict=True)
                   if label not in candidates and _similar(label, schema_label)}
    single: dict[str, str] = {}
    for label in seen:
        if label in candidates:
            if len(candidates[label]) == 1:
                single[label] = candidates[label][0]
        elif year_codes and re.fullmatch(r"\d{4}(-\S+)?", label):
            single[label] = label
        elif label in drifted:
            single[label] = drifted[label]
        else:
            shown = ", ".join(schema_labels[:5]) + (" …" if len(schema_labels) > 5 else "")
            raise FormatError(f"popisek {label!r} dimenze {spec.popisek!r} ({spec.dimenze}) schéma výběru {vyber} nezná; "
                              f"očekáván jeden z popisků {shown}", row=_first_line(labels, label))
    result = labels.map(single)
    twice = [label for label in seen if len(candidates.get(label, [])) > 1]
    if twice:
        # occurrence of a label among the rows that agree on every other dimension: 0 for the first, 1 for the second …
        occurrence = (wide.groupby([*(wide[o] for o in others), labels], sort=False).cumcount()
                      if others else labels.groupby(labels).cumcount())
        for label in twice:
            options, rows = candidates[label], labels == label
            taken = occurrence[rows]
            if taken.max() >= len(options) or taken.nunique() != len(options):
                raise FormatError(f"popisek {label!r} dimenze {spec.popisek!r} ({spec.dimenze}) má ve schématu výběru "
                                  f"{vyber} kódy {', '.join(options)} a z pořadí řádků nelze určit který; "
                                  "očekáván úplný výběr v pořadí schématu", row=_first_line(labels, label))
            result[rows] = taken.map(dict(enumerate(options)))
    return result


def _first_line(labels: pd.Series, label: str) -> int:
    """File line of the first row with `label` (the index is the 1-based data row, the header is line 1)."""
    return int(labels.index[labels == label][0]) + 1


# ---------------------------------------------------------------------------------------------------------------

def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    head = _json_head(content)
    if head.startswith(b"{"):
        return _parse_jsonstat(_load_json(content), filename, reference_date)
    members = _schema_members(content)
    if members is not None:
        return _parse_schema_zip(content, members, filename, reference_date)
    if content.startswith(b"PK"):
        raise FormatError("archiv ZIP neobsahuje schémata výběrů DataStatu (soubory JSON-stat *.json)")
    header = _csv_header(content)
    if header is not None and _is_coded_csv(header):
        return _parse_coded_csv(content, filename, reference_date)
    if header is not None and _is_label_csv(header):
        return _parse_label_csv(content, filename, reference_date)
    raise FormatError("neznámý formát DataStatu; očekáván JSON-stat, schémata výběrů (ZIP), CSV s kodCiselniku=true "
                      "nebo CSV s popisky a sloupcem value")
