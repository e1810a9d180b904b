"""Choropleth maps from table `hranice`: ORP Jihlava's obce with made-up values, rendered deterministically."""
from datetime import date
import math

import duckdb
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
import numpy as np
import pandas as pd
from PIL import Image
import pytest

from builders import ORP_GEOJSON, REPO, STRUKTURA, TOPOJSON, assert_golden, real
from pipeline.core.errors import SprssError
from pipeline.core.text import czech_number
from pipeline.indicators import uzemi
from pipeline.render import maps, style
from pipeline.sources import geo_hranice_obci, geo_hranice_uzemi

JIHLAVA_ORP = "6105"


def insert(con, frame: pd.DataFrame) -> None:
    con.register("incoming", frame)
    con.execute("INSERT INTO hranice BY NAME SELECT * FROM incoming")
    con.unregister("incoming")


@pytest.fixture(scope="module")
def con():
    for path in (TOPOJSON, ORP_GEOJSON, STRUKTURA):
        real(path)
    con = duckdb.connect()
    con.execute((REPO / "pipeline" / "warehouse" / "models" / "uzemi" / "schema.sql").read_text(encoding="utf-8"))
    insert(con, geo_hranice_obci.parse(TOPOJSON.read_bytes(), TOPOJSON.name, date(2022, 1, 1)).tables["hranice"])
    insert(con, geo_hranice_uzemi.parse(ORP_GEOJSON.read_bytes(), ORP_GEOJSON.name).tables["hranice"])
    return con


@pytest.fixture(scope="module")
def jihlava_obce() -> pd.DataFrame:
    struktura = pd.read_csv(STRUKTURA, dtype=str, keep_default_na=False)
    return struktura[struktura["orp_csu_cis65_kod"] == JIHLAVA_ORP]


@pytest.fixture(scope="module")
def shapes(con, jihlava_obce):
    return uzemi.boundaries(con, "obec", jihlava_obce["obec_kod"])


def made_up_values(jihlava_obce) -> pd.Series:
    """Made-up test values (not real data), two obce without a value."""
    values = pd.Series(np.linspace(12.0, 31.5, len(jihlava_obce)).round(1), index=jihlava_obce["obec_kod"].to_numpy())
    values.iloc[[3, 40]] = np.nan
    return values


def render(shapes, jihlava_obce):
    towns = jihlava_obce[jihlava_obce["obec_kod"].isin(jihlava_obce["pou_sidlo_obec_kod"])]
    return maps.choropleth(
        made_up_values(jihlava_obce), shapes, {JIHLAVA_ORP: maps.outline(shapes)},
        title="Testovací hodnoty v obcích ORP Jihlava (smyšlená data)", legend_title="Testovací ukazatel", unit="%",
        source_line="smyšlené testovací hodnoty; hranice obcí: TopoJSON",
        labels=dict(zip(towns["obec_kod"], towns["obec_text"])))


def test_load_shapes_returns_every_obec_of_the_orp(shapes, jihlava_obce):
    assert list(shapes) == sorted(jihlava_obce["obec_kod"])
    xmin, ymin, xmax, ymax = maps.bounds({"586846": shapes["586846"]})
    assert 15.45 < xmin < xmax < 15.75 and 49.25 < ymin < ymax < 49.55
    ring = shapes["586846"][0][0]
    assert ring.shape[1] == 2 and (ring[0] == ring[-1]).all()


def test_load_shapes_other_levels_and_missing_units(con):
    assert list(uzemi.boundaries(con, "orp", [JIHLAVA_ORP, "9999"])) == [JIHLAVA_ORP]
    assert uzemi.boundaries(con, "kraj", ["3107"]) == {}


def test_load_shapes_refuses_duplicates():
    con = duckdb.connect()
    con.execute((REPO / "pipeline" / "warehouse" / "models" / "uzemi" / "schema.sql").read_text(encoding="utf-8"))
    geometry = '{"type":"Polygon","coordinates":[[[15,49],[15.1,49],[15.1,49.1],[15,49]]]}'
    insert(con, pd.DataFrame({"uroven": "obec", "kod": ["586846", "586846"], "geometrie": geometry, "zdroj": "x"}))
    with pytest.raises(SprssError, match="586846 jsou ve skladu dat vícekrát"):
        uzemi.boundaries(con, "obec", ["586846"])


def test_choropleth_png_300_dpi_identical_twice(shapes, jihlava_obce, tmp_path):
    first, _ = style.save(render(shapes, jihlava_obce), tmp_path, "first")
    second, _ = style.save(render(shapes, jihlava_obce), tmp_path, "second")
    assert first.exists() and first.read_bytes() == second.read_bytes()
    with Image.open(first) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert image.width == pytest.approx(maps.FIG_WIDTH * 300, abs=1)


def test_choropleth_svg_identical_twice(shapes, jihlava_obce, tmp_path):
    _, first = style.save(render(shapes, jihlava_obce), tmp_path, "first")
    _, second = style.save(render(shapes, jihlava_obce), tmp_path, "second")
    assert first.read_bytes() == second.read_bytes()
    assert b'id="586846"' in first.read_bytes()  # obce keep their codes in the SVG


def test_choropleth_draws_every_obec_and_a_readable_legend(shapes, jihlava_obce):
    fig = render(shapes, jihlava_obce)
    ax = fig.axes[0]
    drawn = {patch.get_gid() for patch in ax.patches if patch.get_gid()}
    assert drawn == set(jihlava_obce["obec_kod"])
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians(49.4)), rel=0.01)
    assert not ax.axison
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert len(legend) == 6 and legend[-1] == "bez údaje"
    assert legend[0].startswith("12,0–") and legend[4].endswith("–31,5")
    assert all("," in label and "." not in label for label in legend[:5])
    assert fig.legends[0].get_title().get_text() == "Testovací ukazatel (%)"
    texts = [text.get_text() for text in fig.texts]
    assert texts[0].startswith("Testovací hodnoty") and texts[1].startswith("Zdroj: smyšlené")
    labels = {text.get_text() for text in ax.texts}
    assert "Jihlava" in labels and labels <= set(jihlava_obce["obec_text"])


def test_no_data_obce_are_grey(shapes, jihlava_obce):
    fig = render(shapes, jihlava_obce)
    missing = set(made_up_values(jihlava_obce).loc[lambda v: v.isna()].index)
    for patch in fig.axes[0].patches:
        if patch.get_gid() in missing:
            assert patch.get_hatch() == maps.NO_DATA["hatch"]


def test_values_for_obce_without_boundaries_are_named_in_the_footer(shapes, jihlava_obce):
    values = pd.concat([made_up_values(jihlava_obce), pd.Series({"599999": 20.0})])
    fig = maps.choropleth(values, shapes, None, title="Test", legend_title="Test", unit="", source_line="Zdroj: test")
    assert "599999" in fig.texts[1].get_text()


def test_outline_of_two_squares_is_their_union():
    left = [[np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)]]
    right = [[np.array([[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]], dtype=float)]]
    (ring,), = maps.outline({"a": left, "b": right})
    assert ring[0].tolist() == ring[-1].tolist() and len(ring) == 7
    assert sorted(map(tuple, ring[:-1].tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]


def test_class_breaks_and_czech_labels():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, np.nan])
    breaks = maps.class_breaks(values, classes=5, decimals=1)
    assert breaks[0] == 1.0 and breaks[-1] == 10.0 and len(breaks) == 6
    assert maps._class_label([1.0, 2.8, 10.0], 1, 1) == "2,9–10,0"
    assert maps.class_breaks(pd.Series([5.0, 5.0]), decimals=0) == [5.0, 5.0]
    assert maps._class_label([5.0, 5.0], 0, 0) == "5"
    assert czech_number(-1234.56, 1) == "\u22121\u202f234,6"
    assert czech_number(-0.01, 1) == "0,0"


def test_label_point_avoids_holes_and_drawing_leaves_them_empty():
    frame = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    hole = np.array([[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]], dtype=float)  # clockwise or not, it stays a hole
    x, y = maps.label_point([[frame, hole]])
    assert not (1 < x < 3 and 1 < y < 3)
    fig = maps.choropleth(pd.Series({"500001": 1.0}), {"500001": [[frame / 10 + [15, 49], hole / 10 + [15, 49]]]},
                          None, title="Test", legend_title="Test", unit="", source_line="test")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    ax = fig.axes[0]
    centre = ax.transData.transform((15.2, 49.2)).astype(int)
    filled = ax.transData.transform((15.05, 49.05)).astype(int)
    height = pixels.shape[0]
    assert pixels[height - centre[1], centre[0], :3].tolist() == [255, 255, 255]
    assert pixels[height - filled[1], filled[0], :3].tolist() != [255, 255, 255]


# ---------------------------------------------------------------- change maps: diverging, symmetric, hatched

CHANGES = pd.Series({"500001": -8.0, "500002": -3.0, "500003": -0.4, "500004": 0.0, "500005": 0.5, "500006": 2.0,
                     "500007": 12.0, "500008": np.nan, "500009": 7.0, "500010": -1.0})


def squares(codes) -> dict[str, list]:
    return {kod: [[np.array([[15 + i, 49], [15.9 + i, 49], [15.9 + i, 49.9], [15 + i, 49.9], [15 + i, 49]],
                            dtype=float)]] for i, kod in enumerate(codes)}


def change_map(values: pd.Series, hatched: dict[str, str] | None = None):
    return maps.choropleth(values, squares(values.index), None, title="Změna (smyšlená data)", legend_title="Změna",
                           unit="%", source_line="test", diverging=True, hatched=hatched)


def test_change_classes_are_symmetric_around_zero_and_never_straddle_it():
    magnitudes = maps.symmetric_breaks(CHANGES)
    assert magnitudes[-1] == 12.0 and magnitudes == sorted(magnitudes) and magnitudes[0] > 0
    legend = [t.get_text() for t in change_map(CHANGES).legends[0].get_texts()]
    sides = len(magnitudes)
    assert legend[sides] == "0,0" and len(legend) == 2 * sides + 1 + 1  # the scale, then 'bez údaje'
    down, up = legend[:sides], legend[sides + 1:2 * sides + 1]
    assert [label.replace("\u2212", "+").replace("méně", "více") for label in down[::-1]] == \
        [" až ".join(reversed(label.split(" až "))) if " až " in label else label for label in up]
    assert all(label.startswith("\u2212") and "+" not in label for label in down)  # a real minus sign, one sign a class
    assert all(label.startswith("+") and "\u2212" not in label for label in up)
    assert down[0].endswith("a méně") and up[-1].endswith("a více")  # open ends: only one side reaches 12,0


def test_change_map_colours_follow_the_sign():
    fig = change_map(CHANGES)
    faces = {p.get_gid(): tuple(p.get_facecolor()) for p in fig.axes[0].patches}
    family = {**{to_rgba(c): "down" for c in maps.DECREASE}, **{to_rgba(c): "up" for c in maps.INCREASE},
              to_rgba(maps.NO_CHANGE): "zero"}
    for kod, value in CHANGES.items():
        expected = "none" if np.isnan(value) else "zero" if value == 0 else "down" if value < 0 else "up"
        assert family.get(faces[kod], "none") == expected, kod
    assert fig.axes[0].patches[7].get_hatch() == maps.NO_DATA["hatch"]
    darkest = {kod for kod, face in faces.items() if face in (to_rgba(maps.DECREASE[0]), to_rgba(maps.INCREASE[-1]))}
    second = maps.symmetric_breaks(CHANGES)[-2]  # the same bounds on both sides: a class is about magnitude
    assert darkest == {kod for kod, value in CHANGES.items() if abs(value) > second} == {"500001", "500007", "500009"}


def test_hatched_reasons_have_their_own_pattern_and_legend_entry():
    small, boundary = "méně než 100 obyvatel: změna v % se neuvádí", "změna hranic v období: není růst ani pokles"
    fig = change_map(CHANGES, {"500001": small, "500007": boundary, "500002": small})
    patches = {p.get_gid(): p for p in fig.axes[0].patches}
    assert patches["500001"].get_hatch() == patches["500002"].get_hatch() == maps.HATCHES[0]["hatch"]
    assert patches["500007"].get_hatch() == maps.HATCHES[1]["hatch"]
    assert patches["500008"].get_hatch() == maps.NO_DATA["hatch"]
    legend = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    assert legend[-3:] == [small, boundary, "bez údaje"]
    assert maps.symmetric_breaks(CHANGES.drop(["500001", "500002", "500007"]))[-1] == 7.0  # hatched values leave the scale
    assert all(len(line) <= maps.LEGEND_CHARS for t in fig.legends[0].get_texts() for line in t.get_text().split("\n"))


def test_change_map_of_no_change_and_of_nothing_shown():
    legend = [t.get_text() for t in change_map(pd.Series({"500001": 0.0, "500002": 0.04})).legends[0].get_texts()]
    assert legend == ["0,0"]
    assert maps.symmetric_breaks(pd.Series([np.nan, 0.0])) == []


def test_a_reason_keeps_its_pattern_on_every_map():
    small, boundary = "méně než 100 obyvatel", "změna hranic v období"
    alone = change_map(CHANGES, {"500007": boundary}).axes[0].patches
    assert next(p for p in alone if p.get_gid() == "500007").get_hatch() == maps.HATCHES[0]["hatch"]
    fixed = maps.choropleth(CHANGES, squares(CHANGES.index), None, title="t", legend_title="t", unit="%",
                            source_line="test", diverging=True, hatched={"500007": boundary}, reasons=(small, boundary))
    assert next(p for p in fixed.axes[0].patches if p.get_gid() == "500007").get_hatch() == maps.HATCHES[1]["hatch"]
    assert small not in [t.get_text() for t in fixed.legends[0].get_texts()]  # only reasons that occur are listed


def test_golden_change_map(tmp_path):
    """The look of a change map: the symmetric PuOr scale, the neutral 0,0, two hatch reasons and 'bez údaje'."""
    fig = change_map(CHANGES, {"500001": "méně než 100 obyvatel: změna v % se neuvádí",
                               "500010": "změna hranic v období: není růst ani pokles"})
    assert_golden(fig, "change_map", tmp_path)


def test_without_an_outline_the_outer_border_is_drawn_under_the_units():
    """ČR of its kraje has no outline of its own: thick edges of every unit under the fills leave only the outer border
    visible (kraje from another file need not share edges, so no outline can be computed from them)."""
    square = squares(CHANGES.index)
    bare = maps.choropleth(CHANGES, square, None, title="t", legend_title="t", unit="%", source_line="t", diverging=True)
    under = [c for c in bare.axes[0].collections if c.get_gid() == maps.UNDERLAY]
    assert len(under) == 1 and len(under[0].get_paths()) == len(square)
    assert under[0].get_zorder() < min(p.get_zorder() for p in bare.axes[0].patches)
    assert under[0].get_linewidths()[0] == 2 * maps.OUTLINE["linewidth"]
    outlined = maps.choropleth(CHANGES, square, {"9999": maps.outline(square)}, title="t", legend_title="t", unit="%",
                               source_line="t", diverging=True)
    assert not [c for c in outlined.axes[0].collections if c.get_gid() == maps.UNDERLAY]
