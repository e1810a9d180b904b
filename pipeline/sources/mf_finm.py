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
import csv
from datetime import date
import io
import re

import duckdb

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
RAW_CODES = {"vykaz": "ZC_VYKAZ", "tabulka": "ZC_VTAB", "obdobi": "0FISCPER", "ico": "ZC_ICO", "ci_type": "0CI_TYPE",
             "paragraf": "0FUNC_AREA", "polozka": "ZCMMT_ITM", "schvaleny_rozpocet": "ZU_ROZSCH",
             "upraveny_rozpocet": "ZU_ROZPZM", "skutecnost": "ZU_ROZKZ"}
DECODED = ("rok", "ico", "ci_type", "paragraf", "polozka", "schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost")
AMOUNTS = ("schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost")
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
    """Read and validate in DuckDB (a national extract has ~1.5 million rows; pandas' per-cell string methods took
    minutes); the first bad row of the file is reported, with the first rule it breaks."""
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
        columns, checks = {name: codes.index(code) for name, code in RAW_CODES.items()}, RAW_CHECKS
        year = "CAST(left(obdobi, 4) AS INTEGER)"
    elif names[:4] == ["rok", "ico", "ci_type", "paragraf"]:
        missing = [name for name in DECODED if name not in names]
        if missing:
            raise FormatError(f"chybí sloupce {', '.join(missing)}; očekáván dekódovaný extrakt FIN 2-12 M "
                              "(rok;ico;ci_type;paragraf;…;schvaleny_rozpocet;upraveny_rozpocet;skutecnost)", row=1)
        columns = {name: names.index(name) for name in (*DECODED, "paragraf_nazev") if name in names}
        checks, year = DECODED_CHECKS, "CAST(rok AS INTEGER)"
    else:
        raise FormatError(f"neznámé záhlaví; {EXPECTED_RAW}, nebo dekódovaný extrakt rok;ico;ci_type;paragraf;…", row=1)
    con = duckdb.connect()
    try:
        _load(con, text, columns, len(header))
        _first_failure(con, [*checks, *BUDGET_CHECKS])
        table = con.execute(_table_sql(year, "paragraf_nazev" in columns)).df()
        if table.empty:
            raise FormatError("soubor neobsahuje žádný řádek rozpočtu", row=2)
        twice = con.execute(f"""SELECT * FROM ({_table_sql(year, False)}) QUALIFY row_number() OVER (
            PARTITION BY ico, rok, typ, paragraf, polozka ORDER BY _row) = 2 ORDER BY _row LIMIT 1""").df()
    finally:
        con.close()
    if len(twice):
        first = twice.iloc[0]
        raise FormatError(f"duplicitní řádek (IČO {first['ico']}, rok {first['rok']}, paragraf {first['paragraf']}, "
                          f"položka {first['polozka']}); každá kombinace smí být v souboru jen jednou", row=int(first["_row"]))
    table = table.drop(columns="_row")
    table["rok"] = table["rok"].astype("int32")
    latest = date(int(table["rok"].max()), 12, 31)
    return Parsed(META.id, reference_date or latest, {TABLE: table[COLUMNS]})


# (SQL condition true for a bad row, Czech message for it); {name} is the row's value of a column
Check = tuple[str, str]
AMOUNT_SQL = r"-?[0-9]+(\.[0-9]{1,2})?-?"
RAW_CHECKS: list[Check] = [
    ("lpad(vykaz, 3, '0') = '063'", "výkaz 063 (FIN 2-12 M od roku 2026, příjmy a výdaje v jedné tabulce) sprss zatím "
     "nečte, protože jeho rozložení sloupců není zdokumentováno; importujte výkaz 051 (roky do 2025)"),
    ("lpad(vykaz, 3, '0') <> '051'", "neznámý výkaz {vykaz!r}; očekáván výkaz 051 (FIN 2-12 M)"),
    ("coalesce(TRY_CAST(tabulka AS INTEGER) NOT IN (100, 200), true)",
     "neznámá tabulka výkazu {tabulka!r}; FINM201 obsahuje tabulky 000100 (příjmy) a 000200 (výdaje)"),
    ("NOT regexp_full_match(obdobi, '[0-9]{4}0(0[1-9]|1[0-2])')", "období 0FISCPER {obdobi!r} nemá tvar rrrr0mm"),
    ("right(obdobi, 2) <> '12'", "neúplný rok: extrakt je za období {mesic}/{rok_obdobi} (leden až {mesic_nazev}), "
     "částky jsou kumulované od začátku roku; importujte extrakt za prosinec"),
    ("ci_type <> CASE TRY_CAST(tabulka AS INTEGER) WHEN 100 THEN '2' ELSE '3' END",
     "typ položky 0CI_TYPE {ci_type!r} neodpovídá tabulce {tabulka} (000100 = příjmy, typ 2; 000200 = výdaje, typ 3)"),
]
DECODED_CHECKS: list[Check] = [("NOT regexp_full_match(rok, '(19|20)[0-9]{2}')", "rok {rok!r} není čtyřmístný rok")]
BUDGET_CHECKS: list[Check] = [
    ("NOT regexp_full_match(ico, '[0-9]+') OR length(ltrim(ico, '0')) > 8",
     "IČO {ico!r} není nejvýše osmimístné číslo (ZC_ICO má až 10 míst s úvodními nulami)"),
    ("ci_type NOT IN ('2', '3')", "neznámý typ rozpočtové položky {ci_type!r}; očekáváno 2 (příjmy) nebo 3 (výdaje)"),
    ("NOT (regexp_full_match(paragraf, '[0-9]{4}') AND (left(paragraf, 1) BETWEEN '1' AND '6' "
     "OR (ci_type = '2' AND paragraf = '0000')))",
     "neznámý paragraf {paragraf!r}; očekáván čtyřmístný paragraf odvětvového třídění rozpočtové skladby "
     "(skupiny 1–6, u příjmů i 0000)"),
    ("NOT (regexp_full_match(polozka, '[0-9]{4}') AND CASE WHEN ci_type = '2' THEN left(polozka, 1) BETWEEN '1' AND '4' "
     "ELSE left(polozka, 1) IN ('5', '6') END)",
     "neznámá položka {polozka!r}; očekávána čtyřmístná položka druhového třídění ({polozka_tridy})"),
    *((f"NOT regexp_full_match({a}, '{AMOUNT_SQL}') OR ({a} LIKE '-%' AND {a} LIKE '%-')",
       f"částka {{{a}!r}} nemá tvar čísla s desetinnou tečkou (např. 5800000.00 nebo 11718.00-)") for a in AMOUNTS),
]


def _load(con: duckdb.DuckDBPyConnection, text: str, columns: dict[str, int], width: int) -> None:
    """Table `t`: the wanted columns as stripped text and `_row`, the line in the file; blank lines dropped."""
    try:
        rel = con.read_csv(io.BytesIO(text.encode("utf-8")), sep=";", header=False, skiprows=1, all_varchar=True,
                           null_padding=True, quotechar='"', names=[f"c{i}" for i in range(width)])
    except duckdb.Error as exc:
        line = re.search(r"[Ll]ine:? (\d+)", str(exc))
        raise FormatError(f"řádek nelze přečíst jako {width} polí oddělených středníkem; {EXPECTED_RAW}",
                          row=int(line.group(1)) + 1 if line else None) from None
    con.register("souboru", rel)
    picked = ", ".join(f"trim(coalesce(c{i}, ''), ' \"') AS {name}" for name, i in columns.items())
    con.execute(f"CREATE TABLE t AS SELECT row_number() OVER () + 1 AS _row, {picked} FROM souboru")
    con.execute(f"DELETE FROM t WHERE {' AND '.join(f'{name} = {chr(39) * 2}' for name in columns)}")


def _first_failure(con: duckdb.DuckDBPyConnection, checks: list[Check]) -> None:
    """Raise for the first row breaking any check, with the message of the first check it breaks."""
    flags = ", ".join(f"coalesce(({condition}), true) AS f{n}" for n, (condition, _) in enumerate(checks))
    found = con.execute(f"SELECT * FROM (SELECT *, {flags} FROM t) WHERE "
                        f"{' OR '.join(f'f{n}' for n in range(len(checks)))} ORDER BY _row LIMIT 1").df()
    if found.empty:
        return
    row = {str(k): v for k, v in found.iloc[0].items()}
    message = next(say for n, (_, say) in enumerate(checks) if row[f"f{n}"])
    month = int(row["obdobi"][5:]) if str(row.get("obdobi", ""))[5:].isdigit() else 0
    extra = {"mesic": month, "rok_obdobi": str(row.get("obdobi", ""))[:4],
             "mesic_nazev": MONTHS[month - 1] if 1 <= month <= len(MONTHS) else "",
             "polozka_tridy": "třídy 1–4 u příjmů" if row.get("ci_type") == "2" else "třídy 5 a 6 u výdajů"}
    raise FormatError(message.format(**row, **extra), row=int(row["_row"]))


def _table_sql(year: str, named: bool) -> str:
    amounts = ", ".join(f"CAST(trim({a}, '-') AS DOUBLE) * CASE WHEN {a} LIKE '-%' OR {a} LIKE '%-' THEN -1 ELSE 1 END "
                        f"AS {a}" for a in AMOUNTS)
    return (f"SELECT _row, lpad(ltrim(ico, '0'), 8, '0') AS ico, {year} AS rok, "
            "CASE ci_type WHEN '2' THEN 'prijmy' ELSE 'vydaje' END AS typ, paragraf, "
            f"{'nullif(paragraf_nazev, ' + chr(39) * 2 + ')' if named else 'CAST(NULL AS TEXT)'} AS paragraf_nazev, "
            f"polozka, {amounts} FROM t ORDER BY _row")
