"""The list of imported files a study ends with, read from table `provenience`."""
from datetime import date, datetime

from builders import empty_warehouse
from pipeline.indicators import provenience


def test_files_by_source_then_date_then_name_without_the_bookkeeping_columns():
    con = empty_warehouse()
    rows = [("b.csv", "csu_b", date(2024, 1, 1), "https://example.cz/b"), ("a2.csv", "csu_a", date(2023, 1, 1), None),
            ("a1.csv", "csu_a", date(2023, 1, 1), None), ("a0.csv", "csu_a", date(2024, 1, 1), None)]
    con.executemany("INSERT INTO provenience (soubor, puvodni_nazev, zdroj, referencni_datum, sha256, velikost, importovano, url)"
                    " VALUES (?, ?, ?, ?, 'abc', 1, ?, ?)",
                    [(name, name, source, on, datetime(2025, 1, 1), url) for name, source, on, url in rows])
    files = provenience.imported_files(con)
    assert list(files.columns) == ["zdroj", "puvodni_nazev", "referencni_datum", "url"]
    assert list(files["puvodni_nazev"]) == ["a1.csv", "a2.csv", "a0.csv", "b.csv"]
    assert files["url"].tolist()[-1] == "https://example.cz/b"
