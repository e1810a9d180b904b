"""Charts of the services chapter from the synthetic registry and territory only (no ../shared): golden image."""
import numpy as np
import pandas as pd
import pytest

from builders import assert_golden
from pipeline.chapters.sluzby import charts
from pipeline.chapters.sluzby import data as services_data
from registry_support import FIXTURE, ON, registry_data


@pytest.fixture(scope="module")
def jihlava(tmp_path_factory) -> services_data.ServicesData:
    data = registry_data(tmp_path_factory, (FIXTURE, ON))
    return services_data.load("orp:6105", data.root)


def test_services_by_type_counts_each_form(jihlava):
    counts = services_data.by_type_and_form(jihlava)
    assert counts.loc["13", "pob"] == 2 and counts.loc["4", ["amb", "ter"]].tolist() == [1, 1]


def test_golden_image(jihlava, tmp_path):
    fig = charts.services_by_type(services_data.by_type_and_form(jihlava),
                                  "Sociální služby se zařízením v území ORP Jihlava podle druhu a formy, 30. 6. 2025",
                                  jihlava.source())
    assert_golden(fig, "services_by_type", tmp_path)


def _square(x: float, y: float, side: float = 0.1) -> list[list[np.ndarray]]:
    return [[np.array([(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)])]]


def _labels(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _footer(fig) -> str:
    return fig.texts[-1].get_text().replace("\n", " ").replace("\xa0", " ")


def test_facility_map_names_every_unit_it_can_and_says_which_it_cannot():
    """A row of narrow obce with long names: the largest are named, the others listed below the map."""
    names = ["Obec s velmi dlouhým názvem nad řekou " + letter for letter in "ABCDEFG"]
    shapes = {str(500000 + n): _square(15 + n * 0.02, 49.5) for n in range(len(names))}
    counts = pd.DataFrame({"kod": list(shapes), "nazev": names, "zarizeni": [7, 6, 5, 4, 3, 2, 1]})
    fig = charts.facility_map(shapes, {}, counts, title="Zařízení", source="Zdroj: test", units="obcí")
    named = _labels(fig)
    assert named and named[0] == f"{names[0]} (7)"  # the most facilities first
    unnamed = [f"{name} ({n})" for name, n in zip(names, counts["zarizeni"], strict=True) if f"{name} ({n})" not in named]
    assert unnamed and _footer(fig).endswith(f"Název se do mapy nevešel u obcí: {', '.join(unnamed)}.")


def test_facility_map_counts_unnamed_units_when_there_are_many_and_is_silent_when_all_fit():
    shapes = {str(500000 + n): _square(15 + n * 0.02, 49.5) for n in range(12)}
    counts = pd.DataFrame({"kod": list(shapes), "nazev": [f"Obec s velmi dlouhým názvem {n}" for n in range(12)],
                           "zarizeni": range(12, 0, -1)})
    crowded = charts.facility_map(shapes, {}, counts, title="Zařízení", source="Zdroj: test", units="obcí")
    unnamed = 12 - len(_labels(crowded))
    assert unnamed > charts.MAX_LISTED
    assert _footer(crowded).endswith(f"U {unnamed} obcí se název do mapy nevešel; všechny uvádí tabulka za mapou.")
    apart = {kod: _square(15 + n * 2, 49.5 + (n % 2)) for n, kod in enumerate(list(shapes)[:3])}
    roomy = charts.facility_map(apart, {}, counts.head(3).assign(nazev=["Aš", "Bor", "Cheb"]), title="Zařízení",
                                source="Zdroj: test", units="obcí")
    assert sorted(_labels(roomy)) == ["Aš (12)", "Bor (11)", "Cheb (10)"] and _footer(roomy) == "Zdroj: test"
