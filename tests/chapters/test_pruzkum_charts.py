"""Charts of the survey chapter from the synthetic Google Forms export and territory only (no ../shared): golden
image of the shares of missing services."""
import pytest

from builders import assert_golden
from pipeline.chapters.pruzkum import charts
from pipeline.chapters.pruzkum import data as survey_chapter
from survey_support import fresh_data_dir, import_google


@pytest.fixture(scope="module")
def obcane(tmp_path_factory) -> survey_chapter.SurveyChapter:
    data = fresh_data_dir(tmp_path_factory, tmp_path_factory.mktemp("grafy_pruzkumu"))
    result = import_google(data)
    assert result.returncode == 0, result.stderr
    return survey_chapter.load("obcane", "orp:Jihlava", data.root)


def test_golden_image(obcane, tmp_path):
    question = obcane.missing_services()
    assert question == "sluzby_obci_chybi"
    assert_golden(charts.shares(obcane.answers, question, obcane.name), "survey_shares", tmp_path)
