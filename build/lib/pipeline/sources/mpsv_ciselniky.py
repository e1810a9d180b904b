"""MPSV code lists in either published shape, into one table `mpsv_ciselnik`.

- open data (data.mpsv.cz/od/soubory/ciselniky/<name>.json): `{"polozky": [{"id": "DruhSocialniSluzby/13",
  "nazev": {"cs": "domovy pro seniory"}}, …]}` — the code list and the code are the two parts of `id`;
- web API: `{"pocet": N, "seznam": [{"id": 3847, "kod": "13", "nazev": "…", "ciselnik": "DruhSocialniSluzby",
  "platnostOd": <ms>, "platnostDo": null}, …]}` — the numeric `id` is another namespace and is not used;
  `pocet` must match the list (a shorter list is a broken download). The list of kraje comes as a bare
  list without `ciselnik`; its items carry `kodNuts` and it is the code list `Kraj`.

Code lists are stored under the names the registry's ids use; the web API calls one of them differently
(`FormaSocSluzby` is the registry's `FormaSocialniSluzby`). Millisecond timestamps are midnights in Prague.
Reference date: an explicit one, else the latest `platnostOd` (the last change the list records), else today.
"""
import codecs
from datetime import date, datetime
import json
import re
from zoneinfo import ZoneInfo

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources import mpsv_rpss
from pipeline.sources.base import MPSV, MPSV_TERMS, OfficialUrl, Parsed, SourceMeta

# Open-data shape https://data.mpsv.cz/od/soubory/ciselniky/<name>.json (SOURCES.md §3); the file names are those
# loaded by public code reading the registry (repository not identified).
CODE_LISTS = ("druhy-socialni-sluzby", "cilove-skupiny-osoby", "formy-soc-sluzby", "typy-kapacity-socialni-sluzby",
              "vekove-skupiny-osoby", "kraje")
META = SourceMeta(
    id="mpsv_ciselniky",
    title="MPSV, číselníky",
    publisher=MPSV,
    citation="MPSV, číselníky",
    licence=MPSV_TERMS,
    reference_date=("Nejpozdější datum platnosti položky (platnostOd), jinak den importu, "
                    "není-li zadáno volbou --date."),
    urls=tuple(OfficialUrl(name, f"https://data.mpsv.cz/od/soubory/ciselniky/{name}.json", "MPSV open data")
               for name in CODE_LISTS),
)

ALIASES = {"FormaSocSluzby": "FormaSocialniSluzby"}
PRAGUE = ZoneInfo("Europe/Prague")
OPEN_DATA_ID = re.compile(rb'"id"\s*:\s*"[A-Za-z]+/')
EXPECTED = ("očekáván číselník MPSV: {\"polozky\": [{\"id\": \"Ciselnik/kod\", \"nazev\": …}]} (otevřená data) "
            "nebo {\"pocet\": N, \"seznam\": [{\"kod\", \"nazev\", \"ciselnik\"}]} (webové API)")
COLUMNS = ["ciselnik", "kod", "nazev", "platnost_od", "platnost_do"]
CodeItem = tuple[str, str, str | None, date | None, date | None]  # one row of COLUMNS


def sniff(content: bytes) -> bool:
    head = content[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    if mpsv_rpss.sniff(content):
        return False
    open_data = b'"polozky"' in head and OPEN_DATA_ID.search(head) is not None
    web_api = b'"seznam"' in head and b'"kod"' in head and b'"nazev"' in head
    kraje = head.startswith(b"[") and b'"kodNuts"' in head and b'"kod"' in head
    return open_data or web_api or kraje


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"soubor není v kódování UTF-8 (bajt {exc.start + 1})") from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"neplatný JSON (řádek {exc.lineno}, sloupec {exc.colno}); soubor je poškozený nebo "
                          "neúplný, stáhněte ho znovu") from None
    if isinstance(document, dict) and isinstance(document.get("polozky"), list):
        rows = [_open_data_item(item, number) for number, item in enumerate(document["polozky"], start=1)]
    elif isinstance(document, dict) and isinstance(document.get("seznam"), list):
        items = document["seznam"]
        if isinstance(document.get("pocet"), int) and document["pocet"] != len(items):
            raise FormatError(f"číselník ohlašuje počet položek {document['pocet']}, ale obsahuje {len(items)}; "
                              "soubor je neúplný, stáhněte ho znovu")
        rows = [_web_api_item(item, number, None) for number, item in enumerate(items, start=1)]
    elif isinstance(document, list) and document and all(isinstance(i, dict) and "kodNuts" in i for i in document):
        rows = [_web_api_item(item, number, "Kraj") for number, item in enumerate(document, start=1)]
    else:
        raise FormatError(f"neznámá struktura souboru; {EXPECTED}")
    if not rows:
        raise FormatError(f"číselník je prázdný; {EXPECTED}")
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    dupes = frame[frame.duplicated(["ciselnik", "kod"])]
    if len(dupes):
        raise FormatError(f"kód {dupes.iloc[0]['ciselnik']}/{dupes.iloc[0]['kod']} je v číselníku dvakrát")
    latest = max(frame["platnost_od"].dropna(), default=None)
    edition = reference_date or latest or date.today()
    frame.insert(0, "stav_k", edition)
    return Parsed(META.id, edition, {"mpsv_ciselnik": frame})


def _open_data_item(item: object, number: int) -> CodeItem:
    identifier = item.get("id") if isinstance(item, dict) else None
    ciselnik, slash, kod = str(identifier or "").partition("/")
    if not (isinstance(item, dict) and slash and ciselnik and kod):
        raise FormatError(f"položka č. {number}: id {identifier!r} nemá tvar 'Ciselnik/kod'; {EXPECTED}")
    return (ALIASES.get(ciselnik, ciselnik), kod, _name(item.get("nazev")),
            _date(item.get("platnostOd"), number), _date(item.get("platnostDo"), number))


def _web_api_item(item: object, number: int, ciselnik: str | None) -> CodeItem:
    if not isinstance(item, dict) or item.get("kod") in (None, ""):
        raise FormatError(f"položka č. {number} nemá kód (kod); {EXPECTED}")
    ciselnik = ciselnik or item.get("ciselnik")
    if not ciselnik:
        raise FormatError(f"položka č. {number} neuvádí, do kterého číselníku patří (ciselnik); {EXPECTED}")
    return (ALIASES.get(ciselnik, ciselnik), str(item["kod"]).strip(), _name(item.get("nazev")),
            _date(item.get("platnostOd"), number), _date(item.get("platnostDo"), number))


def _name(value: object) -> str | None:
    """'domovy pro seniory' or {"cs": "domovy pro seniory", "en": …}."""
    if isinstance(value, dict):
        value = value.get("cs")
    return str(value).strip() if value not in (None, "") else None


def _date(value: object, number: int) -> date | None:
    """Milliseconds since the epoch (web API) or an ISO date."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, PRAGUE).date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FormatError(f"položka č. {number}: platnost {value!r} není datum") from None
