"""Report charts on the real ČSÚ data: what they show (sums, breaks, Czech numbers), determinism, golden images.

Golden images: SPRSS_UPDATE_GOLDEN=1 pytest tests/chapters regenerates tests/golden/*.png; look at
them before committing.
"""
from datetime import date
from types import SimpleNamespace

from matplotlib.container import BarContainer
import matplotlib.dates as mdates
from matplotlib.patches import StepPatch
from PIL import Image
import pytest

from builders import assert_golden
from pipeline.chapters.demografie import charts
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area
from pipeline.indicators import demografie as indicators
from pipeline.indicators import metadata
from pipeline.render import style
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

AGE_DATE = "2020-12-31"


@pytest.fixture(scope="module")
def jihlava(real_warehouse):
    """ORP Jihlava, its 78 obce, two made-up oblasti and the kraj and ČR, as the report would load them."""
    with warehouse.connect(real_warehouse) as con:
        obce = load_obce(con)
        chosen = territory.resolve("orp:Jihlava", obce)
        comparisons = territory.comparisons(chosen, obce)
        obec_areas = territory.obec_areas(chosen)
        codes = [a.kod for a in obec_areas]
        oblasti = [Area("oblast", "sever", "Sever", tuple(codes[::2])), Area("oblast", "jih", "Jih", tuple(codes[1::2]))]
        ind = indicators.compute(con, [chosen.area, *obec_areas, *oblasti, *comparisons])
        pyr = indicators.age_pyramid(con, [chosen.area, *comparisons])
    return SimpleNamespace(area=chosen.area, obce=obec_areas, oblasti=oblasti, kraj=comparisons[0],
                           comparisons=comparisons, ind=ind, pyr=pyr)


def value(ind, area, code, obdobi):
    row = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.ukazatel == code) & (ind.obdobi == obdobi)]
    return float(row.hodnota.iloc[0])


def bars(ax):
    return [patch for container in ax.containers if isinstance(container, BarContainer) for patch in container]


def tick_labels(axis) -> list[str]:
    """Ticks are placed when asked for, by the rcParams in force: ask in the report style, as drawing does."""
    with style.context():
        return [t.get_text() for t in axis.get_ticklabels()]


def texts(fig) -> list[str]:
    """Every piece of text a reader sees."""
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title(loc="left"), *tick_labels(ax.xaxis),
                  *tick_labels(ax.yaxis), *(t.get_text() for t in ax.texts)]
    for legend in fig.legends:
        found += [t.get_text() for t in legend.get_texts()]
    return [t for t in found if t]


def all_charts(j):
    return {
        "trend": charts.population_trend(j.ind, j.area),
        "pyramid": charts.age_pyramid(j.pyr, j.area, j.kraj),
        "shares": charts.age_group_shares(j.ind, [j.area, *j.comparisons], AGE_DATE),
        "seniors": charts.seniors_over_time(j.ind, j.area),
        "by_obec": charts.indicator_by_area(j.ind, "index_stari", AGE_DATE, j.obce, [j.area, j.kraj]),
    }


# --- style -------------------------------------------------------------------------------------


def test_czech_number():
    assert style.czech_number(1234567.891, 2) == "1\u202f234\u202f567,89"
    assert style.czech_number(-1047) == "\u22121\u202f047"
    assert style.czech_number(-0.04, 1) == "0,0"
    formatter = style.CzechFormatter()
    assert formatter.format_ticks([0, 2.5, 5, 7.5]) == ["0,0", "2,5", "5,0", "7,5"]
    assert formatter.format_ticks([0, 50000, 100000]) == ["0", "50\u202f000", "100\u202f000"]


def test_source_line_lists_each_source_once():
    assert metadata.source_line(["index_stari"]) == "Zdroj: ČSÚ, Věkové složení obyvatelstva obcí k 31. 12.; výpočet sprss"
    assert metadata.source_line(["obyvatel_celkem", "podil_65_plus"]) == (
        "Zdroj: ČSÚ, Počet obyvatel v obcích České republiky k 1. 1.; "
        "ČSÚ, Věkové složení obyvatelstva obcí k 31. 12.; výpočet sprss")
    with pytest.raises(KeyError):
        metadata.source_line(["neznamy_ukazatel"])


# --- what the charts show ------------------------------------------------------------------------


def test_every_chart_has_title_axis_labels_and_source(jihlava):
    for name, fig in all_charts(jihlava).items():
        shown = texts(fig)
        assert fig.get_figwidth() == pytest.approx(16 / 2.54), name
        assert any(t.startswith("Zdroj: ČSÚ") and t.endswith("výpočet sprss") for t in shown), name
        assert any(t.get_fontweight() == "bold" and "Jihlava" in t.get_text() for t in fig.texts), name
        for ax in fig.axes:
            assert "(" in ax.get_xlabel() + ax.get_ylabel(), f"{name}: no unit in the axis labels"
        assert not any(word in " ".join(shown).lower().split() for word in ("population", "men", "women", "source")), name


def test_pyramid_bars_sum_to_population_and_outline_is_scaled(jihlava):
    fig = charts.age_pyramid(jihlava.pyr, jihlava.area, jihlava.kraj)
    ax = fig.axes[0]
    population_total = value(jihlava.ind, jihlava.area, "obyvatel_celkem", AGE_DATE)
    widths = [patch.get_width() for patch in bars(ax)]
    assert len(widths) == 2 * 18
    assert sum(w for w in widths if w < 0) == -value(jihlava.ind, jihlava.area, "obyvatel_muzi", AGE_DATE)
    assert sum(abs(w) for w in widths) == population_total == 100718
    outline = [patch for patch in ax.patches if isinstance(patch, StepPatch)]
    assert len(outline) == 2
    assert sum(abs(patch.get_data().values).sum() for patch in outline) == pytest.approx(population_total)
    ages = [t.get_text() for t in ax.get_yticklabels()]
    assert ages[0] == "0–4" and ages[-1] == "85+"


def test_trend_uses_1_january_and_marks_series_breaks(jihlava):
    fig = charts.population_trend(jihlava.ind, jihlava.area)
    ax = fig.axes[0]
    shown = texts(fig)
    assert tick_labels(ax.xaxis) == ["1. 1. 2020", "1. 1. 2021", "1. 1. 2022", "1. 1. 2023"]
    breaks = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(breaks) == len(metadata.series_breaks()) == 2
    for line, series_break, before in zip(breaks, metadata.series_breaks(), ("2021-01-01", "2022-01-01")):
        x = mdates.date2num(line.get_xdata()[0])
        assert mdates.date2num(date.fromisoformat(before)) < x < mdates.date2num(date.fromisoformat(series_break.datum))
        assert any(t.replace("\n", " ") == series_break.popisek for t in shown)
    assert ax.get_ylim()[0] > 0
    assert any("Osa y nezačíná nulou" in t for t in shown)
    assert "100\u202f718" in shown  # point labels in Czech notation


def test_tick_labels_use_decimal_comma_and_thin_space(jihlava):
    fig = charts.seniors_over_time(jihlava.ind, jihlava.area)
    counts, shares = (tick_labels(ax.yaxis) for ax in fig.axes)
    assert any("," in t for t in shares) and not any("." in t for t in shares)
    assert any("\u202f" in t for t in counts) and not any("," in t or "." in t for t in counts)
    assert tick_labels(fig.axes[0].xaxis) == ["31. 12. 2020"]  # the one age date still shows
    heights = [patch.get_height() for patch in bars(fig.axes[0])]
    assert heights == [value(jihlava.ind, jihlava.area, code, AGE_DATE) for code in ("obyvatel_65_plus", "obyvatel_80_plus")]


def test_age_group_shares_plot_the_indicator_values(jihlava):
    areas = [jihlava.area, *jihlava.comparisons]
    fig = charts.age_group_shares(jihlava.ind, areas, AGE_DATE)
    ax = fig.axes[0]
    for container, area in zip(ax.containers, areas):
        assert [p.get_height() for p in container] == [value(jihlava.ind, area, c, AGE_DATE) for c in charts.AGE_SHARES]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["ORP Jihlava", "Kraj Vysočina", "Česká republika"]
    with pytest.raises(SprssError, match="chybí"):
        charts.age_group_shares(jihlava.ind, areas, "2023-01-01")


def test_indicator_by_obec_stays_legible_with_78_obce(jihlava):
    fig = charts.indicator_by_area(jihlava.ind, "index_stari", AGE_DATE, jihlava.obce, [jihlava.area, jihlava.kraj])
    values = [patch.get_width() for ax in fig.axes for patch in bars(ax)]
    assert len(values) == 78
    assert values == sorted(values, reverse=True)
    assert max(values) == max(value(jihlava.ind, a, "index_stari", AGE_DATE) for a in jihlava.obce)
    names = [t for ax in fig.axes for t in ax.get_yticklabels()]
    assert len(names) == 78 and min(t.get_fontsize() for t in names) >= 6
    assert len(fig.axes) == 2 and fig.get_figheight() * 2.54 < 24  # two columns: fits an A4 page
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["ORP Jihlava: 120,1", "Kraj Vysočina: 132,8"]
    few = charts.indicator_by_area(jihlava.ind, "index_stari", AGE_DATE, jihlava.obce[:10], [jihlava.area])
    assert few.get_figheight() < fig.get_figheight()


def test_oblasti_stand_out_among_obce(jihlava):
    fig = charts.indicator_by_area(jihlava.ind, "podil_65_plus", AGE_DATE, jihlava.oblasti + jihlava.obce[:8],
                                   [jihlava.area, jihlava.kraj])
    ax = fig.axes[0]
    colours = {label.get_text(): patch.get_facecolor() for label, patch in zip(ax.get_yticklabels(), bars(ax))}
    assert colours["Sever"] == colours["Jih"] != colours[jihlava.obce[0].nazev]
    bold = {t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == {"Sever", "Jih"}
    assert {"obec", "oblast"} <= {t.get_text() for t in fig.legends[0].get_texts()}


# --- files ----------------------------------------------------------------------------------------


def test_saved_files_are_300_dpi_and_byte_identical(jihlava, tmp_path):
    first = style.save(charts.age_pyramid(jihlava.pyr, jihlava.area, jihlava.kraj), tmp_path / "a", "pyramida")
    second = style.save(charts.age_pyramid(jihlava.pyr, jihlava.area, jihlava.kraj), tmp_path / "b", "pyramida")
    for one, other in zip(first, second):
        assert one.read_bytes() == other.read_bytes(), one.name
    with Image.open(first[0]) as png:
        assert [round(d) for d in png.info["dpi"]] == [300, 300]
        assert png.width == int(16 / 2.54 * 300)
    assert b"<dc:date>" not in first[1].read_bytes()


@pytest.mark.parametrize("name", ["pyramid", "by_obec"])
def test_golden_image(jihlava, tmp_path, name):
    fig = {"pyramid": lambda: charts.age_pyramid(jihlava.pyr, jihlava.area, jihlava.kraj),
           "by_obec": lambda: charts.indicator_by_area(jihlava.ind, "index_stari", AGE_DATE, jihlava.obce,
                                                       [jihlava.area, jihlava.kraj])}[name]()
    assert_golden(fig, name, tmp_path)
