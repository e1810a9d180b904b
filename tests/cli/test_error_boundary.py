"""One error boundary for all commands: a SprssError is one Czech line on stderr and exit code 1; --debug shows the
traceback. And `python -m pipeline.cli` is the same command line as `sprss`."""
import subprocess
import sys

import pytest

from builders import invoke_sprss, synthetic_population_data_dir


def one_czech_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("Chyba: "), message
    return message


@pytest.mark.parametrize("args", [["survey", "tabulate", "--name", "obcane"], ["indicators", "--territory", "orp:Jihlava"]])
def test_an_error_in_a_command_or_subcommand_is_one_czech_line(args, tmp_path):
    message = one_czech_line(invoke_sprss(*args, data=tmp_path / "prazdny"))
    assert "neexistuje" in message and "sprss import" in message


@pytest.mark.parametrize("args", [["coverage", "--territory", "orp:Jihlava", "--date", "31.12.2025"],
                                  ["survey", "init", "neexistuje.csv"]])
def test_invalid_input_of_a_subcommand_is_one_czech_line(args, tmp_path):
    one_czech_line(invoke_sprss(*args, data=tmp_path / "prazdny"))


def test_debug_shows_the_traceback_of_a_subcommand(tmp_path):
    result = invoke_sprss("--debug", "survey", "tabulate", "--name", "obcane", data=tmp_path / "prazdny")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "SprssError" in result.stderr and "Chyba:" not in result.stderr


def test_xlsx_without_output_is_the_same_error_in_every_command(tmp_path):
    messages = {one_czech_line(invoke_sprss(*args, "--format", "xlsx", data=tmp_path / "prazdny"))
                for args in (["survey", "tabulate", "--name", "obcane"], ["catalogue", "--territory", "orp:Jihlava"])}
    assert messages == {"Chyba: Formát xlsx potřebuje soubor: přidejte --output SOUBOR.xlsx."}


def test_python_m_pipeline_cli_help_is_czech():
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, text=True, timeout=60,
                            env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PATH": ""})
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Usage: sprss" in text and "Příkazy" in text and "survey" in text and "Adresář dat" in text


@pytest.mark.parametrize("args", [["indicators", "--territory", "orp:6105"], ["report", "--help"]])
def test_output_closed_by_its_reader_ends_quietly(args, tmp_path_factory):
    """`sprss … | head`: the reader closes the pipe before sprss has written everything (EPIPE). That is no fault of
    the command: no 'Chyba:' line about a system error, no traceback, a non-zero exit as a tool killed by SIGPIPE."""
    data = synthetic_population_data_dir(tmp_path_factory)
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--data-dir", str(data.root), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first byte
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) != 0
    assert "Chyba" not in errors and "Traceback" not in errors and "Exception ignored" not in errors


def test_ctrl_c_is_one_czech_line_and_exit_130(monkeypatch, tmp_path_factory):
    """typer turned Ctrl+C into exit 130 without a word; the analyst sees that the run was stopped."""
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.warehouse import build

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    data = synthetic_population_data_dir(tmp_path_factory)
    monkeypatch.setattr(build, "connect", interrupted)
    result = CliRunner().invoke(app, ["--data-dir", str(data.root), "indicators", "--territory", "orp:6105"])
    assert result.exit_code == 130 and "Přerušeno." in result.output and "Traceback" not in result.output
