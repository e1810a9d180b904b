"""Official boundaries of obce, ORP, okresy and kraje from RÚIAN (ČÚZK), into table `hranice_ruian`.

ČÚZK publishes RÚIAN as an ArcGIS REST MapServer with one polygon layer per level; `sprss fetch` asks each layer
for the units in force (`platido IS NULL`), WGS84 GeoJSON simplified to 0.001° (~100 m), and follows the pages of
the answer (`resultOffset`) while a page is full or says `exceededTransferLimit`. The pages of one level are stored
as one archive (`obce.zip` of `obce-0001.geojson`, `obce-0002.geojson`, …). A single FeatureCollection from the same
query downloaded in a browser is read as well; its level comes from the file name.

RÚIAN codes of ORP, okresy and kraje are not the ČSÚ codes sprss keys everything by (ORP Jihlava: RÚIAN 1503,
ČSÚ 6105); the warehouse model `hranice_z_ruian` translates them through table `obce`. Obec codes are the same.
The answer carries no date: it is RÚIAN as of the download day (`--date` for a file downloaded earlier).
"""
from datetime import date
import io
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
import zipfile

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.core.files import reproducible_archive
from pipeline.sources.base import NOT_STATED, OfficialUrl, Parsed, SourceMeta, require_reference_date
from pipeline.sources.geo_hranice_obci import check_rings, check_wgs84, geometry_json, load_json
from pipeline.sources.geo_hranice_uzemi import LEVELS as CSU_CODE_PROPERTIES
from pipeline.sources.geo_hranice_uzemi import check_crs, geojson_polygons

MAPSERVER = "https://ags.cuzk.cz/arcgis/rest/services/RUIAN/MapServer"
PAGE_SIZE = 2000
SIMPLIFY = 0.001  # degrees (~100 m): small enough pages, invisible at the scale of a study's maps
# edition (also the file name) -> (uroven in `hranice`, MapServer layer, Czech name of the units)
LEVELS = {
    "obce": ("obec", 12, "obec"),
    "orp": ("orp", 14, "ORP"),
    "okresy": ("okres", 15, "okres"),
    "kraje": ("kraj", 17, "kraj"),
}
DOCUMENTED = ("MapServer ČÚZK (vrstvy 12 Obec, 14 ObecSRozšířenouPůsobností, 15 Okres, 17 VÚSC), dotaz tak, "
              "jak ho používá balíček ruian-import 0.9.0 (PyPI, _arcgis.py)")


def query_url(layer: int, offset: int = 0) -> str:
    """The documented query of one page: units in force, their RÚIAN code and WGS84 GeoJSON geometry."""
    query = {"where": "platido IS NULL", "outFields": "kod", "returnGeometry": "true", "outSR": "4326",
             "f": "geojson", "maxAllowableOffset": str(SIMPLIFY), "resultOffset": str(offset),
             "resultRecordCount": str(PAGE_SIZE)}
    return f"{MAPSERVER}/{layer}/query?{urlencode(query)}"


META = SourceMeta(
    id="cuzk_ruian_hranice",
    title="Hranice obcí, ORP, okresů a krajů z RÚIAN (ČÚZK)",
    publisher="Český úřad zeměměřický a katastrální (ČÚZK), Registr územní identifikace, adres a nemovitostí (RÚIAN)",
    citation="ČÚZK, RÚIAN, hranice územních jednotek",
    licence=NOT_STATED,
    reference_date="Den stažení (stav RÚIAN v tu chvíli); u souboru staženého dříve se zadává volbou --date.",
    urls=tuple(OfficialUrl(edition, query_url(layer), DOCUMENTED) for edition, (_, layer, _) in LEVELS.items()),
)

MEMBER = re.compile(rf"({'|'.join(LEVELS)})-(\d{{4}})\.geojson")
CODE = re.compile(r"\d{1,9}")
EXPECTED = "očekávána odpověď dotazu ArcGIS RÚIAN ve formátu GeoJSON (FeatureCollection s vlastností kod)"
NAMING = ("z názvu souboru nelze poznat úroveň; pojmenujte soubor podle úrovně: obce, orp, okresy nebo kraje "
          "(např. obce.geojson)")


def sniff(content: bytes) -> bool:
    if zipfile.is_zipfile(io.BytesIO(content)):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        return bool(names) and all(MEMBER.fullmatch(n) for n in names)
    if b'"FeatureCollection"' not in content[:2000]:
        return False
    try:
        collection = load_json(content, "GeoJSON")
    except FormatError:
        return False
    features = collection.get("features") if isinstance(collection, dict) else None
    first = features[0] if isinstance(features, list) and features and isinstance(features[0], dict) else {}
    properties = first.get("properties")
    # outFields=* adds names and parent codes; the ČSÚ GeoJSON of geo_hranice_uzemi has its own code properties
    return isinstance(properties, dict) and "kod" in properties and not set(properties) & set(CSU_CODE_PROPERTIES)


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    if zipfile.is_zipfile(io.BytesIO(content)):
        pages = _archived_pages(content)
    else:
        edition = _level_of(filename)
        collection = _collection(content)
        if _continues(collection):
            raise FormatError("soubor je jen jedna stránka odpovědi ArcGIS (exceededTransferLimit: server poslal jen "
                              f"část jednotek); stáhněte všechny stránky příkazem sprss fetch {META.id}:{edition}")
        pages = {edition: [(None, collection)]}
    rows: dict[tuple[str, str], str] = {}
    for edition, collections in pages.items():
        uroven, _, name = LEVELS[edition]
        for page, collection in collections:
            for number, feature in enumerate(collection["features"], start=1):
                where = f"{page}: prvek č. {number}" if page else f"prvek č. {number}"
                kod = _code(feature, where)
                what = f"{where} ({name} {kod})"
                if (uroven, kod) in rows:
                    raise FormatError(f"{what} je v odpovědi dvakrát; každá jednotka smí být jen jednou")
                polygons = geojson_polygons(feature.get("geometry") or {}, what)
                check_rings(polygons, what)
                check_wgs84(polygons, what)
                rows[uroven, kod] = geometry_json(polygons)
    if not rows:
        raise FormatError(f"odpověď neobsahuje žádnou jednotku; {EXPECTED}")
    found = reference_date or require_reference_date(None, filename)
    hranice = pd.DataFrame([(uroven, kod, geometrie) for (uroven, kod), geometrie in rows.items()],
                           columns=["uroven", "kod_ruian", "geometrie"]).assign(stav_k=found)
    hranice = hranice.sort_values(["uroven", "kod_ruian"], ignore_index=True)
    return Parsed(META.id, found, {"hranice_ruian": hranice})


def next_page(url: str, content: bytes) -> str | None:
    """The URL of the page after the one `url` returned as `content`, or None after the last page."""
    collection = _collection(content)
    if not _continues(collection):
        return None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["resultOffset"] = str(int(query.get("resultOffset", "0")) + len(collection["features"]))
    return urlunsplit(parts._replace(query=urlencode(query)))


def archive(edition: str, pages: list[bytes]) -> tuple[str, bytes]:
    """The downloaded pages of one level as one deterministic ZIP (the same pages give the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for number, page in enumerate(pages, start=1):
            target.writestr(f"{edition}-{number:04d}.geojson", page)
    return f"{edition}.zip", reproducible_archive(buffer.getvalue())


def _continues(collection: dict) -> bool:
    """ArcGIS says a page is not the last by a full page or by exceededTransferLimit (top level or in properties)."""
    features = collection["features"]
    properties = collection.get("properties")
    exceeded = collection.get("exceededTransferLimit") or (
        isinstance(properties, dict) and properties.get("exceededTransferLimit"))
    return bool(features) and (len(features) >= PAGE_SIZE or exceeded is True)


def _collection(content: bytes) -> dict:
    collection = load_json(content, EXPECTED)
    if isinstance(collection, dict) and isinstance(collection.get("error"), dict):
        raise FormatError(f"server ArcGIS vrátil chybu místo dat: {_server_message(collection['error'])}")
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise FormatError(f"obsah není GeoJSON FeatureCollection; {EXPECTED}")
    check_crs(collection)
    return collection


def _member(source: zipfile.ZipFile, member: str) -> dict:
    try:
        return _collection(source.read(member))
    except FormatError as exc:
        raise FormatError(f"{member}: {exc.detail}") from exc


def _server_message(error: dict) -> str:
    """ArcGIS error body: {"error": {"code": 400, "message": "…", "details": ["…"]}}."""
    message = str(error.get("message") or "bez popisu").strip()
    details = [str(d).strip() for d in error.get("details") or [] if str(d).strip()]
    code = error.get("code")
    return message + (f" ({'; '.join(details)})" if details else "") + (f", kód {code}" if code is not None else "")


def _archived_pages(content: bytes) -> dict[str, list[tuple[str | None, dict]]]:
    """Pages of each level in order; a missing page or an archive that stops before the last page is refused."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = sorted(source.namelist())
        bad = [m for m in members if not MEMBER.fullmatch(m)]
        if bad or not members:
            raise FormatError(f"archiv obsahuje soubor {bad[0] if bad else '(žádný)'}; očekávány stránky odpovědi "
                              "pojmenované <úroveň>-<číslo stránky>.geojson (např. obce-0001.geojson)")
        pages: dict[str, list[tuple[str | None, dict]]] = {}
        for member in members:
            edition, number = MEMBER.fullmatch(member).groups()  # type: ignore[union-attr]  # checked above
            listed = pages.setdefault(edition, [])
            if int(number) != len(listed) + 1:
                raise FormatError(f"v archivu chybí stránka {len(listed) + 1} úrovně {edition} (následuje {member}); "
                                  "archiv je neúplný")
            listed.append((member, _member(source, member)))
    for edition, listed in pages.items():
        last_name, last = listed[-1]
        if _continues(last):
            raise FormatError(f"{last_name}: po poslední stránce úrovně {edition} měly následovat další "
                              "(plná stránka nebo exceededTransferLimit); archiv je neúplný")
        early = next((name for name, page in listed[:-1] if not _continues(page)), None)
        if early:
            raise FormatError(f"{early}: stránka není plná ani neohlašuje další, a přesto po ní v archivu další "
                              "následují; očekáván archiv stažený příkazem sprss fetch")
    return pages


def _level_of(filename: str) -> str:
    words = set(re.split(r"[^a-z]+", filename.lower()))
    found = [edition for edition in LEVELS if edition in words]
    if len(found) != 1:
        raise FormatError(NAMING)
    return found[0]


def _code(feature: Any, what: str) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict) or "kod" not in properties:
        raise FormatError(f"{what}: chybí vlastnost kod; {EXPECTED}")
    value = properties["kod"]
    kod = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not CODE.fullmatch(kod):
        raise FormatError(f"{what}: kod = {value!r} není číselný kód RÚIAN; očekáváno celé číslo (např. 586846)")
    return kod
