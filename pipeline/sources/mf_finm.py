"""MF Monitor státní pokladny, FIN 2-12 M (výkaz 051), parts I and II: budget of an accounting unit by paragraf × položka.

Two layouts of one content, into one table `financovani_rozpocet` (one row per IČO × year × příjmy/výdaje ×
paragraf × položka):
- the raw extract member `FINM201_<RRRR>0<MM>.csv` (field layout: the Monitor's `finm.xlsx`, SOURCES.md §7.4):
  `;`-separated, headers `CODE:CODE` (newer files: a quoted Czech label before the code, `/BIC/` prefixes, an extra
  trailing column) — columns are found by the code after the last `:`, never by position; amounts with a
  trailing minus (`11718.00-`); `ZC_ICO` NUMC 10 with leading zeros (8 digits in later files); `0FISCPER` `rrrr0mm`,
  the amounts are cumulative from January, so only a December extract is a whole year;
- decoded extracts of one or more years (`rok;ico;ci_type;paragraf;paragraf_nazev;…;schvaleny_rozpocet;
  upraveny_rozpocet;skutecnost`), such as radimbrener-beep/strelice-data: the years they hold are taken as whole.

From 2026 FIN 2-12 M is výkaz 063 (income and expenditure in one table, table codes with other meanings): its
column layout is not documented where sprss found the format, so such a file is refused with a line that says so.
"""
from collections.abc import Iterator
import csv
from datetime import date
import io
import re

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import NOT_STATED, Parsed, SourceMeta, decode_text

META = SourceMeta(
    id="mf_finm",
    title="MF, Monitor státní pokladny: FIN 2-12 M (rozpočet podle paragrafů a položek)",
    publisher="Ministerstvo financí (MF), Monitor státní pokladny",
    citation="MF, Monitor státní pokladny, výkaz FIN 2-12 M",
    licence=NOT_STATED,
    reference_date="31. 12. nejpozdějšího roku v souboru (surový extrakt FINM201 musí být za prosinec).",
    # The official extract is a ZIP of all FINM members (…/data/extrakty/csv/FinM/<RRRR>_<MM>_Data_CSUIS_FINM.zip,
    # sources-next.md §6); sprss reads the member FINM201_*.csv the analyst unpacks, so no URL is fetched.
)

TABLE = "financovani_rozpocet"
COLUMNS = ["ico", "rok", "typ", "paragraf", "paragraf_nazev", "polozka",
           "schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost"]
CI_TYPES = {"2": "prijmy", "3": "vydaje"}
REPORT = "051"
REPORT_2026 = "063"
TABLES = {100: "2", 200: "3"}  # výkaz 051 table -> 0CI_TYPE it holds (part I income, part II expenditure)
RAW_CODES = {"vykaz": "ZC_VYKAZ", "tabulka": "ZC_VTAB", "obdobi": "0FISCPER", "ico": "ZC_ICO", "ci_type": "0CI_TYPE",
             "paragraf": "0FUNC_AREA", "polozka": "ZCMMT_ITM", "schvaleny_rozpocet": "ZU_ROZSCH",
             "upraveny_rozpocet": "ZU_ROZPZM", "skutecnost": "ZU_ROZKZ"}
DECODED = ("rok", "ico", "ci_type", "paragraf", "polozka", "schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost")
AMOUNTS = ("schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost")
AMOUNT = re.compile(r"(-?)(\d+(?:\.\d{1,2})?)(-?)")
PERIOD = re.compile(r"(\d{4})0(\d\d)")
MONTHS = ("leden", "únor", "březen", "duben", "květen", "červen", "červenec", "srpen", "září", "říjen", "listopad")
EXPECTED_RAW = ("očekáván extrakt FINM201 (výkaz 051, sloupce ZC_VYKAZ, ZC_VTAB, 0FISCPER, ZC_ICO, 0CI_TYPE, "
                "0FUNC_AREA, ZCMMT_ITM, ZU_ROZSCH, ZU_ROZPZM, ZU_ROZKZ)")


def _code(header: str) -> str:
    """'ZC_ICO:ZC_ICO', '"IČO:ZC_ICO"' or '/BIC/ZC_ICO' -> 'ZC_ICO'."""
    return header.strip().strip('"').rsplit(":", 1)[-1].strip().removeprefix("/BIC/").upper()


def _first_line(content: bytes) -> str:
    return content[:4096].decode("utf-8-sig", errors="replace").splitlines()[0] if content.strip() else ""


def sniff(content: bytes) -> bool:
    line = _first_line(content)
    codes = {_code(h) for h in line.split(";")}
    raw = {"ZC_VYKAZ", "0FUNC_AREA", "ZCMMT_ITM"} <= codes
    decoded = line.lower().startswith("rok;ico;ci_type;paragraf")
    return raw or decoded


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, None)
    if not header:
        raise FormatError(f"soubor je prázdný; {EXPECTED_RAW}")
    codes = [_code(h) for h in header]
    if "ZC_VYKAZ" in codes:
        rows = _raw_rows(reader, codes)
    elif [h.strip().lower() for h in header[:4]] == ["rok", "ico", "ci_type", "paragraf"]:
        rows = _decoded_rows(reader, [h.strip().lower() for h in header])
    else:
        raise FormatError(f"neznámé záhlaví; {EXPECTED_RAW}, nebo dekódovaný extrakt rok;ico;ci_type;paragraf;…", row=1)
    if not rows:
        raise FormatError("soubor neobsahuje žádný řádek rozpočtu", row=2)
    frame = pd.DataFrame([r[1:] for r in rows], columns=COLUMNS)
    keys = ["ico", "rok", "typ", "paragraf", "polozka"]
    twice = frame.duplicated(keys)
    if twice.any():
        at = int(twice.to_numpy().argmax())
        first = frame.iloc[at]
        raise FormatError(f"duplicitní řádek (IČO {first['ico']}, rok {first['rok']}, paragraf {first['paragraf']}, "
                          f"položka {first['polozka']}); každá kombinace smí být v souboru jen jednou", row=rows[at][0])
    frame["rok"] = frame["rok"].astype("int32")
    for column in AMOUNTS:
        frame[column] = frame[column].astype(float)
    latest = date(int(frame["rok"].max()), 12, 31)
    return Parsed(META.id, reference_date or latest, {TABLE: frame})


Row = tuple[int, str, int, str, str, str | None, str, float, float, float]  # file row, then COLUMNS


def _raw_rows(reader: Iterator[list[str]], codes: list[str]) -> list[Row]:
    missing = [code for code in RAW_CODES.values() if code not in codes]
    if missing:
        raise FormatError(f"chybí sloupce {', '.join(missing)}; {EXPECTED_RAW}", row=1)
    at = {name: codes.index(code) for name, code in RAW_CODES.items()}
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(codes):
            raise FormatError(f"řádek má {len(cells)} polí, záhlaví {len(codes)}; {EXPECTED_RAW}", row=number)
        value = {name: cells[i].strip().strip('"').strip() for name, i in at.items()}
        report = value["vykaz"].zfill(3)
        if report == REPORT_2026:
            raise FormatError("výkaz 063 (FIN 2-12 M od roku 2026, příjmy a výdaje v jedné tabulce) sprss zatím "
                              "nečte, protože jeho rozložení sloupců není zdokumentováno; importujte výkaz 051 "
                              "(roky do 2025)", row=number)
        if report != REPORT:
            raise FormatError(f"neznámý výkaz {value['vykaz']!r}; očekáván výkaz 051 (FIN 2-12 M)", row=number)
        if not value["tabulka"].isdigit() or int(value["tabulka"]) not in TABLES:
            raise FormatError(f"neznámá tabulka výkazu {value['tabulka']!r}; FINM201 obsahuje tabulky 000100 "
                              "(příjmy) a 000200 (výdaje)", row=number)
        period = PERIOD.fullmatch(value["obdobi"])
        if not period or not 1 <= int(period.group(2)) <= 12:
            raise FormatError(f"období 0FISCPER {value['obdobi']!r} nemá tvar rrrr0mm", row=number)
        year, month = int(period.group(1)), int(period.group(2))
        if month != 12:
            raise FormatError(f"neúplný rok: extrakt je za období {month}/{year} (leden až {MONTHS[month - 1]}), "
                              "částky jsou kumulované od začátku roku; importujte extrakt za prosinec", row=number)
        if value["ci_type"] != TABLES[int(value["tabulka"])]:
            raise FormatError(f"typ položky 0CI_TYPE {value['ci_type']!r} neodpovídá tabulce {value['tabulka']} "
                              "(000100 = příjmy, typ 2; 000200 = výdaje, typ 3)", row=number)
        rows.append(_row(number, value["ico"], year, value["ci_type"], value["paragraf"], None, value["polozka"],
                         [value[a] for a in AMOUNTS]))
    return rows


def _decoded_rows(reader: Iterator[list[str]], names: list[str]) -> list[Row]:
    missing = [name for name in DECODED if name not in names]
    if missing:
        raise FormatError(f"chybí sloupce {', '.join(missing)}; očekáván dekódovaný extrakt FIN 2-12 M "
                          "(rok;ico;ci_type;paragraf;…;schvaleny_rozpocet;upraveny_rozpocet;skutecnost)", row=1)
    at = {name: names.index(name) for name in (*DECODED, "paragraf_nazev") if name in names}
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(names):
            raise FormatError(f"řádek má {len(cells)} polí, záhlaví {len(names)}", row=number)
        value = {name: cells[i].strip() for name, i in at.items()}
        if not re.fullmatch(r"(19|20)\d\d", value["rok"]):
            raise FormatError(f"rok {value['rok']!r} není čtyřmístný rok", row=number)
        rows.append(_row(number, value["ico"], int(value["rok"]), value["ci_type"], value["paragraf"],
                         value.get("paragraf_nazev") or None, value["polozka"], [value[a] for a in AMOUNTS]))
    return rows


def _row(number: int, ico: str, year: int, ci_type: str, paragraf: str, name: str | None, polozka: str,
         amounts: list[str]) -> Row:
    if not ico.isdigit() or len(ico.lstrip("0")) > 8:
        raise FormatError(f"IČO {ico!r} není nejvýše osmimístné číslo (ZC_ICO má až 10 míst s úvodními nulami)", row=number)
    if ci_type not in CI_TYPES:
        raise FormatError(f"neznámý typ rozpočtové položky {ci_type!r}; očekáváno 2 (příjmy) nebo 3 (výdaje)", row=number)
    income = ci_type == "2"
    if not re.fullmatch(r"\d{4}", paragraf) or not (paragraf[0] in "123456" or (income and paragraf == "0000")):
        raise FormatError(f"neznámý paragraf {paragraf!r}; očekáván čtyřmístný paragraf odvětvového třídění "
                          "rozpočtové skladby (skupiny 1–6, u příjmů i 0000)", row=number)
    if not re.fullmatch(r"\d{4}", polozka) or polozka[0] not in ("1234" if income else "56"):
        raise FormatError(f"neznámá položka {polozka!r}; očekávána čtyřmístná položka druhového třídění "
                          f"({'třídy 1–4 u příjmů' if income else 'třídy 5 a 6 u výdajů'})", row=number)
    approved, amended, actual = (_amount(a, number) for a in amounts)
    return number, ico.lstrip("0").zfill(8), year, CI_TYPES[ci_type], paragraf, name, polozka, approved, amended, actual


def _amount(text: str, number: int) -> float:
    """'11718.00-' (the Monitor's trailing minus), '-11718.00', '5800000.00' -> float; anything else is refused."""
    match = AMOUNT.fullmatch(text)
    if not match or (match.group(1) and match.group(3)):
        raise FormatError(f"částka {text!r} nemá tvar čísla s desetinnou tečkou (např. 5800000.00 nebo 11718.00-)",
                          row=number)
    value = float(match.group(2))
    return -value if match.group(1) or match.group(3) else value
