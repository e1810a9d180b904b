"""Boundaries read from table `hranice` for the maps: of the obce of a territory and of the territory itself."""
from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
import pytest

from builders import empty_warehouse
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Territory
from pipeline.indicators import uzemi

SQUARE = '{"type":"Polygon","coordinates":[[[15,49],[15.1,49],[15.1,49.1],[15,49.1],[15,49]]]}'
TWO_PARTS = ('{"type":"MultiPolygon","coordinates":[[[[15,49,0],[15.1,49,0],[15.1,49.1,0],[15,49,0]]],'
             '[[[16,50],[16.1,50],[16.1,50.1],[16,50]]]]}')


def warehouse(rows: list[tuple[str, str, str]]) -> duckdb.DuckDBPyConnection:
    con = empty_warehouse()
    frame = pd.DataFrame(rows, columns=["uroven", "kod", "geometrie"]).assign(zdroj="test")
    con.register("incoming", frame)
    con.execute("INSERT INTO hranice BY NAME SELECT * FROM incoming")
    con.unregister("incoming")
    return con


def territory(typ: str, kod: str, obce: tuple[str, ...]) -> Territory:
    return Territory(Area(typ, kod, "Testov", obce))


def test_polygons_and_multipolygons_become_rings_of_lon_lat():
    con = warehouse([("obec", "1", SQUARE), ("obec", "2", TWO_PARTS)])
    shapes = uzemi.boundaries(con, "obec", ["2", "1", "1"])
    assert list(shapes) == ["1", "2"]
    (ring,), = shapes["1"]
    assert ring.shape == (5, 2) and (ring[0] == ring[-1]).all()
    assert len(shapes["2"]) == 2 and shapes["2"][0][0].shape == (4, 2)  # a third coordinate is dropped
    np.testing.assert_array_equal(shapes["2"][1][0][1], [16.1, 50])


def test_a_unit_twice_is_refused_with_the_advice():
    con = warehouse([("obec", "1", SQUARE), ("obec", "1", SQUARE)])
    with pytest.raises(SprssError, match="1 jsou ve skladu dat vícekrát"):
        uzemi.boundaries(con, "obec", ["1"])


def test_territory_boundaries_give_obce_and_the_outline_of_an_orp():
    con = warehouse([("obec", "1", SQUARE), ("obec", "2", SQUARE), ("obec", "3", SQUARE), ("orp", "6105", SQUARE)])
    shapes, outline = uzemi.territory_boundaries(con, territory("orp", "6105", ("1", "2")))
    assert list(shapes) == ["1", "2"] and list(outline) == ["6105"]


def test_an_obec_or_own_territory_has_no_outline_of_its_own():
    con = warehouse([("obec", "1", SQUARE), ("orp", "1", SQUARE)])
    for typ in ("obec", "vlastni"):
        shapes, outline = uzemi.territory_boundaries(con, territory(typ, "1", ("1",)))
        assert list(shapes) == ["1"] and outline == {}


def test_an_older_warehouse_without_boundaries_gives_empty_maps():
    con = duckdb.connect()
    assert uzemi.territory_boundaries(con, SimpleNamespace(area=Area("orp", "6105", "Jihlava", ("1",)))) == ({}, {})
