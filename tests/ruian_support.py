"""The RÚIAN MapServer for the tests: ArcGIS GeoJSON answers (FeatureCollection, features with `properties: {kod}`,
Polygon/MultiPolygon in lon/lat) split into pages, served on the MapServer's query path by a local HTTP server.

Real shapes are decoded at test time from the TopoJSON and GeoJSON files in ../shared (never committed): the obce
of ORP Jihlava with the geo_hranice_obci parser, the ORP outline with geo_hranice_uzemi.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
import json
from urllib.parse import urlsplit

from werkzeug import Request, Response

from builders import ORP_GEOJSON, STRUKTURA, TOPOJSON, real
from pipeline.sources import cuzk_ruian_hranice as ruian
from pipeline.sources import geo_hranice_obci, geo_hranice_uzemi

FIXTURE_OBCE = "synthetic_cuzk_ruian_obce.geojson"
# ORP Jihlava in both registers (Struktura území ČR 2025): RÚIAN codes of ORP, okres and kraj differ from ČSÚ ones
ORP_JIHLAVA = {"csu": "6105", "ruian": "1503"}
OKRES_JIHLAVA = {"csu": "40665", "ruian": "3707"}
KRAJ_VYSOCINA = {"csu": "3107", "ruian": "108"}


def feature(number: int, kod: str | int, geometry: dict) -> dict:
    """One feature as ArcGIS writes it: a numeric object id, the geometry, `kod` as an integer."""
    return {"type": "Feature", "id": number, "geometry": geometry, "properties": {"kod": int(kod)}}


def collection(features: list[dict], exceeded: str | None = None) -> dict:
    """`exceeded`: None, "top" (`exceededTransferLimit` beside `features`) or "properties" (inside `properties`),
    the two places ArcGIS versions put it."""
    answer: dict = {"type": "FeatureCollection", "features": features}
    if exceeded == "top":
        answer["exceededTransferLimit"] = True
    elif exceeded == "properties":
        answer["properties"] = {"exceededTransferLimit": True}
    return answer


def pages(features: list[dict], per_page: int) -> list[bytes]:
    """A transfer-limited answer: every page but the last says exceededTransferLimit (alternately in both places)."""
    chunks = [features[i:i + per_page] for i in range(0, len(features), per_page)] or [[]]
    return [json.dumps(collection(chunk, None if i == len(chunks) - 1 else ("top", "properties")[i % 2]),
                       separators=(",", ":")).encode() for i, chunk in enumerate(chunks)]


def square(index: int) -> dict:
    x, y = 15.40 + 0.05 * (index % 4), 49.30 + 0.04 * (index // 4)
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 0.05, y], [x + 0.05, y + 0.04], [x, y + 0.04], [x, y]]]}


def squares(codes: list[str]) -> list[dict]:
    return [feature(i + 1, kod, square(i)) for i, kod in enumerate(codes)]


def query_path(edition: str) -> str:
    return urlsplit(ruian.META.urls[list(ruian.LEVELS).index(edition)].url).path


@dataclass
class MapServer:
    """Answers each layer's query by `resultOffset`; `failures` are served, once each, before the real answer of
    a (edition, offset): e.g. an HTTP 500 the download retries, or an ArcGIS error page."""
    answers: dict[str, list[bytes]]
    failures: dict[tuple[str, int], list[Response]] = field(default_factory=dict)
    asked: list[dict[str, str]] = field(default_factory=list)

    def register(self, httpserver) -> None:
        for edition in self.answers:
            httpserver.expect_request(query_path(edition)).respond_with_handler(
                lambda request, edition=edition: self._answer(edition, request))

    def _answer(self, edition: str, request: Request) -> Response:
        self.asked.append(dict(request.args))
        offset = int(request.args.get("resultOffset", "0"))
        pending = self.failures.get((edition, offset))
        if pending:
            return pending.pop(0)
        start = 0
        for page in self.answers[edition]:
            if start == offset:
                return Response(page, content_type="application/geo+json")
            start += len(json.loads(page)["features"])
        return Response(json.dumps(collection([])), content_type="application/geo+json")


# --- real shapes, decoded at test time ----------------------------------------------------------------------


def jihlava_obce_codes() -> list[str]:
    with real(STRUKTURA).open(encoding="utf-8-sig") as handle:
        return sorted(row["obec_kod"] for row in csv.DictReader(handle) if row["orp_csu_cis65_kod"] == ORP_JIHLAVA["csu"])


def real_jihlava_features() -> dict[str, list[dict]]:
    """Per level the ArcGIS features of ORP Jihlava: its 78 obce (TopoJSON shapes) and its outline under the RÚIAN
    code (the ČSÚ GeoJSON shape of ORP 6105)."""
    codes = set(jihlava_obce_codes())
    obce = geo_hranice_obci.parse(real(TOPOJSON).read_bytes(), TOPOJSON.name, date(2022, 1, 1)).tables["hranice"]
    obce = obce[obce["kod"].isin(codes)]
    orp = geo_hranice_uzemi.parse(real(ORP_GEOJSON).read_bytes(), ORP_GEOJSON.name).tables["hranice"]
    outline = orp.loc[orp["kod"] == ORP_JIHLAVA["csu"], "geometrie"].iloc[0]
    return {"obce": [feature(i + 1, kod, json.loads(g)) for i, (kod, g) in enumerate(zip(obce["kod"], obce["geometrie"], strict=True))],
            "orp": [feature(1, ORP_JIHLAVA["ruian"], json.loads(outline))]}
