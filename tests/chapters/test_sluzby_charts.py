"""Charts of the services chapter from the synthetic registry and territory only (no ../shared): golden image."""
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
