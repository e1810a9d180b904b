"""One SourceMeta per source: complete records, documented URLs, the fetch catalogue and every source line built from them."""
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pipeline import sources
from pipeline.chapters.demografie import tables
from pipeline.chapters.pruzkum import charts as survey_charts
from pipeline.cli import main as cli
from pipeline.core.errors import SprssError
from pipeline.indicators import metadata
from pipeline.raw import fetch, surveys
from pipeline.raw import snapshots as raw
from pipeline.sources.base import NOT_STATED, SourceMeta

FIXTURES = Path(__file__).parents[1] / "fixtures"
TEXT_FIELDS = ["id", "title", "publisher", "citation", "licence", "reference_date"]


@pytest.mark.parametrize("record", sources.RECORDS.values(), ids=lambda r: r.id)
def test_every_record_is_complete(record):
    assert [f.name for f in fields(SourceMeta)] == [*TEXT_FIELDS, "urls", "territory"], "a new field needs a check here"
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        assert value.strip() == value and value, f"{record.id}.{name} is empty or padded"
    assert sources.COMPUTED not in record.citation and not record.citation.startswith("Zdroj")
    assert record.reference_date.endswith("."), "the reference date is a Czech sentence"
    assert record.licence == NOT_STATED or "https://" in record.licence, "terms of use name where they are published"


def test_records_are_the_modules_the_survey_and_the_action_plan():
    assert [m.META.id for m in sources.SOURCES] == [m.__name__.rsplit(".", 1)[1] for m in sources.SOURCES]
    assert list(sources.RECORDS) == [*(m.META.id for m in sources.SOURCES), "pruzkum", "akcni_plan"]
    assert sources.meta("pruzkum").id == surveys.FOLDER  # a survey's snapshot folder is named after its source
    assert sources.TERRITORY_SOURCES == {"csu_struktura_uzemi", "csu_ciselniky"}
    with pytest.raises(SprssError, match="Neznámý zdroj 'csu_neznamy'"):
        sources.meta("csu_neznamy")


@pytest.mark.parametrize("record", sources.RECORDS.values(), ids=lambda r: r.id)
def test_every_url_names_where_it_is_documented(record):
    editions = [u.edition for u in record.urls]
    assert len(editions) == len(set(editions))
    for official in record.urls:
        assert official.url.startswith("https://") and official.documented_in.strip()


def test_fetch_catalogue_is_the_records():
    catalogue = fetch.catalogue()
    assert list(catalogue) == [m.META.id for m in sources.SOURCES]  # the survey is not downloadable
    for source_id, editions in catalogue.items():
        assert list(editions.values()) == list(sources.meta(source_id).urls)
    assert catalogue["mpsv_rpss"]["aktualni"].url == "https://data.mpsv.cz/od/soubory/rpss/rpss.json"
    assert list(catalogue["csu_opendata"]) == ["130141-2021", "130142-2018", "130149-2017"]
    assert catalogue["csu_pocet_obyvatel"] == {}


def test_a_listing_table_does_not_claim_a_computation():
    assert sources.source_line("evidence importovaných souborů", computed=False) == "Zdroj: evidence importovaných souborů"


def test_source_lines_have_one_form():
    assert sources.source_line("MPSV, Registr poskytovatelů sociálních služeb (stav k 30. 6. 2025)") == (
        "Zdroj: MPSV, Registr poskytovatelů sociálních služeb (stav k 30. 6. 2025); výpočet sprss")
    both = ("Zdroj: ČSÚ, Počet obyvatel v obcích České republiky k 1. 1.; "
            "ČSÚ, Věkové složení obyvatelstva obcí k 31. 12.; výpočet sprss")
    assert metadata.source_line(["obyvatel_celkem"]) == both
    assert metadata.source_line(["csu_pocet_obyvatel"]) == "Zdroj: ČSÚ, Počet obyvatel v obcích České republiky k 1. 1.; výpočet sprss"
    assert cli._source_line() == both
    assert survey_charts.source("obcane") == "Zdroj: dotazníkové šetření obcane; výpočet sprss"
    assert survey_charts.source("obcane", population=True) == (
        "Zdroj: dotazníkové šetření obcane; ČSÚ, počty obyvatel obcí; výpočet sprss")
    with pytest.raises(KeyError):
        metadata.source_line(["neznamy_zdroj"])


def test_indicator_sources_are_cited_from_the_records():
    assert metadata.source_titles() == {"csu_pocet_obyvatel": "ČSÚ, Počet obyvatel v obcích České republiky k 1. 1.",
                                        "csu_vekove_slozeni": "ČSÚ, Věkové složení obyvatelstva obcí k 31. 12."}


def test_appendix_lists_each_source_with_publisher_url_and_licence():
    study = SimpleNamespace(files=pd.DataFrame({"zdroj": ["mpsv_rpss", "csu_pocet_obyvatel", "mpsv_rpss", "stary_zdroj"]}))
    table = tables.source_records(study)
    assert list(table.frame["Zdroj"]) == ["ČSÚ, Počet obyvatel v obcích", "ČSÚ, Věkové složení obyvatelstva obcí",
                                          "MPSV, Registr poskytovatelů sociálních služeb"]
    rpss = table.frame.iloc[2]
    assert rpss["Vydavatel"] == "Ministerstvo práce a sociálních věcí (MPSV)"
    assert rpss["Oficiální adresa"] == "https://data.mpsv.cz/od/soubory/rpss/rpss.json"
    assert "https://data.mpsv.cz/web/data/podminky-uziti" in rpss["Licence"]
    assert table.frame.iloc[0]["Oficiální adresa"] == "neuvedena"
    assert table.source.startswith("Zdroj: ") and table.source.endswith("; výpočet sprss")


def test_appendix_cites_addresses_not_the_templates_sprss_fetches_with():
    table = tables.source_records(SimpleNamespace(files=pd.DataFrame({"zdroj": ["csu_datastat"]})))
    datastat = table.frame.set_index("Zdroj").loc["ČSÚ, DataStat (výběry a datové sady)", "Oficiální adresa"]
    assert datastat == "https://data.csu.gov.cz/api/dotaz/v1/data/vybery/OBY02AT02?format=JSON_STAT&rozsah=CELY_VYBER"


def test_snapshot_carries_the_source_id_of_its_record(tmp_path):
    snapshot = raw.stage(FIXTURES / "synthetic_mpsv_ciselnik_formy.json")
    assert snapshot.source_id == "mpsv_ciselniky" == snapshot.provenance["zdroj"]
    assert snapshot.meta is sources.meta("mpsv_ciselniky")
    assert snapshot.relative_path.startswith("mpsv_ciselniky/")
