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
from collections.abc import Callable
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
    """Read with pandas' C parser and validate column by column (a national extract has ~1.5 million rows); the
    first bad row of the file is reported, with the first rule it breaks."""
    text = decode_text(content)
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=";"), None) if text.strip() else None
    if not header:
        raise FormatError(f"soubor je prázdný; {EXPECTED_RAW}")
    codes = [_code(h) for h in header]
    names = [h.strip().lower() for h in header]
    if "ZC_VYKAZ" in codes:
        missing = [code for code in RAW_CODES.values() if code not in codes]
        if missing:
            raise FormatError(f"chybí sloupce {', '.join(missing)}; {EXPECTED_RAW}", row=1)
        frame = _read(text, {name: codes.index(code) for name, code in RAW_CODES.items()}, len(codes))
        frame = _raw_checked(frame)
    elif names[:4] == ["rok", "ico", "ci_type", "paragraf"]:
        missing = [name for name in DECODED if name not in names]
        if missing:
            raise FormatError(f"chybí sloupce {', '.join(missing)}; očekáván dekódovaný extrakt FIN 2-12 M "
                              "(rok;ico;ci_type;paragraf;…;schvaleny_rozpocet;upraveny_rozpocet;skutecnost)", row=1)
        wanted = {name: names.index(name) for name in (*DECODED, "paragraf_nazev") if name in names}
        frame = _read(text, wanted, len(names))
        _first_failure(frame, [(~frame["rok"].str.fullmatch(r"(19|20)\d\d"),
                                lambda r: f"rok {r['rok']!r} není čtyřmístný rok")])
        frame["rok"] = frame["rok"].astype("int32")
    else:
        raise FormatError(f"neznámé záhlaví; {EXPECTED_RAW}, nebo dekódovaný extrakt rok;ico;ci_type;paragraf;…", row=1)
    if frame.empty:
        raise FormatError("soubor neobsahuje žádný řádek rozpočtu", row=2)
    table = _budget(frame)
    keys = ["ico", "rok", "typ", "paragraf", "polozka"]
    twice = table.duplicated(keys)
    if twice.any():
        first = table[twice].iloc[0]
        raise FormatError(f"duplicitní řádek (IČO {first['ico']}, rok {first['rok']}, paragraf {first['paragraf']}, "
                          f"položka {first['polozka']}); každá kombinace smí být v souboru jen jednou",
                          row=int(table[twice].index[0]) + 2)
    latest = date(int(table["rok"].max()), 12, 31)
    return Parsed(META.id, reference_date or latest, {TABLE: table.reset_index(drop=True)})


Check = tuple["pd.Series[bool]", Callable[[pd.Series], str]]  # bad rows, the message for one of them


def _read(text: str, columns: dict[str, int], width: int) -> pd.DataFrame:
    """The wanted columns as stripped text, indexed by file row - 2; blank lines dropped."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", header=None, skiprows=1, usecols=list(columns.values()),
                            dtype=str, keep_default_na=False, skip_blank_lines=False, names=range(width))
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise FormatError(f"řádek má jiný počet polí než záhlaví ({width}); {EXPECTED_RAW}",
                          row=int(line.group(1)) + 1 if line else None) from None
    frame = frame.rename(columns={i: name for name, i in columns.items()})[list(columns)]
    for column in frame.columns:
        frame[column] = frame[column].str.strip().str.strip('"').str.strip()
    return frame[(frame != "").any(axis=1)]


def _first_failure(frame: pd.DataFrame, checks: list[Check]) -> None:
    """Raise for the first row breaking any check, with the message of the first check it breaks."""
    bad = pd.Series(False, index=frame.index)
    for mask, _ in checks:
        bad |= mask
    if bad.any():
        position = int(bad.to_numpy().argmax())
        message = next(say for mask, say in checks if mask.iloc[position])
        raise FormatError(message(frame.iloc[position]), row=int(frame.index[position]) + 2)


def _raw_checked(frame: pd.DataFrame) -> pd.DataFrame:
    report = frame["vykaz"].str.zfill(3)
    table = pd.to_numeric(frame["tabulka"].where(frame["tabulka"].str.fullmatch(r"\d+")), errors="coerce")
    period = frame["obdobi"].str.extract(r"^(\d{4})0(\d\d)$")  # rrrr0mm
    matched = period[0].notna()
    month = pd.to_numeric(period[1], errors="coerce")
    ci_of_table = table.map({t: ci for t, ci in TABLES.items()})
    _first_failure(frame, [
        (report == REPORT_2026, lambda r: "výkaz 063 (FIN 2-12 M od roku 2026, příjmy a výdaje v jedné tabulce) sprss "
                                          "zatím nečte, protože jeho rozložení sloupců není zdokumentováno; importujte "
                                          "výkaz 051 (roky do 2025)"),
        (report != REPORT, lambda r: f"neznámý výkaz {r['vykaz']!r}; očekáván výkaz 051 (FIN 2-12 M)"),
        (~table.isin(list(TABLES)), lambda r: f"neznámá tabulka výkazu {r['tabulka']!r}; FINM201 obsahuje tabulky "
                                              "000100 (příjmy) a 000200 (výdaje)"),
        (~matched | ~month.between(1, 12), lambda r: f"období 0FISCPER {r['obdobi']!r} nemá tvar rrrr0mm"),
        (month != 12, lambda r: (f"neúplný rok: extrakt je za období {int(r['obdobi'][5:])}/{r['obdobi'][:4]} (leden až "
                                 f"{MONTHS[int(r['obdobi'][5:]) - 1]}), částky jsou kumulované od začátku roku; "
                                 "importujte extrakt za prosinec")),
        (frame["ci_type"] != ci_of_table, lambda r: f"typ položky 0CI_TYPE {r['ci_type']!r} neodpovídá tabulce "
                                                    f"{r['tabulka']} (000100 = příjmy, typ 2; 000200 = výdaje, typ 3)"),
    ])
    frame = frame.drop(columns=["vykaz", "tabulka"])
    frame["rok"] = frame.pop("obdobi").str[:4].astype("int32")
    return frame


def _malformed(column: str) -> Callable[[pd.Series], str]:
    return lambda r: f"částka {r[column]!r} nemá tvar čísla s desetinnou tečkou (např. 5800000.00 nebo 11718.00-)"


def _budget(frame: pd.DataFrame) -> pd.DataFrame:
    """The rules every layout shares, then the table in COLUMNS."""
    ico, ci, paragraf, polozka = frame["ico"], frame["ci_type"], frame["paragraf"], frame["polozka"]
    income = ci == "2"
    first_p, first_i = paragraf.str[:1], polozka.str[:1]
    known_paragraph = paragraf.str.fullmatch(r"\d{4}") & (first_p.isin(list("123456")) | (income & (paragraf == "0000")))
    known_item = polozka.str.fullmatch(r"\d{4}") & ((income & first_i.isin(list("1234"))) | (~income & first_i.isin(["5", "6"])))
    checks: list[Check] = [
        (~ico.str.fullmatch(r"\d+") | (ico.str.lstrip("0").str.len() > 8),
         lambda r: f"IČO {r['ico']!r} není nejvýše osmimístné číslo (ZC_ICO má až 10 míst s úvodními nulami)"),
        (~ci.isin(list(CI_TYPES)), lambda r: f"neznámý typ rozpočtové položky {r['ci_type']!r}; očekáváno 2 (příjmy) "
                                             "nebo 3 (výdaje)"),
        (~known_paragraph, lambda r: f"neznámý paragraf {r['paragraf']!r}; očekáván čtyřmístný paragraf odvětvového "
                                     "třídění rozpočtové skladby (skupiny 1–6, u příjmů i 0000)"),
        (~known_item, lambda r: f"neznámá položka {r['polozka']!r}; očekávána čtyřmístná položka druhového třídění "
                                f"({'třídy 1–4 u příjmů' if r['ci_type'] == '2' else 'třídy 5 a 6 u výdajů'})"),
    ]
    for column in AMOUNTS:
        text = frame[column]
        malformed = ~text.str.fullmatch(AMOUNT) | (text.str.startswith("-") & text.str.endswith("-"))
        checks.append((malformed, _malformed(column)))
    _first_failure(frame, checks)
    table = pd.DataFrame({"ico": ico.str.lstrip("0").str.zfill(8), "rok": frame["rok"], "typ": ci.map(CI_TYPES),
                          "paragraf": paragraf,
                          "paragraf_nazev": frame["paragraf_nazev"].replace("", None) if "paragraf_nazev" in frame
                          else None,
                          "polozka": polozka}, index=frame.index)
    for column in AMOUNTS:
        text = frame[column]
        value = text.str.strip("-").astype(float)
        table[column] = value.where(~(text.str.startswith("-") | text.str.endswith("-")), -value)
    return table[COLUMNS]
