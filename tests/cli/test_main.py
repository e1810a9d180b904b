"""The `sprss` command line: Czech help, `territories` search, data dir selection, clean errors and `run`."""
import io

import pandas as pd
import pytest

from builders import copy_data_dir, invoke_sprss, run_sprss

COMMANDS = ["import", "fetch", "build", "indicators", "territories", "run"]


def test_help_is_czech():
    result = run_sprss("--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for command in COMMANDS:
        assert command in text
    for czech in ("analytická část plánů rozvoje sociálních služeb", "Adresář dat", "Importovat soubory",
                  "Přestavět sklad dat", "Demografické ukazatele území", "Vyhledat území", "Vše pro jedno území",
                  "Při chybě vypsat celý traceback"):
        assert czech in text, czech


def test_help_has_no_english_option_text():
    assert "Show this message and exit" not in run_sprss("--help").stdout


@pytest.mark.parametrize("command, czech", [
    ("import", "Vynutit zdroj"),
    ("indicators", "uzemi = území a srovnání"),
    ("territories", "Část názvu nebo kód"),
    ("build", "stejné snímky"),
])
def test_command_help_is_czech(command, czech):
    result = invoke_sprss(command, "--help")
    assert result.returncode == 0
    assert czech in " ".join(result.stdout.split())


def test_territories_search_lists_orp_jihlava(real_warehouse):
    result = run_sprss("territories", "jihl", data=real_warehouse)
    assert result.returncode == 0, result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 2}
    assert "orp:6105" in lines
    cells = [c.strip() for c in lines["orp:6105"].split("│")[1:-1]]
    assert cells == ["orp:6105", "Jihlava", "Jihlava", "Kraj Vysočina", "78"]
    for selector in ("obec:586846", "pou:61051", "okres:40665", "obec:587290"):
        assert selector in lines


def test_territories_search_without_diacritics_and_by_level(real_warehouse):
    result = invoke_sprss("territories", "jindrichuv", "--level", "orp", data=real_warehouse)
    assert result.returncode == 0, result.stderr
    assert "orp:3105" in result.stdout and "Jindřichův Hradec" in result.stdout
    assert "obec:" not in result.stdout and "okres:" not in result.stdout


def test_territories_no_match(real_warehouse):
    result = invoke_sprss("territories", "xyzzy", data=real_warehouse)
    assert result.returncode != 0
    assert "Žádné území neodpovídá" in result.stderr and "xyzzy" in result.stderr
    assert "Traceback" not in result.stderr


def test_data_dir_from_environment(real_warehouse, tmp_path):
    result = run_sprss("territories", "jihl", "--level", "orp", cwd=tmp_path,
                       env={"SPRSS_DATA_DIR": str(real_warehouse.root)})
    assert result.returncode == 0, result.stderr
    assert "orp:6105" in result.stdout


def test_missing_warehouse_is_a_clean_error(tmp_path):
    result = run_sprss("indicators", "--territory", "orp:Jihlava", data=tmp_path / "prazdny")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and "neexistuje" in message and "sprss import" in message
    assert not (tmp_path / "prazdny").exists() or not any((tmp_path / "prazdny").rglob("*.duckdb"))


def test_debug_shows_traceback_for_a_selector_error(real_warehouse):
    result = run_sprss("--debug", "indicators", "--territory", "obec:999999", data=real_warehouse)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "999999" in result.stderr


def test_invalid_option_value_fails_without_traceback(real_warehouse):
    result = invoke_sprss("indicators", "--territory", "orp:6105", "--level", "kraj", data=real_warehouse)
    assert result.returncode not in (0, None)
    assert "Traceback" not in result.stderr
    assert "--level" in result.stderr


def test_unknown_source_option(real_warehouse, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    copy = copy_data_dir(real_warehouse, tmp_path / "data")
    result = invoke_sprss("import", "--source", "neexistuje", path, data=copy)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Neznámý zdroj 'neexistuje'" in result.stderr and "csu_pocet_obyvatel" in result.stderr


def test_invalid_date_option(real_warehouse, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = invoke_sprss("import", "--date", "31.12.2020", path, data=real_warehouse)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "RRRR-MM-DD" in result.stderr


def test_run_writes_csv_and_xlsx_for_the_territory(real_warehouse, tmp_path):
    copy = copy_data_dir(real_warehouse, tmp_path / "data")
    out = tmp_path / "vystupy"
    result = invoke_sprss("run", "--territory", "orp:Jihlava", "--out", out, data=copy)
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(out / "ukazatele.csv", dtype={"uzemi_kod": str})
    expected = invoke_sprss("indicators", "--territory", "orp:Jihlava", "--level", "vse", data=copy).stdout
    assert written.equals(pd.read_csv(io.StringIO(expected), dtype={"uzemi_kod": str}))
    assert (out / "ukazatele.xlsx").stat().st_size > 0
    assert "102\u202f996" in result.stdout  # the summary shows ORP Jihlava's population k 1. 1. 2023
