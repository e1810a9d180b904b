"""Catalogue of the social services of a territory: one entry per service in provision on a date, by type.

Which services: those with an active facility in an obec of the territory (the activity rule of
sql/sluzby_aktivni.sql) and, unless switched off, terénní services from elsewhere whose declared scope
(`rozsirenePusobnostiVKraji`) covers an obec of the territory: for a citizen they are on offer there too, and
the registry has no other sign of where a field service goes. Each entry says which of the two it is.

The registry gives a service no name of its own; an entry is named after its first active facility in the
territory (else its first active facility, else its type). Contacts are the service's own, else its provider's;
no person is ever named (the parser never loads statutory bodies or contact notes).

The writers (CSV, XLSX, DOCX, HTML) are in pipeline/chapters/sluzby/catalogue.py.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline import sources
from pipeline.core.territory import Territory
from pipeline.core.text import czech_date, fold, plural
from pipeline.indicators.sluzby import activity, coverage

SQL_DIR = Path(__file__).parents[1] / "sql"
SOURCE = sources.meta("mpsv_rpss").citation
FORMS = {"amb": "ambulantní", "pob": "pobytová", "ter": "terénní"}  # fixed by law (§ 33 zákona o sociálních službách)
# capacity unit -> Czech forms for 1, 2–4 and 5+ (the code list has only 'Počet lůžek'-style titles)
UNITS = {"luzka": ("lůžko", "lůžka", "lůžek"), "klient": ("klient", "klienti", "klientů"),
         "kontakt": ("kontakt", "kontakty", "kontaktů"), "interv": ("intervence", "intervence", "intervencí"),
         "hovor": ("hovor", "hovory", "hovorů")}
WAYS = {"zarizeni": "zařízení v území", "pusobnost": "terénní služba s působností v území"}
HOUSE_NUMBER_TYPES = {"2": "č. ev. "}  # TypStavebnihoObjektu: 1 = číslo popisné (no prefix), 2 = číslo evidenční
ENTRY_COLUMNS = ["druh_kod", "druh_nazev", "identifikator", "nazev", "poskytovatel", "ico", "formy", "kapacita",
                 "cilove_skupiny", "vekove_skupiny", "zarizeni", "obce", "zahrnuti", "pusobnost", "web", "email",
                 "telefon", "poskytovana_od", "datum", "registr_k"]
LIST_SEPARATOR = "; "


@dataclass
class Catalogue:
    """The services of a territory on a date and everything an entry shows, one frame per kind of detail."""
    territory: Territory
    datum: date
    registr_k: date
    services: pd.DataFrame  # one row per service
    reach: pd.DataFrame  # service × obec of the territory × way (zarizeni | pusobnost)
    forms: pd.DataFrame  # service × form × capacity unit
    groups: pd.DataFrame  # service × kind (cilova | vekova) × code
    facilities: pd.DataFrame  # service × active facility (also those outside the territory)
    contacts: pd.DataFrame  # service × type (web | email | telefon) × value
    scope: pd.DataFrame  # service × declared scope unit, named
    notes: list[str] = field(default_factory=list)

    @property
    def source_line(self) -> str:
        return sources.source_line(f"{SOURCE} (stav k {czech_date(self.registr_k)})")


def code_names(con: duckdb.DuckDBPyConnection, ciselnik: str) -> dict[str, str]:
    """Code -> name from the MPSV code list; the latest edition wins (as in sql/sluzby_pokryti.sql)."""
    return dict(con.execute("""
        SELECT kod, nazev
        FROM mpsv_ciselnik
        WHERE ciselnik = ?
        QUALIFY row_number() OVER (PARTITION BY kod ORDER BY stav_k DESC) = 1
    """, [ciselnik]).fetchall())


# the code lists whose names the chapters print: the registry column holding their codes, what a code is
NAMED_CODES = {"DruhSocialniSluzby": ("sluzby", "druh_kod", "druh sociální služby"),
               "CilovaSkupinaOsoby": ("sluzby_cilove_skupiny", "kod", "cílová skupina"),
               "VekovaSkupinaOsoby": ("sluzby_vekove_skupiny", "kod", "věková skupina"),
               "TypKapacitySocialniSluzby": ("sluzby_formy", "typ_kapacity", "typ kapacity")}


def unnamed_codes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, bool]]:
    """(what the code is, code, whether its code list is imported at all) for every code the registry uses without
    a name: the chapters print it as 'neznámý druh 13', so the analyst is told before publishing."""
    found = []
    for ciselnik, (table, column, what) in NAMED_CODES.items():
        codes = con.execute(f"""
            SELECT DISTINCT u.{column}, EXISTS (SELECT 1 FROM mpsv_ciselnik WHERE ciselnik = $ciselnik)
            FROM {table} AS u
            WHERE u.{column} IS NOT NULL
              AND u.{column} NOT IN (SELECT kod FROM mpsv_ciselnik WHERE ciselnik = $ciselnik)
            ORDER BY 1
        """, {"ciselnik": ciselnik}).fetchall()
        found += [(what, str(code), bool(imported)) for code, imported in codes]
    return found


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> Iterator[None]:
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def load(con: duckdb.DuckDBPyConnection, chosen: Territory, on_date: date, declared: bool = True) -> Catalogue:
    """Every detail of the services reaching the territory on `on_date`, from the edition valid that day."""
    stav_k = activity.edition(con, on_date)
    params = {"stav_k": stav_k, "datum": on_date}
    active = f"WITH aktivni_zarizeni AS ({activity.active_sql()})"
    with _registered(con, uzemi_obce=chosen.obce[["obec_kod"]]):
        reach = con.execute(f"""{active}
            SELECT r.*, o.obec_nazev
            FROM ({(SQL_DIR / "sluzby_uzemi.sql").read_text(encoding="utf-8")}) AS r
            JOIN obce AS o USING (obec_kod)
            ORDER BY r.sluzba_id, r.zpusob, o.obec_nazev
        """, {**params, "pusobnost": declared}).df()
    chosen_ids = pd.DataFrame({"sluzba_id": reach["sluzba_id"].unique()})
    with _registered(con, vybrane=chosen_ids):
        services = con.execute("""
            SELECT s.sluzba_id, s.identifikator, s.druh_kod, s.poskytovatel_ico AS ico, p.nazev AS poskytovatel,
                   s.datum_od, s.datum_do
            FROM sluzby AS s
            LEFT JOIN sluzby_poskytovatele AS p ON p.stav_k = s.stav_k AND p.ico = s.poskytovatel_ico
            WHERE s.stav_k = $stav_k AND s.sluzba_id IN (SELECT sluzba_id FROM vybrane)
        """, {"stav_k": stav_k}).df()
        forms = con.execute("""
            SELECT sluzba_id, forma, typ_kapacity, kapacita
            FROM sluzby_formy
            WHERE stav_k = $stav_k AND sluzba_id IN (SELECT sluzba_id FROM vybrane)
        """, {"stav_k": stav_k}).df()
        groups = con.execute("""
            SELECT sluzba_id, 'cilova' AS skupina, kod FROM sluzby_cilove_skupiny
            WHERE stav_k = $stav_k AND sluzba_id IN (SELECT sluzba_id FROM vybrane)
            UNION ALL
            SELECT sluzba_id, 'vekova', kod FROM sluzby_vekove_skupiny
            WHERE stav_k = $stav_k AND sluzba_id IN (SELECT sluzba_id FROM vybrane)
        """, {"stav_k": stav_k}).df()
        facilities = con.execute(f"""{active}
            SELECT z.sluzba_id, z.poradi, z.nazev, z.poskytuje_od, z.poskytuje_do, z.obec_kod, o.obec_nazev, z.ulice,
                   z.cislo_domovni, z.typ_cisla_domovniho, z.cislo_orientacni, z.psc
            FROM aktivni_zarizeni AS a
            JOIN sluzby_zarizeni AS z ON z.stav_k = $stav_k AND z.sluzba_id = a.sluzba_id AND z.poradi = a.poradi
            LEFT JOIN obce AS o ON o.obec_kod = z.obec_kod
            WHERE a.sluzba_id IN (SELECT sluzba_id FROM vybrane)
            ORDER BY z.sluzba_id, z.poradi
        """, params).df()
        contacts = con.execute("""
            -- the service's own contacts of a type, else its provider's
            SELECT sluzba_id, typ, hodnota
            FROM sluzby_kontakty
            WHERE stav_k = $stav_k AND sluzba_id IN (SELECT sluzba_id FROM vybrane)
            QUALIFY uroven = CASE WHEN bool_or(uroven = 'sluzba') OVER (PARTITION BY sluzba_id, typ)
                                  THEN 'sluzba' ELSE 'poskytovatel' END
            ORDER BY sluzba_id, typ, hodnota
        """, {"stav_k": stav_k}).df()
        scope = con.execute("""
            WITH named AS (
                SELECT p.sluzba_id, p.ciselnik, p.kod,
                       CASE p.uroven WHEN 'orp' THEN 'ORP ' || o.orp_nazev
                                     WHEN 'okres' THEN 'okres ' || o.okres_nazev
                                     WHEN 'kraj' THEN o.kraj_nazev
                                     WHEN 'obec' THEN 'obec ' || o.obec_nazev END AS nazev
                FROM sluzby_pusobnost AS p
                LEFT JOIN obce AS o
                  ON (p.uroven = 'orp' AND p.kod IN (o.orp_ruian_kod, o.orp_kod))
                  OR (p.uroven = 'okres' AND p.kod IN (o.okres_ruian_kod, o.okres_kod))
                  OR (p.uroven = 'kraj' AND p.kod IN (o.kraj_ruian_kod, o.kraj_kod))
                  OR (p.uroven = 'obec' AND p.kod = o.obec_kod)
                WHERE p.stav_k = $stav_k AND p.sluzba_id IN (SELECT sluzba_id FROM vybrane)
            )
            SELECT DISTINCT sluzba_id,
                   coalesce(nazev, coalesce(ciselnik || '/', '') || kod || ' (neznámé území)') AS nazev
            FROM named
            ORDER BY sluzba_id, nazev
        """, {"stav_k": stav_k}).df()
    types = code_names(con, "DruhSocialniSluzby")
    services["druh_nazev"] = services["druh_kod"].map(lambda kod: types.get(kod, f"neznámý druh {kod}"))
    names = {"cilova": code_names(con, "CilovaSkupinaOsoby"), "vekova": code_names(con, "VekovaSkupinaOsoby")}
    groups["nazev"] = [names[g].get(kod, f"neznámá skupina {kod}") for g, kod in zip(groups["skupina"], groups["kod"], strict=True)]
    units = code_names(con, "TypKapacitySocialniSluzby")
    forms["forma_nazev"] = forms["forma"].map(lambda f: FORMS.get(f, f"forma {f}"))
    capacities = map(capacity_text, forms["kapacita"], forms["typ_kapacity"], repeat(units))
    forms["text"] = [f"{name}: {capacity}" if capacity else name for name, capacity in zip(forms["forma_nazev"], capacities, strict=True)]
    forms = forms.assign(poradi=forms["forma"].map(form_order)).sort_values(["sluzba_id", "poradi", "typ_kapacity"])
    facilities["adresa"] = [_address(row) for row in facilities.itertuples()]
    facilities["text"] = [f"{name}, {address}" if isinstance(name, str) else address
                          for name, address in zip(facilities["nazev"], facilities["adresa"], strict=True)]
    facilities["v_uzemi"] = facilities["obec_kod"].isin(set(chosen.obce["obec_kod"]))
    facilities = facilities.sort_values(["sluzba_id", "v_uzemi", "poradi"], ascending=[True, False, True])
    services = _ordered(_named(services, facilities, reach))
    return Catalogue(chosen, on_date, stav_k, services, reach, forms, groups, facilities, contacts, scope,
                     coverage._registry_notes(con, stav_k, on_date))


def _ordered(services: pd.DataFrame) -> pd.DataFrame:
    """Types in code order (1, 3, 4, … 35; a code that is not a number last), then by name without diacritics."""
    keys = pd.DataFrame({"druh": pd.to_numeric(services["druh_kod"], errors="coerce").fillna(math.inf),
                         "kod": services["druh_kod"], "nazev": services["nazev"].map(fold),
                         "identifikator": services["identifikator"].fillna("")})
    return services.loc[keys.sort_values(list(keys.columns)).index].reset_index(drop=True)


def _named(services: pd.DataFrame, facilities: pd.DataFrame, reach: pd.DataFrame) -> pd.DataFrame:
    """The entry's name and how it belongs to the territory (a facility there beats a declared scope)."""
    first = facilities.dropna(subset=["nazev"]).drop_duplicates("sluzba_id").set_index("sluzba_id")["nazev"]
    way = reach.groupby("sluzba_id")["zpusob"].agg(lambda ways: "zarizeni" if "zarizeni" in set(ways) else "pusobnost")
    return services.assign(nazev=services["sluzba_id"].map(first).fillna(services["druh_nazev"]),
                           zahrnuti=services["sluzba_id"].map(way))


def capacity_text(kapacita: float | None, typ: str | float | None, units: dict[str, str] | None = None) -> str:
    """'120 lůžek'; an unknown unit keeps its code-list title or code; no capacity (or no unit: None, NaN): ''."""
    if not isinstance(typ, str) or kapacita is None or pd.isna(kapacita):
        return ""
    if typ in UNITS:
        return plural(int(kapacita), *UNITS[typ])
    return f"{int(kapacita)} ({(units or {}).get(typ, typ)})"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _address(row: Any) -> str:  # a row of DataFrame.itertuples()
    """'Žižkova 1466/93, 586 01 Jihlava'; without a street 'č. p. 12, 588 01 Hodice'."""
    number, orientation, street = _text(row.cislo_domovni), _text(row.cislo_orientacni), _text(row.ulice)
    house = HOUSE_NUMBER_TYPES.get(row.typ_cisla_domovniho, "") + number if number else None
    if house and orientation:
        house += f"/{orientation}"
    if street:
        street = f"{street} {house}" if house else street
    elif house:
        street = house if house.startswith("č.") else f"č. p. {house}"
    psc = _text(row.psc)
    psc = f"{psc[:3]} {psc[3:]}" if psc and len(psc) == 5 else psc
    place = " ".join(p for p in (psc, _text(row.obec_nazev)) if p)
    return ", ".join(p for p in (street, place) if p) or "adresa neuvedena"


# --- entries: one row per service --------------------------------------------------------------------------


def _joined(frame: pd.DataFrame, column: str) -> pd.Series:
    """sluzba_id -> the column's distinct values in frame order, joined."""
    return frame.groupby("sluzba_id", sort=False)[column].agg(
        lambda values: LIST_SEPARATOR.join(dict.fromkeys(v for v in values if isinstance(v, str) and v)))


def entries(catalogue: Catalogue) -> pd.DataFrame:
    """One row per service with every detail as text (the CSV; XLSX, DOCX and HTML show the same)."""
    c = catalogue
    ids = c.services["sluzba_id"]
    located = c.reach[c.reach["zpusob"] == "zarizeni"]
    table = pd.DataFrame({
        "druh_kod": c.services["druh_kod"],
        "druh_nazev": c.services["druh_nazev"],
        "identifikator": c.services["identifikator"],
        "nazev": c.services["nazev"],
        "poskytovatel": c.services["poskytovatel"],
        "ico": c.services["ico"],
        "formy": ids.map(_joined(c.forms.drop_duplicates(["sluzba_id", "forma"]), "forma_nazev")),
        "kapacita": ids.map(_joined(c.forms, "text")),
        "cilove_skupiny": ids.map(_joined(c.groups[c.groups["skupina"] == "cilova"], "nazev")),
        "vekove_skupiny": ids.map(_joined(c.groups[c.groups["skupina"] == "vekova"], "nazev")),
        "zarizeni": ids.map(_joined(c.facilities, "text")),
        "obce": ids.map(_joined(located, "obec_nazev")),
        "zahrnuti": c.services["zahrnuti"],
        "pusobnost": ids.map(_joined(c.scope, "nazev")),
        **{typ: ids.map(_joined(c.contacts[c.contacts["typ"] == typ], "hodnota")) for typ in ("web", "email", "telefon")},
        "poskytovana_od": pd.to_datetime(c.services["datum_od"]).dt.strftime("%Y-%m-%d"),
        "datum": c.datum.isoformat(),
        "registr_k": c.registr_k.isoformat(),
    })
    table = table[ENTRY_COLUMNS].astype(object)
    return table.where(table.notna(), None)


def by_type(table: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(druh_kod, druh_nazev, its entries) in the catalogue's order."""
    return [(str(kod), str(group["druh_nazev"].iloc[0]), group) for kod, group in table.groupby("druh_kod", sort=False)]


def form_order(forma: object) -> tuple[int, str]:
    """amb, pob, ter as the law lists them; other codes after them."""
    return (list(FORMS).index(forma), "") if isinstance(forma, str) and forma in FORMS else (len(FORMS), str(forma))
