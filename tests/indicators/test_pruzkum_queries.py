"""What the survey chapter reads about a stored survey besides its tabulations: when it was answered, which
age table its age bands are compared with, and why rows were rejected."""
from datetime import date, datetime
from types import SimpleNamespace

import duckdb

from builders import empty_warehouse
from pipeline.indicators import pruzkum


def warehouse() -> duckdb.DuckDBPyConnection:
    con = empty_warehouse()
    con.executemany("INSERT INTO pruzkum_obce VALUES (?, ?, ?, NULL)",
                    [("p", "1", "Jedna"), ("p", "2", "Dvě"), ("q", "3", "Tři")])
    con.executemany("INSERT INTO pruzkum_respondenti VALUES (?, ?, ?, ?)",
                    [("p", 1, "1", datetime(2025, 3, 2, 10)), ("p", 2, "2", datetime(2025, 3, 1, 9)),
                     ("p", 3, "1", None), ("q", 1, "3", datetime(2024, 1, 1))])
    con.executemany("INSERT INTO populace_vek VALUES (?, ?, 'muzi', 0, 4, 10, 'test')",
                    [("1", date(2023, 12, 31)), ("2", date(2024, 12, 31)), ("3", date(2025, 12, 31))])
    con.executemany("INSERT INTO pruzkum_odmitnute VALUES (?, ?, ?)",
                    [("p", 4, "duplicitní odeslání"), ("p", 5, "neznámá obec 'X'"), ("q", 2, "jiný průzkum")])
    return con


def survey(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name)


def test_submission_period_is_first_and_last_time_of_that_survey():
    assert pruzkum.submission_period(warehouse(), survey("p")) == (datetime(2025, 3, 1, 9), datetime(2025, 3, 2, 10))
    assert pruzkum.submission_period(warehouse(), survey("none")) == (None, None)


def test_age_table_date_is_the_newest_among_the_surveys_obce():
    assert pruzkum.age_table_date(warehouse(), survey("p")) == date(2024, 12, 31)
    assert pruzkum.age_table_date(warehouse(), survey("none")) is None


def test_rejection_reasons_of_that_survey_only():
    assert sorted(pruzkum.rejection_reasons(warehouse(), survey("p"))) == ["duplicitní odeslání", "neznámá obec 'X'"]
