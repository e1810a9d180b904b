"""MPSV registry of social services (`rpss.json`) into normalised tables, one edition per reference date.

One item of `polozky` is one registered service. The file (30–100 MB) is walked item by item with the
standard JSON decoder, so only one service at a time exists as Python objects next to the decoded text:
peak memory stays at a few times the file size (DuckDB's read_json of the single root object took
~700 MB for a 67 MB file).

Only the keys named in this module are read. `poskytovatel.statutarniOrgany`, contact notes (`poznamka`),
contact addresses and every other key are never looked at, so personal names cannot reach the warehouse. Nor are
they stored: `redact` rewrites the file without PERSONAL_KEYS before its snapshot is written (the snapshot's
provenance keeps the original's sha256 and size and the removed keys), and parsing either file gives the same tables.

Choices:
- reference date: an explicit one wins (a rebuild passes the stored one). The documented file has no
  date of its own (its root holds only `polozky`), so otherwise it is today: the registry is published
  daily and a downloaded file describes the day it was downloaded;
- codes are stored as the text after their code-list prefix (`DruhSocialniSluzby/13` -> `13`); an id with
  another prefix is kept whole, so that it shows as an unknown code (view `sluzby_kontrola`) instead of
  being dropped or mistaken for a known one;
- addresses: `Obec/554499` is the ČSÚ obec code (the key of table `obce`); `Okres/…` and `Kraj/…` carry
  RÚIAN codes and are stored as such (`okres_ruian_kod`, `kraj_ruian_kod`);
- a facility repeating an earlier record of the same service (same name, address and dates) is kept
  with `duplicitni = TRUE`, so that it can be counted once;
- `rozsirenePusobnostiVKraji` has no documented item shape: every `Prefix/code` id found in it is kept,
  with the level its prefix names (`orp`, `obec`, `okres`, `kraj`); a bare code is read as an ORP.
"""
from collections import Counter
from collections.abc import Callable
from datetime import date
import json
import re
from typing import Any

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import MPSV, MPSV_TERMS, OfficialUrl, Parsed, SourceMeta

META = SourceMeta(
    id="mpsv_rpss",
    title="MPSV, Registr poskytovatelů sociálních služeb",
    publisher=MPSV,
    citation="MPSV, Registr poskytovatelů sociálních služeb",
    licence=MPSV_TERMS,
    reference_date="Soubor datum neuvádí (vychází denně): platí den stažení či importu, není-li zadáno volbou --date.",
    urls=(OfficialUrl("aktualni", "https://data.mpsv.cz/od/soubory/rpss/rpss.json",
                      "official MPSV open-data location (../shared/data/SOURCES.md §3)"),),
)

# Keys only a service of the registry has; one of them is near the start of every real file.
SIGNATURE = (b'"druhSocialniSluzby"', b'"datumPoskytovaniOd"', b'"poskytujeOd"', b'"rozsirenePusobnostiVKraji"')
SNIFF_BYTES = 65536
WHITESPACE = re.compile(r"[ \t\n\r]*")
ROOT_EXPECTED = "očekáván objekt {\"polozky\": [služba, …]} registru poskytovatelů sociálních služeb MPSV (rpss.json)"
Json = Any  # a value decoded from the registry's JSON, of whatever type the file holds; checked where it is used
CONTACTS = (("web", "weby", "web"), ("email", "emaily", "email"), ("telefon", "telefony", "telefon"))
# prefix of an id in rozsirenePusobnostiVKraji -> territorial level ("Orp/1503", "ObecSRozsirenouPusobnosti/1503", …)
SCOPE_LEVELS = {"orp": re.compile(r"^(orp|\w*rozsirenoupusobnosti|\w*obvodorp)$", re.IGNORECASE),
                "obec": re.compile(r"^obec$", re.IGNORECASE), "okres": re.compile(r"^okres$", re.IGNORECASE),
                "kraj": re.compile(r"^kraj$", re.IGNORECASE)}

COLUMNS = {
    "sluzby": ["sluzba_id", "portal_id", "identifikator", "druh_kod", "poskytovatel_ico", "datum_od", "datum_do"],
    "sluzby_poskytovatele": ["ico", "nazev", "sidlo_obec_kod"],
    "sluzby_formy": ["sluzba_id", "forma", "nepretrzite", "typ_kapacity", "kapacita"],
    "sluzby_cilove_skupiny": ["sluzba_id", "kod"],
    "sluzby_vekove_skupiny": ["sluzba_id", "kod"],
    "sluzby_zarizeni": ["sluzba_id", "poradi", "nazev", "poskytuje_od", "poskytuje_do", "kod_adresniho_mista",
                        "obec_kod", "okres_ruian_kod", "kraj_ruian_kod", "cast_obce_kod", "ulice", "cislo_domovni",
                        "typ_cisla_domovniho", "cislo_orientacni", "psc", "duplicitni"],
    "sluzby_pusobnost": ["sluzba_id", "uroven", "ciselnik", "kod"],
    "sluzby_kontakty": ["sluzba_id", "uroven", "typ", "hodnota"],
}
INTEGER_COLUMNS = ("kapacita", "poradi")  # nullable Int64
# keys holding names of natural persons: statutory bodies (jmeno, prijmeni, titles) and the free-text notes beside
# e-mails, phones and webs ("kontaktní osoba …"); removed wherever they occur before a snapshot is stored
PERSONAL_KEYS = frozenset({"statutarniOrgany", "poznamka", "kontaktniOsoby", "jmeno", "prijmeni"})


def sniff(content: bytes) -> bool:
    """A service key near the start, whatever the root: a broken root must get the registry's own error."""
    head = content[:SNIFF_BYTES]
    return any(key in head for key in SIGNATURE)


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    rows = _Rows()
    _read(content, rows.add)
    if not rows.services:
        raise FormatError(f"seznam 'polozky' je prázdný; {ROOT_EXPECTED}")
    edition = reference_date or date.today()
    return Parsed(META.id, edition, rows.frames(edition))


def redact(content: bytes) -> tuple[bytes, dict[str, int]]:
    """The file without PERSONAL_KEYS (compact UTF-8 JSON, one service per line) and how often each removed key
    occurred, e.g. {"statutarniOrgany": 7000}; deterministic, so a re-import matches. The keys are dropped while
    decoding (object_pairs_hook: one call per object, no second walk). Root keys other than `polozky` (none
    documented, never read) are not kept."""
    removed: Counter[str] = Counter()

    def without_personal(pairs: list[tuple[str, Json]]) -> dict[str, Json]:
        kept = dict(pairs)
        if PERSONAL_KEYS.isdisjoint(kept):  # most objects: no Python loop over their keys
            return kept
        for key in PERSONAL_KEYS.intersection(kept):
            removed[key] += 1
            del kept[key]
        return kept
    lines: list[str] = []
    _read(content, lambda number, item: lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":"))),
          json.JSONDecoder(object_pairs_hook=without_personal))
    return ('{"polozky":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8"), dict(sorted(removed.items()))


def _read(content: bytes, on_item: Callable[[int, Json], None], decoder: json.JSONDecoder | None = None) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"soubor není v kódování UTF-8 (bajt {exc.start + 1}); {ROOT_EXPECTED}") from exc
    try:
        _walk(text, on_item, decoder or json.JSONDecoder())
    except json.JSONDecodeError as exc:
        raise FormatError(f"neplatný JSON na znaku {_number(exc.pos + 1)} z {_number(len(text))}; soubor je poškozený nebo "
                          "neúplný (useknuté stažení?), stáhněte ho znovu") from None


# --- walking the file one service at a time ------------------------------------------------------


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _skip(text: str, pos: int) -> int:
    match = WHITESPACE.match(text, pos)  # always matches: the pattern accepts the empty string
    return match.end() if match else pos


def _broken(text: str, pos: int) -> FormatError:
    if pos >= len(text):
        return FormatError("soubor končí uprostřed dat (useknuté stažení?); stáhněte ho znovu")
    return FormatError(f"neplatný JSON na znaku {_number(pos + 1)}; soubor je poškozený, stáhněte ho znovu")


def _walk(text: str, on_item: Callable[[int, Json], None], decoder: json.JSONDecoder) -> None:
    """Hand every item of the root's `polozky` to `on_item(number, item)`; other root keys are skipped."""
    pos = _skip(text, 0)
    if not text.startswith("{", pos):
        raise FormatError(f"kořen souboru není objekt; {ROOT_EXPECTED}")
    pos = _skip(text, pos + 1)
    found = False
    if text.startswith("}", pos):
        raise FormatError(f"kořen souboru je prázdný objekt; {ROOT_EXPECTED}")
    while True:
        if not text.startswith('"', pos):
            raise _broken(text, pos)
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise _broken(text, pos)
        pos = _skip(text, pos + 1)
        if key == "polozky":
            pos, found = _walk_items(text, pos, decoder, on_item), True
        else:
            _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            break
        else:
            raise _broken(text, pos)
    if _skip(text, pos + 1) != len(text):
        raise _broken(text, _skip(text, pos + 1))
    if not found:
        raise FormatError(f"v kořeni souboru chybí klíč 'polozky'; {ROOT_EXPECTED}")


def _walk_items(text: str, pos: int, decoder: json.JSONDecoder, on_item: Callable[[int, Json], None]) -> int:
    if not text.startswith("[", pos):
        raise FormatError(f"'polozky' není seznam; {ROOT_EXPECTED}")
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return pos + 1
    number = 0
    while True:
        try:
            item, pos = decoder.raw_decode(text, pos)
        except RecursionError:
            raise FormatError(f"položka č. {number + 1} seznamu 'polozky' je vnořená příliš hluboko (tisíce úrovní); "
                              "služba registru MPSV má jen několik úrovní, soubor je poškozený") from None
        number += 1
        on_item(number, item)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return pos + 1
        else:
            raise _broken(text, pos)


# --- one service into rows -------------------------------------------------------------------------


def _text(value: Json) -> str | None:
    """Codes and identifiers as text: 11867906 -> '11867906', ' 54 ' -> '54', '' -> None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _code(reference: Json, prefix: str) -> str | None:
    """{"id": "DruhSocialniSluzby/13"} -> '13'; an id from another code list is kept whole."""
    identifier = _text(reference.get("id")) if isinstance(reference, dict) else None
    if identifier is None:
        return None
    head, slash, kod = identifier.partition("/")
    return kod if slash and head == prefix else identifier


def _ico(value: Json) -> str | None:
    ico = _text(value)
    return ico.zfill(8) if ico and ico.isdigit() else ico


def _scope_ids(value: Json) -> list[str]:
    """Every `id` text inside the scope field; bare codes directly in its list count as ids."""
    if isinstance(value, list):
        found: list[str | None] = []
        for element in value:
            found += [_text(element)] if isinstance(element, (str, int)) else _scope_ids(element)
        return [f for f in found if f]
    if isinstance(value, dict):
        if isinstance(value.get("id"), (str, int)):
            return [str(value["id"])]
        return [i for v in value.values() if isinstance(v, (dict, list)) for i in _scope_ids(v)]
    return []


def _scope_level(prefix: str | None) -> str | None:
    if prefix is None:
        return "orp"  # a bare code in a field named after ORP ("obce s rozšířenou působností")
    return next((level for level, pattern in SCOPE_LEVELS.items() if pattern.match(prefix)), None)


class _Rows:
    """Rows of every table, filled one service at a time."""

    def __init__(self) -> None:
        self.services: list[tuple] = []
        self.providers: dict[str, tuple] = {}
        self.tables: dict[str, list[tuple]] = {name: [] for name in COLUMNS
                                               if name not in ("sluzby", "sluzby_poskytovatele")}
        self.positions: dict[str, int] = {}

    def add(self, number: int, item: Json) -> None:
        if not isinstance(item, dict):
            raise FormatError(f"položka č. {number} seznamu 'polozky' není objekt; {ROOT_EXPECTED}")
        sluzba_id = _text(item.get("id"))
        where = f"položka č. {number}" + (f" (id {sluzba_id})" if sluzba_id else "")
        if sluzba_id is None:
            raise FormatError(f"{where} nemá id služby")
        if sluzba_id in self.positions:
            raise FormatError(f"{where}: služba s tímto id už je v souboru jako položka č. {self.positions[sluzba_id]}")
        self.positions[sluzba_id] = number
        druh = _code(item.get("druhSocialniSluzby"), "DruhSocialniSluzby")
        if druh is None:
            raise FormatError(f"{where} nemá druhSocialniSluzby (druh sociální služby), "
                              "který má každá služba registru MPSV")
        provider = _dict(item.get("poskytovatel"))
        ico = _ico(provider.get("ico"))
        self.services.append((sluzba_id, _text(item.get("portalId")), _text(item.get("identifikator")), druh, ico,
                              _date(item.get("datumPoskytovaniOd"), "datumPoskytovaniOd", where),
                              _date(item.get("datumPoskytovaniDo"), "datumPoskytovaniDo", where)))
        if ico and ico not in self.providers:
            seat = _dict(provider.get("adresa"))
            self.providers[ico] = (ico, _text(provider.get("nazev")), _code(seat.get("obec"), "Obec"))
        self._forms(sluzba_id, item.get("formy"), where)
        self._groups("sluzby_cilove_skupiny", sluzba_id, item.get("ciloveSkupiny"), "cilovaSkupina", "CilovaSkupinaOsoby")
        self._groups("sluzby_vekove_skupiny", sluzba_id, item.get("vekoveSkupiny"), "vekovaSkupina", "VekovaSkupinaOsoby")
        self._facilities(sluzba_id, item.get("zarizeni"), where)
        self._scope(sluzba_id, item.get("rozsirenePusobnostiVKraji"))
        self._contacts(sluzba_id, "sluzba", item)
        self._contacts(sluzba_id, "poskytovatel", provider)

    def _forms(self, sluzba_id: str, forms: Json, where: str) -> None:
        """One row per form and capacity type; a form without a registered capacity keeps one row with NULLs."""
        for form in filter(None, map(_dict, _list(forms))):
            forma = _code(form.get("forma"), "FormaSocialniSluzby")
            nonstop = form.get("nepretrzitePoskytovani")
            nonstop = nonstop if isinstance(nonstop, bool) else None
            for capacity in list(filter(None, map(_dict, _list(form.get("kapacity"))))) or [{}]:
                self.tables["sluzby_formy"].append((
                    sluzba_id, forma, nonstop, _code(capacity.get("typ"), "TypKapacitySocialniSluzby"),
                    _count(capacity.get("pocet"), where)))

    def _groups(self, table: str, sluzba_id: str, groups: Json, key: str, prefix: str) -> None:
        """[{"cilovaSkupina": {"id": "CilovaSkupinaOsoby/24"}}] -> '24'; a repeated group is kept once."""
        codes = [_code(g.get(key) if isinstance(g.get(key), dict) else g, prefix)
                 for g in filter(None, map(_dict, _list(groups)))]
        self.tables[table] += [(sluzba_id, kod) for kod in dict.fromkeys(codes) if kod]

    def _facilities(self, sluzba_id: str, facilities: Json, where: str) -> None:
        seen = set()
        for position, facility in enumerate(map(_dict, _list(facilities)), start=1):
            if not facility:
                continue
            address = _dict(facility.get("adresa"))
            street = address.get("ulice")
            row = (_text(facility.get("nazev")),
                   _date(facility.get("poskytujeOd"), "poskytujeOd", where),
                   _date(facility.get("poskytujeDo"), "poskytujeDo", where),
                   _text(address.get("kodAdresnihoMista")), _code(address.get("obec"), "Obec"),
                   _code(address.get("okres"), "Okres"), _code(address.get("kraj"), "Kraj"),
                   _code(address.get("castObce"), "CastObce"),
                   _text(street.get("nazev")) if isinstance(street, dict) else _text(street),
                   _text(address.get("cisloDomovni")), _code(address.get("typCislaDomovniho"), "TypStavebnihoObjektu"),
                   _text(address.get("cisloOrientacni")), _text(address.get("psc")))
            self.tables["sluzby_zarizeni"].append((sluzba_id, position, *row, row in seen))
            seen.add(row)

    def _scope(self, sluzba_id: str, declared: Json) -> None:
        for identifier in dict.fromkeys(_scope_ids(declared)):
            prefix, slash, kod = identifier.rpartition("/")
            ciselnik = prefix if slash else None
            self.tables["sluzby_pusobnost"].append((sluzba_id, _scope_level(ciselnik), ciselnik, kod))

    def _contacts(self, sluzba_id: str, level: str, owner: dict) -> None:
        """Web, e-mail and phone values only: the notes next to them may name people."""
        for typ, key, field in CONTACTS:
            values = [_text(c.get(field) if isinstance(c, dict) else c) for c in _list(owner.get(key))]
            self.tables["sluzby_kontakty"] += [(sluzba_id, level, typ, v) for v in dict.fromkeys(values) if v]

    def frames(self, edition: date) -> dict[str, pd.DataFrame]:
        data = {"sluzby": self.services, "sluzby_poskytovatele": list(self.providers.values()), **self.tables}
        frames = {}
        for table, rows in data.items():
            frame = pd.DataFrame(rows, columns=COLUMNS[table], dtype=object)
            for column in INTEGER_COLUMNS:
                if column in frame:
                    frame[column] = frame[column].astype("Int64")
            frame.insert(0, "stav_k", edition)
            frames[table] = frame
        return frames


def _dict(value: Json) -> dict[str, Json]:
    return value if isinstance(value, dict) else {}


def _list(value: Json) -> list[Json]:
    return value if isinstance(value, list) else []


def _date(value: Json, key: str, where: str) -> date | None:
    """ISO dates, with or without a time part ('2016-09-01', '2016-09-01T00:00:00')."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FormatError(f"{where}: {key} = {value!r} není datum; očekáváno RRRR-MM-DD") from None


def _count(value: Json, where: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FormatError(f"{where}: kapacita {value!r} není číslo") from None
    if number < 0 or not number.is_integer():
        raise FormatError(f"{where}: kapacita {value!r} není nezáporné celé číslo")
    return int(number)
