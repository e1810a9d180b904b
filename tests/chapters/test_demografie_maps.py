"""The maps of the demografie chapter: the change map's values and sentence on small made-up tables (every
sentence true for all declining, all growing, one obec, all suppressed, a break in the newest year, a boundary
change), and a kraj study mapping its ORP with the real ORP and kraj boundaries."""
from pathlib import Path

import duckdb
from matplotlib.colors import to_rgba
import numpy as np
import pandas as pd
import pytest

from builders import KRAJE_GEOJSON, ORP_GEOJSON, copy_data_dir, plain, real
from pipeline.chapters.demografie import change, data, periods
from pipeline.chapters.runner import render_study
from pipeline.core import territory
from pipeline.core.territory import Area
from pipeline.indicators import demografie as indicators
from pipeline.indicators.metadata import SeriesBreak
from pipeline.render import maps
from pipeline.render.document import verify
from pipeline.sources import geo_hranice_uzemi
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

HEAD = Area("orp", "9999", "Zkušebná", ("500001", "500002", "500003"))
OBCE = [Area("obec", "500001", "Alfa", ("500001",)), Area("obec", "500002", "Beta", ("500002",)),
        Area("obec", "500003", "Gama", ("500003",))]
YEARS = ["2019-01-01", "2020-01-01", "2021-01-01"]


def table(populations: dict[str, list[float]], dates: list[str] = YEARS) -> pd.DataFrame:
    """Made-up obyvatel_celkem of the obce (by code) at `dates`; the territory is their sum."""
    rows = [("obec", kod, "obyvatel_celkem", day, value) for kod, values in populations.items()
            for day, value in zip(dates, values, strict=True)]
    rows += [(HEAD.typ, HEAD.kod, "obyvatel_celkem", day, sum(v[i] for v in populations.values()))
             for i, day in enumerate(dates)]
    return pd.DataFrame(rows, columns=["uzemi_typ", "uzemi_kod", "ukazatel", "obdobi", "hodnota"])


def sentences(ind: pd.DataFrame, own: dict[Area, list[SeriesBreak]] | None = None) -> tuple[change.UnitChange, str]:
    found = change.unit_change(ind, HEAD, OBCE, own or {})
    assert found is not None
    return found, plain(" ".join(change.change_sentences(found)))


def test_one_period_function_for_the_text_and_the_map():
    dates = ["2010-01-01", "2020-12-31", "2021-01-01", "2022-01-01", "2023-01-01"]  # 31 Dec = the next 1 Jan
    assert periods.comparable_periods(dates) == [("2010-01-01", "2021-01-01")]
    assert periods.latest_comparable_period(dates) == ("2010-01-01", "2021-01-01")
    assert periods.latest_comparable_period(["2022-01-01", "2023-01-01"]) is None  # the 2023 break between them
    split = SeriesBreak("2016-01-01", "oddělení obce", "")  # an area's own break splits the period as well
    assert periods.comparable_periods(["2015-01-01", "2016-01-01", "2017-01-01"], [split]) == [("2016-01-01", "2017-01-01")]


def test_all_obce_declining():
    found, text = sentences(table({"500001": [1000, 990, 950], "500002": [500, 480, 450], "500003": [300, 300, 290]}))
    assert (found.start, found.end) == ("2019-01-01", "2021-01-01") and not found.later
    assert found.percent.to_dict() == {"500001": -5.0, "500002": -10.0, "500003": -3.3}
    assert "klesl u všech 3 hodnocených obcí" in text and "přírůstek" not in text and "vzrostl" not in text
    assert "; nejvyšší úbytek: Beta (−10,0 %)." in text  # no verb to agree with the name
    assert "mezi 1. 1. 2019 a 1. 1. 2021" in text and "Novější" not in text


def test_all_obce_growing_and_the_map_colours_agree():
    ind = table({"500001": [1000, 1010, 1050], "500002": [500, 520, 600], "500003": [300, 301, 303]})
    found, text = sentences(ind)
    assert "vzrostl u všech 3 hodnocených obcí" in text and "klesl" not in text
    shapes = {a.kod: [[np.array([[15 + i, 49], [15.9 + i, 49], [15.9 + i, 49.9], [15 + i, 49]])]] for i, a in enumerate(OBCE)}
    fig = maps.choropleth(found.percent, shapes, None, title="t", legend_title="Změna", unit="%", source_line="test",
                          diverging=True, hatched=found.hatched)
    faces = {p.get_gid(): p.get_facecolor() for p in fig.axes[0].patches}
    increase = {tuple(np.round(to_rgba(c), 6)) for c in maps.INCREASE}
    assert all(tuple(np.round(face, 6)) in increase for face in faces.values())


def test_one_obec_evaluated_the_others_small():
    found, text = sentences(table({"500001": [1000, 1020, 1050], "500002": [60, 70, 90], "500003": [99, 99, 120]}))
    assert found.hatched == {"500002": change.SMALL, "500003": change.SMALL}
    assert "lze uvést jen u obce Alfa: počet obyvatel vzrostl o 5,0 %" in text
    assert "neuvádí u 2 obcí s méně než 100 obyvateli na začátku období: Beta a Gama" in text
    assert "hodnocených" not in text


def test_every_obec_suppressed():
    found, text = sentences(table({"500001": [40, 41, 45], "500002": [60, 70, 90], "500003": [99, 99, 120]}))
    assert found.percent.isna().all() and set(found.hatched.values()) == {change.SMALL}
    assert "nelze uvést u žádné části území" in text and "vzrostl" not in text
    shapes = {a.kod: [[np.array([[15 + i, 49], [15.9 + i, 49], [15.9 + i, 49.9], [15 + i, 49]])]] for i, a in enumerate(OBCE)}
    fig = maps.choropleth(found.percent, shapes, None, title="t", legend_title="Změna", unit="%", source_line="test",
                          diverging=True, hatched=found.hatched)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [maps._wrap(change.SMALL)]  # no empty scale


def test_a_break_in_the_newest_year_ends_the_period_before_it():
    dates = [*YEARS, "2022-01-01"]  # the SLDB 2021 revision lies between the last two stocks
    ind = table({"500001": [1000, 990, 980, 2000], "500002": [500, 505, 510, 100], "500003": [300, 300, 300, 900]}, dates)
    found, text = sentences(ind)
    assert found.end == "2021-01-01" and [b.popisek for b in found.later] == ["revize podle SLDB 2021"]
    assert found.percent.to_dict() == {"500001": -2.0, "500002": 2.0, "500003": 0.0}
    assert "Novější stavy nejsou se stavem k 1. 1. 2021 srovnatelné" in text and "revize podle SLDB 2021" in text
    assert "vzrostl u 1, klesl u 1 a po zaokrouhlení se nezměnil (0,0 %) u 1" in text
    assert "; nejvyšší přírůstek: Beta (+2,0 %), nejvyšší úbytek: Alfa (−2,0 %)." in text


def test_a_boundary_change_is_hatched_never_growth():
    ind = table({"500001": [1000, 1400, 1450], "500002": [500, 505, 510], "500003": [300, 290, 280]})
    transfer = SeriesBreak("2020-01-01", "převod obyvatel mezi obcemi", "K 1. 1. 2020 přešlo 400 obyvatel …")
    found, text = sentences(ind, {OBCE[0]: [transfer]})
    assert found.hatched == {"500001": change.BOUNDARY} and np.isnan(found.percent["500001"])
    assert "U 1 obce se v období změnily hranice" in text and ": Alfa;" in text
    assert "Ze 2 hodnocených obcí počet obyvatel vzrostl u 1 a klesl u 1" in text
    assert "Alfa (+" not in text  # the transfer is never read as growth


def test_a_unit_without_a_start_in_todays_boundaries_is_hatched_not_missing():
    """ORP Ostrov gained an obec split from the military area Hradiště in ORP Karlovy Vary (1. 1. 2016): its 2019
    figure cannot be placed in today's boundaries; that is a boundary change, not a missing stock."""
    ind = table({"500001": [1000, 1010, 1020], "500002": [500, 505, 510], "500003": [300, 290, 280]})
    ind = ind[~((ind.uzemi_kod == "500003") & (ind.obdobi == "2019-01-01"))]
    found = change.unit_change(ind, HEAD, OBCE, {}, unplaced={"500003"})
    assert found is not None and found.hatched == {"500003": change.BOUNDARY} and not found.missing
    text = plain(" ".join(change.change_sentences(found)))
    assert "U 1 obce se v období změnily hranice" in text and "chybí" not in text


def test_no_comparable_period_means_no_change_map():
    ind = table({"500001": [1000, 1100], "500002": [500, 505], "500003": [300, 290]}, ["2022-01-01", "2023-01-01"])
    assert change.unit_change(ind, HEAD, OBCE, {}) is None


# ---------------------------------------------------------------- a kraj maps its ORP (real files)


@pytest.fixture(scope="module")
def vysocina(real_warehouse, tmp_path_factory):
    """The real warehouse plus the real ORP and kraj boundaries (Olbrasoft-cr simplified GeoJSON)."""
    for path in (ORP_GEOJSON, KRAJE_GEOJSON):
        real(path)
    copy = copy_data_dir(real_warehouse, tmp_path_factory.mktemp("kraj") / "data")
    con = duckdb.connect(str(copy.warehouse))
    try:
        for path in (ORP_GEOJSON, KRAJE_GEOJSON):
            con.register("incoming", geo_hranice_uzemi.parse(path.read_bytes(), path.name).tables["hranice"])
            con.execute("INSERT INTO hranice BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
    finally:
        con.close()
    return copy


def test_kraj_vysocina_maps_its_15_orp_with_changes_summed_from_obce(vysocina):
    d = data.load("kraj:3107", vysocina.root)
    assert [a.typ for a in d.map_units] == ["orp"] * 15 and d.mapped
    assert set(d.shapes) == {a.kod for a in d.map_units} and list(d.outline) == ["3107"]
    found = d.unit_change()
    assert found is not None and not found.hatched
    with warehouse.connect(vysocina) as con:  # independently: the obce of each ORP summed
        chosen = territory.resolve("kraj:3107", load_obce(con))
        obce = indicators.compute(con, territory.obec_areas(chosen))
    population = obce[obce.ukazatel == "obyvatel_celkem"].set_index(["uzemi_kod", "obdobi"])["hodnota"]
    for unit in d.map_units:
        first = sum(population[(kod, found.start)] for kod in unit.obce)
        last = sum(population[(kod, found.end)] for kod in unit.obce)
        assert found.percent[unit.kod] == round((last - first) / first * 100, 1)
    fig = maps.choropleth(found.percent, d.shapes, d.outline, title="t", legend_title="Změna", unit="%",
                          source_line="test", diverging=True, labels=d.map_labels())
    assert {p.get_gid() for p in fig.axes[0].patches if p.get_gid()} == {a.kod for a in d.map_units}
    assert "Jihlava" in {t.get_text() for t in fig.axes[0].texts}


@pytest.mark.slow
def test_kraj_vysocina_study_has_orp_maps(vysocina, tmp_path):
    out = render_study("kraj:3107", tmp_path / "kraj", vysocina)
    charts = {Path(item["png"]).name: plain(item["popisek"]) for item in verify(out)["polozky"] if item["typ"] == "graf"}
    maps_drawn = {name: caption for name, caption in charts.items() if "mapa_" in name}
    assert [name.split("_", 1)[1] for name in maps_drawn] == ["mapa_zmena_obyvatel.png", "mapa_podil_65.png",
                                                             "mapa_index_stari.png"]
    assert all("podle ORP" in caption for caption in maps_drawn.values())
    page = plain((out / "studie.html").read_text(encoding="utf-8"))
    assert "Mapa ukazuje změnu počtu obyvatel ORP mezi" in page and "hodnocených ORP" in page


def test_a_missing_stock_is_named_and_left_grey():
    ind = table({"500001": [1000, 1010, 1020], "500002": [500, 505, 510], "500003": [300, 290, 280]})
    ind = ind[~((ind.uzemi_kod == "500003") & (ind.obdobi == "2019-01-01"))]
    found, text = sentences(ind)
    assert found.hatched == {} and [a.nazev for a in found.missing] == ["Gama"]
    assert "Ze 2 hodnocených obcí" not in text and "vzrostl u všech 2 hodnocených obcí" in text
    assert "chybí u 1 obce: Gama." in text


@pytest.mark.slow
def test_without_orp_boundaries_a_kraj_study_says_so_once(real_warehouse, tmp_path):
    d = data.load("kraj:3107", real_warehouse.root)  # the shared warehouse holds no boundaries
    assert len(d.map_units) == 15 and not d.shapes and not d.mapped
    out = render_study("kraj:3107", tmp_path / "kraj", real_warehouse)
    items = verify(out)["polozky"]
    assert not [i for i in items if i["typ"] == "graf" and "mapa_" in i["png"]]
    notes = [plain(str(i.get("text", ""))) for i in items if "hranice" in plain(str(i.get("text", "")))]
    assert notes == ["Mapy ORP nejsou k dispozici: v podkladech chybí hranice ORP."]
