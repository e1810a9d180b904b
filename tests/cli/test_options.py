"""Options shared by several commands (pipeline/cli/options.py) read the same in every command's help."""
import typer

from pipeline.cli import app


def params_by_option(group: typer.core.TyperGroup, prefix: str = "") -> dict[str, dict[str, str]]:
    """option name -> {command: help text} over all commands, `survey` subcommands included."""
    found: dict[str, dict[str, str]] = {}
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            for option, helps in params_by_option(command, f"{prefix}{name} ").items():
                found.setdefault(option, {}).update(helps)
            continue
        for param in command.params:
            for option in param.opts:
                found.setdefault(option, {})[prefix + name] = getattr(param, "help", None) or ""
    return found


def test_territory_and_output_have_one_help_text():
    options = params_by_option(typer.main.get_command(app))
    for option in ("--territory", "--output"):
        assert len(set(options[option].values())) == 1, options[option]
    assert {"indicators", "coverage", "catalogue", "changes", "report", "run", "survey import"} <= set(options["--territory"])


def test_date_is_either_the_reference_date_of_a_file_or_the_day_computed_for():
    dates = params_by_option(typer.main.get_command(app))["--date"]
    file_date = {dates["import"], dates["fetch"]}
    assert len(file_date) == 1
    assert {text for command, text in dates.items() if command not in ("import", "fetch")} == {dates["coverage"]}
    assert file_date != {dates["coverage"]}


def test_table_formats_share_one_help_text():
    formats = params_by_option(typer.main.get_command(app))["--format"]
    tables = {command: text for command, text in formats.items() if command != "catalogue"}  # catalogue adds html, docx
    assert set(tables) == {"indicators", "coverage", "changes", "financing", "survey tabulate", "projection"}
    assert len(set(tables.values())) == 1
