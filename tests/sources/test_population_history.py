"""The publications "Počet obyvatel v obcích ČR k 1. 1." of 2010–2019 (and any later year): codes written as numbers,
the 2011–2012 okres sub-headers with a stray number, obce that no longer exist. Every figure is checked against the
file itself, read here without the parser."""
from datetime import date
import io
import re

import pytest
import python_calamine

from builders import ALL_PUBLICATIONS, STRUKTURA, Obec, publication_rows, real, write_publication
from pipeline.core.errors import FormatError
from pipeline.sources import csu_pocet_obyvatel, csu_struktura_uzemi

# rows per year as documented in ../shared/data/SOURCES.md 7.1
OBCE_PER_YEAR = {2010: 6250, 2011: 6251, 2012: 6251, 2013: 6253, 2014: 6253, 2015: 6253}


def file_rows(path) -> list[tuple[str, str, str, int, int, int]]:
    """(okres, obec code, name, total, men, women) of every row whose second cell is an obec code, read directly."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    found = []
    for row in book.get_sheet_by_name(book.sheet_names[0]).to_python():
        code = str(int(row[1])) if isinstance(row[1], float) else str(row[1]).strip()
        if re.fullmatch(r"\d{6}", code):
            found.append((str(row[0]), code, str(row[2]), int(row[3]), int(row[4]), int(row[5])))
    return found


@pytest.fixture(scope="module")
def today_codes():
    return set(csu_struktura_uzemi.parse(real(STRUKTURA).read_bytes(), STRUKTURA.name).tables["obce"]["obec_kod"])


@pytest.mark.parametrize("year", sorted(ALL_PUBLICATIONS))
def test_every_year_equals_its_file(year):
    path = real(ALL_PUBLICATIONS[year])
    parsed = csu_pocet_obyvatel.parse(path.read_bytes(), path.name)
    assert parsed.reference_date == date(year, 1, 1)
    expected = file_rows(path)
    table = parsed.tables["populace_celkem"]
    counts = table.pivot(index="obec_kod", columns="pohlavi", values="pocet")
    assert len(counts) == len(expected) == OBCE_PER_YEAR.get(year, 6258)
    # ČR = the file's total (the sum of its obec rows; the file has no ČR row)
    assert int(counts["celkem"].sum()) == sum(r[3] for r in expected)
    for okres, code, name, total, men, women in expected[::97]:
        assert counts.loc[code].to_dict() == {"celkem": total, "muzi": men, "zeny": women}
    listed = parsed.tables["obce_publikace"].set_index("obec_kod")
    assert len(listed) == len(expected)
    assert {(o, c, n) for o, c, n, *_ in expected} == set(zip(listed["okres_lau_kod"], listed.index,
                                                              listed["obec_nazev"], strict=True))


def test_national_totals_as_published():
    """ČR k 1. 1. 2010 as SOURCES.md states it, and the years the 2011–2012 sub-header trap used to refuse."""
    totals = {}
    for year in (2010, 2011, 2012):
        path = real(ALL_PUBLICATIONS[year])
        table = csu_pocet_obyvatel.parse(path.read_bytes(), path.name).tables["populace_celkem"]
        totals[year] = int(table.loc[table["pohlavi"] == "celkem", "pocet"].sum())
    assert totals == {2010: 10_506_813, 2011: 10_486_731, 2012: 10_505_445}


@pytest.mark.parametrize("year", sorted(OBCE_PER_YEAR))
def test_brdy_is_the_only_obec_missing_today(year, today_codes):
    path = real(ALL_PUBLICATIONS[year])
    listed = csu_pocet_obyvatel.parse(path.read_bytes(), path.name).tables["obce_publikace"]
    gone = listed[~listed["obec_kod"].isin(today_codes)]
    assert gone[["obec_kod", "obec_nazev", "okres_lau_kod"]].values.tolist() == [["539996", "Brdy", "CZ020B"]]


def test_codes_written_as_numbers_become_six_digit_text():
    """2010 has obec codes 500011 and 500020 as numbers (SOURCES.md 7.1)."""
    path = real(ALL_PUBLICATIONS[2010])
    table = csu_pocet_obyvatel.parse(path.read_bytes(), path.name).tables["populace_celkem"]
    assert {"500011", "500020"} <= set(table["obec_kod"])
    assert table["obec_kod"].map(type).eq(str).all() and table["obec_kod"].str.fullmatch(r"\d{6}").all()


def test_stray_number_in_a_subheader_is_skipped_but_counts_without_code_are_refused(tmp_path):
    path = write_publication(tmp_path / "synthetic_obyvatele.xlsx",
                             [Obec("586846", "Jihlava", 100, 110), Obec("587290", "Jihlávka", 5, 6)])
    from openpyxl import load_workbook
    book = load_workbook(path)
    sheet = book.active
    row = publication_rows(path)["587290"][0]
    sheet.insert_rows(row)
    sheet.cell(row, 1, "Okres Kroměříž")
    sheet.cell(row, sheet.max_column, 0)  # the stray 0 of 2011–2012, in the last (average age) column
    book.save(path)
    parsed = csu_pocet_obyvatel.parse(path.read_bytes(), path.name)
    assert sorted(parsed.tables["populace_celkem"].query("pohlavi == 'celkem'")["pocet"]) == [11, 210]

    for col in range(1, sheet.max_column + 1):  # a row with counts but no code is an error, not a sub-header
        sheet.cell(row, col, None)
    sheet.cell(row, 3, 5)
    sheet.cell(row, 4, 2)
    sheet.cell(row, 5, 3)
    book.save(path)
    with pytest.raises(FormatError, match=f"řádek {row}: řádek s počty nemá platný kód obce"):
        csu_pocet_obyvatel.parse(path.read_bytes(), path.name)
