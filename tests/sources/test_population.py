"""Population parsers on the real ČSÚ files (publications 2020–2023, age structure 2020, Praha) and on
synthetic workbooks in layouts no real file has (the header must be found by its content)."""
from datetime import date
import io

import pandas as pd
import pytest
import python_calamine

from builders import (
    AGE_1000_PLUS,
    AGE_PRAHA,
    AGE_UNDER_1000,
    JIHLAVA,
    JIHLAVKA,
    PRAHA,
    PUBLICATIONS,
    STRUKTURA,
    AgeObec,
    Obec,
    PublicationLayout,
    age_rows,
    flat_bands,
    publication_rows,
    real,
    write_age_table,
    write_publication,
)
from pipeline import sources
from pipeline.core.errors import FormatError
from pipeline.sources import csu_pocet_obyvatel, csu_struktura_uzemi, csu_vekove_slozeni

CR_TOTALS = {2020: 10_693_939, 2021: 10_701_777, 2022: 10_516_707, 2023: 10_827_529}
PRAHA_TOTALS = {2020: 1_324_277, 2021: 1_335_084, 2022: 1_275_406, 2023: 1_357_326}
CELKEM_COLUMNS = ["obec_kod", "obdobi", "pohlavi", "pocet", "prumerny_vek", "zdroj"]


def sheet_rows(path) -> list[list]:
    """The first sheet as the file has it (read without the parser, for spot checks)."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def by_sex(table: pd.DataFrame) -> pd.DataFrame:
    """obec_kod × (celkem, muzi, zeny) counts."""
    return table.pivot(index="obec_kod", columns="pohlavi", values="pocet")


@pytest.fixture(scope="module")
def publications():
    return {year: csu_pocet_obyvatel.parse(real(path).read_bytes(), path.name) for year, path in PUBLICATIONS.items()}


@pytest.fixture(scope="module")
def struktura_codes():
    parsed = csu_struktura_uzemi.parse(real(STRUKTURA).read_bytes(), STRUKTURA.name)
    return set(parsed.tables["obce"]["obec_kod"])


@pytest.fixture(scope="module")
def age_pair():
    return {path.name: csu_vekove_slozeni.parse(real(path).read_bytes(), path.name)
            for path in (AGE_UNDER_1000, AGE_1000_PLUS)}


# --- publication "Počet obyvatel v obcích ČR k 1. 1. RRRR": the four real files ----------------------


@pytest.mark.parametrize("year", sorted(PUBLICATIONS))
def test_real_publication_is_recognised_by_content(year):
    content = real(PUBLICATIONS[year]).read_bytes()
    assert sources.detect(content, "whatever.bin") is csu_pocet_obyvatel
    assert not csu_vekove_slozeni.sniff(content)


@pytest.mark.parametrize("year", sorted(PUBLICATIONS))
def test_real_publication_date_and_obce(publications, struktura_codes, year):
    parsed = publications[year]
    assert parsed.source_id == "csu_pocet_obyvatel"
    assert parsed.reference_date == date(year, 1, 1)
    table = parsed.tables["populace_celkem"]
    assert list(table.columns) == CELKEM_COLUMNS
    assert set(table["obdobi"]) == {date(year, 1, 1)}
    assert set(table["zdroj"]) == {"csu_pocet_obyvatel"}
    assert table.groupby("pohlavi")["obec_kod"].nunique().to_dict() == {"celkem": 6258, "muzi": 6258, "zeny": 6258}
    assert len(table) == 3 * 6258
    assert table["obec_kod"].str.fullmatch(r"\d{6}").all()
    assert set(table["obec_kod"]) == struktura_codes


@pytest.mark.parametrize("year", sorted(PUBLICATIONS))
def test_real_publication_cr_total_and_sexes(publications, year):
    counts = by_sex(publications[year].tables["populace_celkem"])
    assert int(counts["celkem"].sum()) == CR_TOTALS[year]
    assert (counts["muzi"] + counts["zeny"] == counts["celkem"]).all()
    assert (counts >= 0).all().all()
    # only the four military districts (vojenské újezdy) have nobody
    assert sorted(counts.index[counts["celkem"] == 0]) == ["503941", "545422", "555177", "592935"]


@pytest.mark.parametrize("year", sorted(PUBLICATIONS))
def test_real_publication_praha_first(publications, year):
    table = publications[year].tables["populace_celkem"]
    totals = table[table["pohlavi"] == "celkem"]
    assert totals.iloc[0]["obec_kod"] == "554782"
    assert totals.iloc[0]["pocet"] == PRAHA_TOTALS[year]


@pytest.mark.parametrize("year", sorted(PUBLICATIONS))
def test_real_publication_jihlava_matches_the_file(publications, year):
    rows = [r for r in sheet_rows(real(PUBLICATIONS[year])) if "586846" in [str(c) for c in r]]
    assert len(rows) == 1
    row = rows[0]
    start = [str(c) for c in row].index("586846") + 2  # code, name, then total/men/women, mean age ×3
    expected_counts = {"celkem": row[start], "muzi": row[start + 1], "zeny": row[start + 2]}
    expected_ages = {"celkem": row[start + 3], "muzi": row[start + 4], "zeny": row[start + 5]}
    table = publications[year].tables["populace_celkem"]
    jihlava = table[table["obec_kod"] == "586846"].set_index("pohlavi")
    assert jihlava["pocet"].to_dict() == {k: int(v) for k, v in expected_counts.items()}
    assert jihlava["prumerny_vek"].to_dict() == pytest.approx(expected_ages, abs=1e-12)


def test_real_publication_jihlava_2023_exact(publications):
    table = publications[2023].tables["populace_celkem"]
    jihlava = table[table["obec_kod"] == "586846"].set_index("pohlavi")
    assert jihlava["pocet"].to_dict() == {"celkem": 52548, "muzi": 25579, "zeny": 26969}
    assert jihlava.loc["celkem", "prumerny_vek"] == pytest.approx(42.83594, abs=1e-5)


def test_real_publication_okres_subheaders_are_not_obce(publications):
    """"Okres Benešov" rows sit between the data rows; none may become an obec or shift a value."""
    table = publications[2021].tables["populace_celkem"]
    benesov = table[(table["obec_kod"] == "529303")].set_index("pohlavi")["pocet"].to_dict()
    assert benesov == {"celkem": 16804, "muzi": 8055, "zeny": 8749}


# --- publication: a layout no real file has ----------------------------------------------------------


def synthetic_counts(parsed) -> dict[str, dict[str, int]]:
    counts = by_sex(parsed.tables["populace_celkem"])
    return {kod: {k: int(v) for k, v in row.items()} for kod, row in counts.iterrows()}


EXPECTED_SYNTHETIC = {
    "554782": {"celkem": 1_350_000, "muzi": 650_000, "zeny": 700_000},
    "586846": {"celkem": 52_600, "muzi": 25_600, "zeny": 27_000},
    "587290": {"celkem": 250, "muzi": 120, "zeny": 130},
    "587478": {"celkem": 3_250, "muzi": 1_600, "zeny": 1_650},
}

UNSEEN_LAYOUTS = {
    # 2024-like: notes sheet first, two blank rows under the title, 'Kód obce'/'Municipality code' after the
    # name, merged group headers, okres code moved to the last column, okres sub-headers, a footnote
    "name-code-okres-last": PublicationLayout(),
    "no-okres-column": PublicationLayout(okres_column=None, name_before_code=False),
    "okres-first": PublicationLayout(okres_column="first"),
    "no-merged-headers": PublicationLayout(merge_group_headers=False, extra_sheets=()),
    "blank-rows-above-title": PublicationLayout(leading_blank_rows=3),
    "no-blank-row-under-header": PublicationLayout(blank_rows_after_header=0, okres_subheaders=False),
}


@pytest.mark.parametrize("layout", UNSEEN_LAYOUTS.values(), ids=UNSEEN_LAYOUTS.keys())
def test_unseen_publication_layout_parses(tmp_path, layout):
    path = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx", layout=layout)
    content = path.read_bytes()
    assert sources.detect(content, path.name) is csu_pocet_obyvatel
    parsed = csu_pocet_obyvatel.parse(content, path.name)
    assert parsed.reference_date == date(2024, 1, 1)
    assert synthetic_counts(parsed) == EXPECTED_SYNTHETIC
    table = parsed.tables["populace_celkem"]
    ages = table[table["obec_kod"] == "586846"].set_index("pohlavi")["prumerny_vek"].to_dict()
    assert ages == pytest.approx({"celkem": 42.8, "muzi": 41.3, "zeny": 44.3})
    assert set(table["obdobi"]) == {date(2024, 1, 1)}


def test_unseen_publication_date_comes_from_the_title_not_the_file_name(tmp_path):
    path = write_publication(tmp_path / "synthetic_obyvatele_2019.xlsx", date_text="1. 1. 2025")
    parsed = csu_pocet_obyvatel.parse(path.read_bytes(), path.name)
    assert parsed.reference_date == date(2025, 1, 1)


def test_a_date_contradicting_the_title_is_refused(tmp_path):
    """`sprss import pub.xlsx topo.json --date 2022-01-01` (the date meant for the boundaries) dated the publication
    k 1. 1. 2023 as 1. 1. 2022 in the list of files a study rests on, while its counts kept the title's date."""
    path = write_publication(tmp_path / "synthetic_obyvatele_2025.xlsx", date_text="1. 1. 2025")
    assert csu_pocet_obyvatel.parse(path.read_bytes(), path.name, date(2025, 1, 1)).reference_date == date(2025, 1, 1)
    with pytest.raises(FormatError, match=r"publikace uvádí stav k 1\. 1\. 2025, zadáno bylo datum 1\. 1\. 2022; "
                                          r"volbu --date vynechte"):
        csu_pocet_obyvatel.parse(path.read_bytes(), path.name, date(2022, 1, 1))


def test_unseen_publication_two_blank_rows_under_header(tmp_path):
    path = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx",
                             layout=PublicationLayout(blank_rows_after_header=2))
    assert synthetic_counts(csu_pocet_obyvatel.parse(path.read_bytes(), path.name)) == EXPECTED_SYNTHETIC


def test_unseen_publication_subheader_above_first_obec(tmp_path):
    path = write_publication(tmp_path / "synthetic_obyvatele_2024.xlsx",
                             layout=PublicationLayout(subheader_before_first=True))
    assert synthetic_counts(csu_pocet_obyvatel.parse(path.read_bytes(), path.name)) == EXPECTED_SYNTHETIC


# --- publication: broken content, each with its message and row ------------------------------------


def parse_error(path) -> FormatError:
    with pytest.raises(FormatError) as caught:
        csu_pocet_obyvatel.parse(path.read_bytes(), path.name)
    message = str(caught.value)
    assert "\n" not in message
    return caught.value


def test_publication_missing_women_column(tmp_path):
    path = write_publication(tmp_path / "synthetic_bez_zen.xlsx", layout=PublicationLayout(omit=("zeny",)))
    error = parse_error(path)
    assert "chybí sloupce" in str(error) and "zeny" in str(error)
    assert "muzi" not in error.detail and "celkem" not in error.detail
    # the row points into the header block, above the first obec
    assert error.row is not None and 5 <= error.row < publication_rows(path)["554782"][0]


def test_publication_duplicated_obec(tmp_path):
    path = write_publication(tmp_path / "synthetic_duplicita.xlsx", [PRAHA, JIHLAVA, JIHLAVKA, JIHLAVA])
    error = parse_error(path)
    assert "duplicitní" in str(error) and "586846" in str(error)
    assert error.row == publication_rows(path)["586846"][1]


def test_publication_negative_count(tmp_path):
    path = write_publication(tmp_path / "synthetic_zaporne.xlsx", [PRAHA, JIHLAVA, Obec("587290", "Jihlávka", -5, 130)])
    error = parse_error(path)
    assert "záporný" in str(error) and "-5" in str(error)
    assert error.row == publication_rows(path)["587290"][0]


def test_publication_men_plus_women_differs_from_total(tmp_path):
    path = write_publication(tmp_path / "synthetic_soucet.xlsx", [PRAHA, Obec("586846", "Jihlava", 100, 100, celkem=201)])
    error = parse_error(path)
    assert "586846" in str(error) and "muži (100) + ženy (100) ≠ celkem (201)" in str(error)
    assert error.row == publication_rows(path)["586846"][0]


def test_publication_count_that_is_not_a_number(tmp_path):
    path = write_publication(tmp_path / "synthetic_text.xlsx", [PRAHA, Obec("586846", "Jihlava", 100, 100, celkem="sto")])
    error = parse_error(path)
    assert "'sto' není číslo" in str(error)
    assert error.row == publication_rows(path)["586846"][0]


def test_publication_error_row_counts_blank_rows_above_the_title(tmp_path):
    path = write_publication(tmp_path / "synthetic_soucet.xlsx", [PRAHA, Obec("586846", "Jihlava", 100, 100, celkem=201)],
                             layout=PublicationLayout(leading_blank_rows=2))
    assert parse_error(path).row == publication_rows(path)["586846"][0]


def test_publication_truncated_file(tmp_path):
    content = real(PUBLICATIONS[2021]).read_bytes()
    with pytest.raises(FormatError, match="XLSX"):
        csu_pocet_obyvatel.parse(content[: len(content) // 2], "population_2021.xlsx")
    assert not csu_pocet_obyvatel.sniff(content[: len(content) // 2])


def test_publication_without_title_is_refused(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx", [AgeObec("586846", "Jihlava", flat_bands(1), flat_bands(1))])
    assert not csu_pocet_obyvatel.sniff(path.read_bytes())
    with pytest.raises(FormatError, match="nenalezen nadpis"):
        csu_pocet_obyvatel.parse(path.read_bytes(), path.name)


# --- age structure: the real pair k 31. 12. 2020 -----------------------------------------------------


def test_real_age_pair_is_recognised_by_content():
    for path in (AGE_UNDER_1000, AGE_1000_PLUS, AGE_PRAHA):
        content = real(path).read_bytes()
        assert sources.detect(content, "x.xlsx") is csu_vekove_slozeni
        assert not csu_pocet_obyvatel.sniff(content)


def test_real_age_pair_date_from_file_name(age_pair):
    for parsed in age_pair.values():
        assert parsed.reference_date == date(2020, 12, 31)
        for table in parsed.tables.values():
            assert set(table["obdobi"]) == {date(2020, 12, 31)}


def test_real_age_pair_matches_published_cr_figures(age_pair):
    """DEMDCR1V k 31. 12. 2020: 10,701,777 inhabitants, 1,719,741 aged 0–14, 2,158,322 aged 65+, 447,526 aged 80+."""
    ages = pd.concat([p.tables["populace_vek"] for p in age_pair.values()], ignore_index=True)
    assert int(ages["pocet"].sum()) == 10_701_777
    assert int(ages.loc[ages["vek_do"] <= 14, "pocet"].sum()) == 1_719_741
    assert int(ages.loc[(ages["vek_od"] >= 15) & (ages["vek_do"] <= 64), "pocet"].sum()) == 10_701_777 - 1_719_741 - 2_158_322
    assert int(ages.loc[ages["vek_od"] >= 65, "pocet"].sum()) == 2_158_322
    assert int(ages.loc[ages["vek_od"] >= 80, "pocet"].sum()) == 447_526
    assert set(ages["pohlavi"]) == {"muzi", "zeny"}
    assert ages["obec_kod"].nunique() == 6258


def test_real_age_pair_totals_table(age_pair):
    totals = pd.concat([p.tables["populace_celkem"] for p in age_pair.values()], ignore_index=True)
    assert list(totals.columns) == CELKEM_COLUMNS
    counts = by_sex(totals)
    assert len(counts) == 6258
    assert int(counts["celkem"].sum()) == 10_701_777
    assert (counts["muzi"] + counts["zeny"] == counts["celkem"]).all()


def test_real_age_1000_plus_single_years_without_the_repeated_block(age_pair):
    ages = age_pair[AGE_1000_PLUS.name].tables["populace_vek"]
    bands = ages.groupby(["obec_kod", "pohlavi"])
    assert (bands.size() == 86).all()  # 0 … 84 and 85+, the 5-year block dropped
    assert (bands["vek_od"].nunique() == 86).all()
    assert sorted(set(zip(ages["vek_od"], ages["vek_do"].fillna(-1)))) == [(a, a) for a in range(85)] + [(85, -1)]
    # every obec equals its own 'Celkem' column in the file: no double counting
    rows = sheet_rows(AGE_1000_PLUS)
    header = rows[0]
    file_totals = {str(r[header.index("ZUJ")]): int(r[header.index("Celkem")]) for r in rows[1:] if r[0] == "celkem"}
    parsed_totals = ages.groupby("obec_kod")["pocet"].sum().to_dict()
    assert parsed_totals == file_totals
    assert parsed_totals["586846"] == 25_049 + 26_076  # Jihlava is a 1,000+ obec
    assert parsed_totals["554782"] == 1_335_084


def test_real_age_under_1000_five_year_groups(age_pair):
    ages = age_pair[AGE_UNDER_1000.name].tables["populace_vek"]
    assert (ages.groupby(["obec_kod", "pohlavi"]).size() == 18).all()
    assert sorted(set(zip(ages["vek_od"], ages["vek_do"].fillna(-1)))) == \
        [(a, a + 4) for a in range(0, 85, 5)] + [(85, -1)]
    rows = sheet_rows(AGE_UNDER_1000)
    header = rows[0]
    file_total = sum(int(r[header.index("Celkem")]) for r in rows[1:] if r[0] == "celkem")
    assert int(ages["pocet"].sum()) == file_total
    # the two files split the obce between them
    other = age_pair[AGE_1000_PLUS.name].tables["populace_vek"]
    assert not set(ages["obec_kod"]) & set(other["obec_kod"])


def test_real_praha_workbook_needs_a_date():
    content = real(AGE_PRAHA).read_bytes()
    with pytest.raises(FormatError, match="--date"):
        csu_vekove_slozeni.parse(content, AGE_PRAHA.name)


def test_real_praha_workbook_with_date(age_pair):
    parsed = csu_vekove_slozeni.parse(real(AGE_PRAHA).read_bytes(), AGE_PRAHA.name, date(2020, 12, 31))
    assert parsed.reference_date == date(2020, 12, 31)
    assert list(parsed.tables) == ["populace_vek_praha"]
    table = parsed.tables["populace_vek_praha"]
    units = table.groupby("jednotka_typ")["jednotka_kod"].nunique().to_dict()
    assert units == {"spravni_obvod": 22, "mestska_cast": 57}
    praha = age_pair[AGE_1000_PLUS.name].tables["populace_vek"]
    praha_total = int(praha.loc[praha["obec_kod"] == "554782", "pocet"].sum())
    assert praha_total == 1_335_084
    for typ in ("spravni_obvod", "mestska_cast"):
        part = table[table["jednotka_typ"] == typ]
        assert int(part["pocet"].sum()) == praha_total
        assert int(part.loc[part["pohlavi"] == "muzi", "pocet"].sum()) == 653_654
    praha1 = table[(table["jednotka_kod"] == "1101")].groupby("pohlavi")["pocet"].sum().to_dict()
    assert praha1 == {"muzi": 16_273, "zeny": 13_929}


# --- age structure: synthetic tables and broken content ----------------------------------------------


def test_synthetic_age_table_date_from_file_name_and_bands(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx",
                           [AgeObec("586846", "Jihlava", flat_bands(10), flat_bands(11)),
                            AgeObec("587290", "Jihlávka", flat_bands(1), flat_bands(2))])
    parsed = csu_vekove_slozeni.parse(path.read_bytes(), path.name)
    assert parsed.reference_date == date(2023, 12, 31)
    ages = parsed.tables["populace_vek"]
    assert ages.groupby(["obec_kod", "pohlavi"])["pocet"].sum().to_dict() == {
        ("586846", "muzi"): 180, ("586846", "zeny"): 198, ("587290", "muzi"): 18, ("587290", "zeny"): 36}


def test_synthetic_age_table_date_from_title(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek.xlsx", [AgeObec("586846", "Jihlava", flat_bands(1), flat_bands(1))],
                           title="Věkové složení obyvatelstva obcí k 31. 12. 2024")
    assert csu_vekove_slozeni.parse(path.read_bytes(), path.name).reference_date == date(2024, 12, 31)


def test_age_bands_that_do_not_sum_to_total(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx",
                           [AgeObec("586846", "Jihlava", flat_bands(10), flat_bands(11)),
                            AgeObec("587290", "Jihlávka", flat_bands(1), flat_bands(2), celkem={"zeny": 35})])
    with pytest.raises(FormatError) as caught:
        csu_vekove_slozeni.parse(path.read_bytes(), path.name)
    assert "součet věkových skupin 36 ≠ celkem 35" in str(caught.value)
    assert "587290" in str(caught.value)
    assert caught.value.row == age_rows(path)[("587290", "zeny")]


def test_age_negative_band(tmp_path):
    muzi = flat_bands(10)
    muzi[3] = -1
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx", [AgeObec("586846", "Jihlava", muzi, flat_bands(11))])
    with pytest.raises(FormatError) as caught:
        csu_vekove_slozeni.parse(path.read_bytes(), path.name)
    assert "záporný" in str(caught.value) or "nezáporné" in str(caught.value)
    assert caught.value.row in (age_rows(path)[("586846", "muzi")], age_rows(path)[("586846", "celkem")])


def test_age_men_plus_women_differs_from_total_row(tmp_path):
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx", [AgeObec("586846", "Jihlava", flat_bands(10), flat_bands(11))])
    from openpyxl import load_workbook
    book = load_workbook(path)
    ws = book.active
    row = age_rows(path)[("586846", "celkem")]
    ws.cell(row, 7).value += 1   # first band of the 'celkem' row
    ws.cell(row, 6).value += 1   # and its Celkem, so only men + women ≠ celkem is wrong
    book.save(path)
    with pytest.raises(FormatError) as caught:
        csu_vekove_slozeni.parse(path.read_bytes(), path.name)
    assert "muži + ženy ≠ celkem" in str(caught.value)
    assert caught.value.row == row


def test_age_duplicated_obec(tmp_path):
    obec = AgeObec("586846", "Jihlava", flat_bands(10), flat_bands(11))
    path = write_age_table(tmp_path / "synthetic_vek_2023.xlsx", [obec, obec])
    with pytest.raises(FormatError, match="duplicitní") as caught:
        csu_vekove_slozeni.parse(path.read_bytes(), path.name)
    assert caught.value.row == 5  # header, three rows of the first copy, then the duplicate
