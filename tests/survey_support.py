"""Shared by the survey tests (no tests here): fixture paths, a synthetic warehouse with ORP Jihlava, the CLI.

- the synthetic exports in tests/fixtures/synthetic_survey_* and what they hold (counted by hand in the tests);
- one warehouse built once per session from the synthetic territory, a synthetic publication k 1. 1. 2023 and
  synthetic age tables k 31. 12. 2020 (5-year groups for the small obce, single years for the others);
- `survey` wired into the CLI and `load_surveys` into the build, for as long as pipeline.cli.main/warehouse lack them.
"""
from datetime import date
from pathlib import Path
import subprocess

from builders import (FIXTURES, SYNTHETIC_STRUKTURA, AgeObec, Obec, copy_data_dir, invoke_sprss, write_age_table,
                      write_publication)
from pipeline.cli import main as cli
from pipeline.cli.survey import survey_app
from pipeline.core.config import DataDir
from pipeline.raw import snapshots as raw
from pipeline.warehouse import build as warehouse

GOOGLE_CSV = FIXTURES / "synthetic_survey_google_jihlava.csv"
GOOGLE_XLSX = FIXTURES / "synthetic_survey_google_jihlava.xlsx"
GOOGLE_CODEBOOK = FIXTURES / "synthetic_survey_google_jihlava.codebook.yaml"
SURVIO_XLSX = FIXTURES / "synthetic_survey_survio_jihlava.xlsx"
PLAIN_XLSX = FIXTURES / "synthetic_survey_plain_starostove.xlsx"
PLAIN_CODEBOOK = FIXTURES / "synthetic_survey_plain_starostove.codebook.yaml"
AGE_DATE = date(2020, 12, 31)
# the obce of ORP Jihlava in the synthetic territory, with made-up population k 1. 1. 2023 (men, women)
SURVEY_OBCE = [Obec("586846", "Jihlava", 25500, 27048), Obec("586943", "Brtnice", 1900, 1950),
               Obec("587095", "Dušejov", 300, 310), Obec("587290", "Jihlávka", 120, 130),
               Obec("587346", "Kamenice", 640, 650), Obec("587478", "Luka nad Jihlavou", 1600, 1650),
               Obec("587711", "Polná", 2600, 2700), Obec("587931", "Stonařov", 600, 620),
               Obec("588032", "Třešť", 2800, 2950)]
UNDER_1000 = {"587095", "587290"}

_CACHE: dict[str, DataDir] = {}


def age_obec(obec: Obec, years: int) -> AgeObec:
    """Made-up counts per age group that fall with age and add up to about the obec's population."""
    shape = [years + 40 - age if years == 86 else 20 - age for age in range(years)]
    scale = [(obec.muzi / sum(shape)), (obec.zeny / sum(shape))]
    muzi, zeny = ([max(1, round(v * factor)) for v in shape] for factor in scale)
    return AgeObec(obec.kod, obec.nazev, muzi, zeny)


def write_survey_population(folder: Path) -> list[Path]:
    """The synthetic publication k 1. 1. 2023 and the two age tables k 31. 12. 2020 of SURVEY_OBCE."""
    return [write_publication(folder / "synthetic_obyvatele_2023.xlsx", SURVEY_OBCE, date_text="1. 1. 2023"),
            write_age_table(folder / "synthetic_vek_do_999_2020.xlsx",
                            [age_obec(o, 18) for o in SURVEY_OBCE if o.kod in UNDER_1000]),
            write_age_table(folder / "synthetic_vek_nad_1000_2020.xlsx",
                            [age_obec(o, 86) for o in SURVEY_OBCE if o.kod not in UNDER_1000], single_years=True)]


def base_data_dir(tmp_path_factory) -> DataDir:
    """Territory, population 1. 1. 2023 and age 31. 12. 2020, built once; copy it before changing anything."""
    if "base" not in _CACHE:
        data = DataDir(tmp_path_factory.mktemp("survey_base"))
        inputs = write_survey_population(tmp_path_factory.mktemp("survey_inputs"))
        snapshots = [raw.stage(SYNTHETIC_STRUKTURA), raw.stage(inputs[0]),
                     *(raw.stage(path, reference_date=AGE_DATE) for path in inputs[1:])]
        warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
        _CACHE["base"] = data
    return _CACHE["base"]


def fresh_data_dir(tmp_path_factory, tmp_path) -> DataDir:
    return copy_data_dir(base_data_dir(tmp_path_factory), tmp_path / "data")


def sprss(*args, data: DataDir) -> subprocess.CompletedProcess:
    """`sprss --data-dir D ARGS…` in-process, with the `survey` commands registered."""
    if not any(group.name == "survey" for group in cli.app.registered_groups):
        cli.app.add_typer(survey_app, name="survey")
    return invoke_sprss(*args, data=data)


def import_google(data: DataDir, name: str = "obcane", export: Path = GOOGLE_CSV, *extra) -> subprocess.CompletedProcess:
    return sprss("survey", "import", export, "--codebook", GOOGLE_CODEBOOK, "--territory", "orp:Jihlava",
                 "--name", name, *extra, data=data)


def one_czech_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("Chyba:"), result.stderr
    assert "\n" not in message, result.stderr
    return message
