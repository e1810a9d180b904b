"""The Context of the main callback (--data-dir, --debug, consoles) reaches every command, `survey` ones included."""
import ast
from pathlib import Path

import pytest
import typer

from builders import invoke_sprss
from pipeline.cli import app
from pipeline.core.config import DataDir

FIXTURES = Path(__file__).parents[1] / "fixtures"
CODE_LIST = FIXTURES / "synthetic_mpsv_ciselnik_formy.json"  # imports on its own into an empty data dir
SURVEY = FIXTURES / "synthetic_survey_google_jihlava.csv"
CODEBOOK = FIXTURES / "synthetic_survey_google_jihlava.codebook.yaml"
MISSING = "Sklad dat {warehouse} neexistuje"
BUILT = "Sklad dat {warehouse}:"

# command -> (arguments, what it says about the data dir passed with --data-dir, whether that dir holds an empty warehouse)
CASES = {
    "import": ([CODE_LIST], BUILT, False),
    "fetch": (["mpsv_ciselniky:formy-soc-sluzby", "--mirror", "{mirror}"], BUILT, False),
    "build": ([], BUILT, False),
    "indicators": (["--territory", "orp:Jihlava"], MISSING, False),
    "territories": (["jihl"], MISSING, False),
    "run": (["--territory", "orp:Jihlava"], BUILT, False),  # builds the empty warehouse, then finds no obce
    "coverage": (["--territory", "orp:Jihlava"], MISSING, False),
    "catalogue": (["--territory", "orp:Jihlava", "--format", "csv"], MISSING, False),
    "changes": (["--territory", "orp:Jihlava", "--from", "2025-01-01"], MISSING, False),
    "financing": (["--territory", "orp:Jihlava"], MISSING, False),
    "report": (["--territory", "orp:Jihlava"], MISSING, False),
    "projection": (["--territory", "orp:Jihlava"], MISSING, False),
    # init reads the obce only where a warehouse exists: the empty one of this data dir has none
    "survey init": ([SURVEY], "Ve skladu dat nejsou obce", True),
    "survey import": ([SURVEY, "--codebook", CODEBOOK, "--territory", "orp:Jihlava", "--name", "obcane"], MISSING, False),
    "survey tabulate": (["--name", "obcane"], MISSING, False),
    "survey report": (["--name", "obcane"], MISSING, False),
    "plan init": (["--output", "plan.xlsx"], MISSING, False),  # the template without the registry's codes
    "plan evaluate": (["plan.xlsx", "--territory", "orp:Jihlava"], MISSING, False),
}


def leaf_commands(group: typer.core.TyperGroup, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            names += leaf_commands(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def test_every_command_has_a_case():
    assert sorted(leaf_commands(typer.main.get_command(app))) == sorted(CASES)


@pytest.mark.parametrize("command", sorted(CASES))
def test_command_uses_the_data_dir_of_the_main_callback(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default ./data would be tmp_path/data: a command ignoring --data-dir misses it
    data = DataDir(tmp_path / "zvoleny")
    mirror = tmp_path / "zrcadlo"
    (mirror / "od/soubory/ciselniky").mkdir(parents=True)
    (mirror / "od/soubory/ciselniky/formy-soc-sluzby.json").write_bytes(CODE_LIST.read_bytes())
    args, expected, with_empty_warehouse = CASES[command]
    if with_empty_warehouse:
        assert invoke_sprss("build", data=data).returncode == 0
    result = invoke_sprss(*command.split(), *[str(a).format(mirror=mirror) for a in args], data=data)
    assert expected.format(warehouse=data.warehouse) in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_command_modules_never_import_the_module_that_builds_the_app():
    """pipeline/cli/main.py imports the command modules; the other way round would be a cycle."""
    cli = Path(__file__).parents[2] / "pipeline" / "cli"
    for path in cli.glob("*.py"):
        if path.name in ("main.py", "__init__.py", "__main__.py"):
            continue
        nodes = list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
        imported = {node.module for node in nodes if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
        assert not imported & {"pipeline.cli", "pipeline.cli.main"}, path.name
