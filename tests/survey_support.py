"""Shared by the survey tests (no tests here): fixture paths, a synthetic warehouse with ORP Jihlava, the CLI.

- the synthetic exports in tests/fixtures/synthetic_survey_* and what they hold (counted by hand in the tests);
- the warehouse with the synthetic territory and population of ORP Jihlava (builders.synthetic_population_data_dir);
- `sprss` run in-process.
"""
from pathlib import Path
import subprocess

from builders import FIXTURES, copy_data_dir, invoke_sprss, synthetic_population_data_dir
from pipeline.core.config import DataDir

GOOGLE_CSV = FIXTURES / "synthetic_survey_google_jihlava.csv"
GOOGLE_XLSX = FIXTURES / "synthetic_survey_google_jihlava.xlsx"
GOOGLE_CODEBOOK = FIXTURES / "synthetic_survey_google_jihlava.codebook.yaml"
SURVIO_XLSX = FIXTURES / "synthetic_survey_survio_jihlava.xlsx"
PLAIN_XLSX = FIXTURES / "synthetic_survey_plain_starostove.xlsx"
PLAIN_CODEBOOK = FIXTURES / "synthetic_survey_plain_starostove.codebook.yaml"


def base_data_dir(tmp_path_factory) -> DataDir:
    """Territory, population 1. 1. 2023 and age 31. 12. 2020; copy it before changing anything."""
    return synthetic_population_data_dir(tmp_path_factory)


def fresh_data_dir(tmp_path_factory, tmp_path) -> DataDir:
    return copy_data_dir(base_data_dir(tmp_path_factory), tmp_path / "data")


def sprss(*args, data: DataDir) -> subprocess.CompletedProcess:
    """`sprss --data-dir D ARGS…` in-process."""
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
