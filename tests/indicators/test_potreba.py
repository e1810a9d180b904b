"""The analyst's normatives (normativy.yaml): each value needs a unit, a source and a date."""
from datetime import date

import pytest

from pipeline.core.errors import SprssError
from pipeline.indicators.sluzby import potreba

GOOD = """normativy:
  - druh: "13"
    typ_kapacity: luzka
    hodnota: 30
    jednotka: lůžek na 1 000 obyvatel 80+
    zdroj: Střednědobý plán kraje (synthetic test)
    datum: 2024-06-30
"""


def test_the_shipped_file_has_no_normative_but_reads() -> None:
    assert potreba.normatives.__wrapped__(potreba.NORMATIVES_FILE) == ()


def test_a_normative_is_read_with_its_unit_source_and_date(tmp_path) -> None:
    path = tmp_path / "normativy.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (norm,) = potreba.normatives.__wrapped__(path)
    assert (norm.druh, norm.typ_kapacity, norm.hodnota, norm.datum) == ("13", "luzka", 30.0, date(2024, 6, 30))


@pytest.mark.parametrize(("change", "message"), [
    ("    jednotka: lůžek na 1 000 obyvatel 80+\n", "položka 1: chybí jednotka"),
    ("    zdroj: Střednědobý plán kraje (synthetic test)\n", "položka 1: chybí zdroj"),
    ("    datum: 2024-06-30\n", "datum None není datum"),
])
def test_a_normative_without_unit_source_or_date_is_one_czech_line(tmp_path, change, message) -> None:
    path = tmp_path / "normativy.yaml"
    path.write_text(GOOD.replace(change, ""), encoding="utf-8")
    with pytest.raises(SprssError, match=message) as error:
        potreba.normatives.__wrapped__(path)
    assert "\n" not in str(error.value)


def test_a_normative_that_is_not_a_number_is_refused(tmp_path) -> None:
    path = tmp_path / "normativy.yaml"
    path.write_text(GOOD.replace("hodnota: 30", "hodnota: třicet"), encoding="utf-8")
    with pytest.raises(SprssError, match="není nezáporné číslo"):
        potreba.normatives.__wrapped__(path)
