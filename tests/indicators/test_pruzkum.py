"""`sprss survey tabulate`: exact counts and shares of the Google Forms fixture, Wilson intervals checked against
an independent solution, Likert without "Nevím", multi-choice shares of respondents, breakdowns, weights and
representativeness against the real population of ORP Jihlava.

Hand counts over the 13 valid rows (2, 3, 4, 5, 6, 7, 9, 11, 14, 16, 17, 18, 19 of the fixture):
- obec: Jihlava 5 (2, 4, 16, 17, 19), Třešť 3 (3, 6, 11), Polná 2 (5, 14), Brtnice 1, Luka nad Jihlavou 1, Kamenice 1;
- věk: do 29 2 (6, 16), 30–49 3 (2, 7, 11), 50–64 2 (4, 18), 65–79 4 (3, 9, 14, 19), 80+ 2 (5, 17);
- chybí (12 answered, 19 did not): Odlehčovací 6, Domov pro seniory 4, Pečovatelská 4, Sociální bydlení 3,
  Poradenství (dluhy, bydlení) 3, Jiné 2 (6, 16) — 22 ticks, so shares of respondents add up to 22/12;
- informace: Rozhodně ano 3, Spíše ano 3, Spíše ne 4, Rozhodně ne 0, Nevím 3 (6, 14, 19): mean (12+9+8)/10 = 2.9;
- spokojenost (11 answered): Velmi sp. 3, Spíše sp. 4, Spíše nesp. 3, Velmi nesp. 1: mean 31/11;
- platba (12 answered): 200+500+300+1000+0+400+600+250+350+0+800+300 = 4700.
"""
import io
from statistics import NormalDist

import numpy as np
from openpyxl import load_workbook
import pandas as pd
import pytest

from builders import JIHLAVSKO_OBCE, query
from pipeline.chapters.pruzkum import charts as report
from pipeline.core.errors import SprssError
from pipeline.indicators import pruzkum as tables
from pipeline.render import style
from pipeline.warehouse import build as warehouse
from survey_support import GOOGLE_CODEBOOK, GOOGLE_CSV, fresh_data_dir, import_google, one_czech_error_line, sprss

CHYBI = "sluzby_obci_chybi"
INFO = "dostatek_informaci_socialnich_sluzbach"
SPOKOJENOST = "spokojen_socialnimi_sluzbami_obci"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = fresh_data_dir(tmp_path_factory, tmp_path_factory.mktemp("tabulate"))
    result = import_google(data)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture(scope="module")
def survey(data):
    with warehouse.connect(data) as con:
        return tables.load(con, "obcane")


def rows(table: pd.DataFrame, question: str, **where) -> dict[str, tuple]:
    selected = table[table["otazka"] == question]
    for column, value in where.items():
        selected = selected[selected[column] == value]
    return {r.moznost: (r.pocet, r.n_odpovedi, r.podil) for r in selected.itertuples()}


def independent_wilson(successes: float, n: float) -> tuple[float, float]:
    """The interval's ends as the roots of (p̂ − p)² = z² p (1 − p) / n."""
    z = NormalDist().inv_cdf(0.975)
    p_hat = successes / n
    roots = np.roots([1 + z * z / n, -(2 * p_hat + z * z / n), p_hat * p_hat])
    return float(min(roots.real)), float(max(roots.real))


# --- the tidy table ------------------------------------------------------------------------------------------


def test_counts_and_shares(survey):
    table = tables.answers_table(survey)
    assert list(table.columns) == ["otazka", "otazka_text", "typ", "poradi", "moznost", "hodnota", "pocet", "podil",
                                   "podil_ci_dolni", "podil_ci_horni", "n_odpovedi", "prumer", "prumer_ci_dolni",
                                   "prumer_ci_horni"]
    assert {k: v[0] for k, v in rows(table, "obec").items()} == {
        "Brtnice": 1, "Jihlava": 5, "Kamenice": 1, "Luka nad Jihlavou": 1, "Polná": 2, "Třešť": 3}
    assert {k: v[:2] for k, v in rows(table, "vek").items()} == {
        "do 29 let": (2, 13), "30–49 let": (3, 13), "50–64 let": (2, 13), "65–79 let": (4, 13),
        "80 let a více": (2, 13)}
    chybi = rows(table, CHYBI)
    assert list(chybi) == ["Odlehčovací služby", "Sociální bydlení", "Domov pro seniory", "Pečovatelská služba",
                           "Odborné sociální poradenství (dluhy, bydlení)", "Jiné"]  # codebook order, Jiné last
    assert {k: v[:2] for k, v in chybi.items()} == {
        "Odlehčovací služby": (6, 12), "Sociální bydlení": (3, 12), "Domov pro seniory": (4, 12),
        "Pečovatelská služba": (4, 12), "Odborné sociální poradenství (dluhy, bydlení)": (3, 12), "Jiné": (2, 12)}
    assert chybi["Odlehčovací služby"][2] == 0.5
    assert sum(v[2] for v in chybi.values()) == pytest.approx(22 / 12)  # shares of respondents, not of ticks


def test_likert_distribution_and_mean_leave_dont_know_out(survey):
    table = tables.answers_table(survey)
    shares = rows(table, INFO)
    assert shares.pop("průměr")[:2] == (10, 10)
    assert shares == {"Rozhodně ano": (3, 10, 0.3), "Spíše ano": (3, 10, 0.3), "Spíše ne": (4, 10, 0.4),
                      "Rozhodně ne": (0, 10, 0.0), "Nevím": (3, 13, 3 / 13)}
    info = table[table["otazka"] == INFO].set_index("moznost")
    assert list(info["hodnota"].iloc[:4]) == [4, 3, 2, 1] and pd.isna(info.loc["Nevím", "hodnota"])
    assert info.loc["průměr", "prumer"] == pytest.approx(2.9)
    values = np.array([4] * 3 + [3] * 3 + [2] * 4)
    half = NormalDist().inv_cdf(0.975) * values.std(ddof=1) / np.sqrt(10)
    assert (info.loc["průměr", "prumer_ci_dolni"], info.loc["průměr", "prumer_ci_horni"]) == pytest.approx(
        (2.9 - half, 2.9 + half))
    spokojenost = table[(table["otazka"] == SPOKOJENOST) & (table["moznost"] == "průměr")].iloc[0]
    assert (spokojenost["pocet"], spokojenost["prumer"]) == (11, pytest.approx(31 / 11))
    platba = table[table["otazka"] == "korun_mesicne_ochoten_ochotna"].iloc[0]
    assert (platba["moznost"], platba["pocet"], platba["prumer"]) == ("průměr", 12, pytest.approx(4700 / 12))
    assert "dalsi_pripominky_namety" not in set(table["otazka"])  # free text is read, not counted


def test_wilson_intervals_match_an_independent_computation(survey):
    table = tables.answers_table(survey, by="vek")
    shares = table[table["podil"].notna()]
    assert len(shares) > 100
    for row in shares.itertuples():
        low, high = independent_wilson(row.pocet, row.n_odpovedi)
        assert (row.podil_ci_dolni, row.podil_ci_horni) == pytest.approx((low, high), abs=1e-12), row
    half = table[(table["skupina"] == "celkem") & (table["otazka"] == CHYBI)].iloc[0]
    assert (half["podil_ci_dolni"], half["podil_ci_horni"]) == pytest.approx((0.2538, 0.7462), abs=1e-4)  # 6 of 12
    assert tables.wilson([0], [10])[0][0] == 0.0 and tables.wilson([10], [10])[1][0] == 1.0


# --- breakdowns -------------------------------------------------------------------------------------------------


def test_by_age_band(survey):
    table = tables.answers_table(survey, by="vek")
    assert list(table.columns[:2]) == ["skupina_typ", "skupina"]
    assert list(dict.fromkeys(zip(table["skupina_typ"], table["skupina"]))) == [
        ("celkem", "celkem"), ("vek", "do 29 let"), ("vek", "30–49 let"), ("vek", "50–64 let"), ("vek", "65–79 let"),
        ("vek", "80 let a více")]
    seniors = rows(table, INFO, skupina="65–79 let")  # rows 3, 9, 14, 19
    assert {k: v[:2] for k, v in seniors.items()} == {
        "Rozhodně ano": (1, 2), "Spíše ano": (0, 2), "Spíše ne": (1, 2), "Rozhodně ne": (0, 2), "Nevím": (2, 4),
        "průměr": (2, 2)}


def test_by_obec_and_by_question(survey):
    jihlava = rows(tables.answers_table(survey, by="obec"), CHYBI, skupina="Jihlava")  # rows 2, 4, 16, 17 (+19 empty)
    assert {k: v[:2] for k, v in jihlava.items()} == {
        "Odlehčovací služby": (3, 4), "Sociální bydlení": (1, 4), "Domov pro seniory": (1, 4),
        "Pečovatelská služba": (0, 4), "Odborné sociální poradenství (dluhy, bydlení)": (2, 4), "Jiné": (1, 4)}
    by_care = tables.answers_table(survey, by="pecujete_nekoho_blizkeho")
    assert list(dict.fromkeys(by_care["skupina"]))[1:] == ["Ne", "Ano, občas", "Ano, denně"]
    daily = rows(by_care, "socialni_sluzby_vyuzivate_nekdo", skupina="Ano, denně")  # rows 3, 9, 14, 17
    assert {k: v[:3] for k, v in daily.items()} == {
        "Žádnou nevyužíváme": (0, 4, 0.0), "Pečovatelská služba": (4, 4, 1.0), "Osobní asistence": (2, 4, 0.5),
        "Denní stacionář": (2, 4, 0.5)}


def test_by_oblast_of_a_territory_file(tmp_path_factory, tmp_path):
    data = fresh_data_dir(tmp_path_factory, tmp_path)
    area = tmp_path / "jihlavsko.yaml"
    area.write_text("nazev: Jihlavsko (test)\nobce: [Jihlava, Třešť, Polná, Brtnice, Luka nad Jihlavou, 587346, "
                    "Dušejov]\noblasti:\n  Jih: [Jihlava, Luka nad Jihlavou]\n  Západ: [Třešť, 587346]\n"
                    "  Sever: [Polná, Brtnice]\n", encoding="utf-8")
    result = sprss("survey", "import", GOOGLE_CSV, "--codebook", GOOGLE_CODEBOOK, "--territory", area,
                   "--name", "jihlavsko", data=data)
    assert result.returncode == 0, result.stderr
    area.unlink()  # the snapshot keeps its own copy: a rebuild needs nothing outside data/raw
    assert sprss("build", data=data).returncode == 0
    assert (data.raw / "pruzkum" / "jihlavsko" / "uzemi.yaml").exists()
    with warehouse.connect(data) as con:
        survey = tables.load(con, "jihlavsko")
        representativeness = tables.representativeness(con, survey)
    table = tables.answers_table(survey, by="oblast")
    obec = table[table["otazka"] == "obec"]
    assert obec.groupby("skupina")["pocet"].sum().to_dict() == {"celkem": 13, "Jih": 6, "Sever": 3, "Západ": 4}
    assert len(representativeness[representativeness["skupina_typ"] == "obec"]) == 7


# --- representativeness and weights --------------------------------------------------------------------------


def test_representativeness_against_population(data, survey):
    with warehouse.connect(data) as con:
        table = tables.representativeness(con, survey)
    obce = table[table["skupina_typ"] == "obec"].set_index("skupina")
    assert len(obce) == len(JIHLAVSKO_OBCE) and obce["respondentu"].sum() == 13
    total = query(data, "SELECT sum(obyvatel_celkem) FROM obec_pocty JOIN obce USING (obec_kod) "
                        "WHERE orp_nazev = 'Jihlava' AND obdobi = DATE '2023-01-01'")[0][0]
    jihlava = obce.loc["Jihlava"]
    assert (jihlava["respondentu"], jihlava["obyvatel"]) == (5, 52548)
    assert jihlava["index_zastoupeni"] == pytest.approx((5 / 13) / (52548 / total))
    assert obce.loc["Dušejov", "respondentu"] == 0
    ages = table[table["skupina_typ"] == "vek"].set_index("skupina")
    assert list(ages["respondentu"]) == [2, 3, 2, 4, 2]
    assert ages["podil_obyvatel"].sum() == pytest.approx(1)


def test_age_band_population_splits_five_year_bands(data, survey):
    with warehouse.connect(data) as con:
        bands = tables.band_population(con, survey).set_index(["obec_kod", "moznost"])["obyvatel"]
    y15, y20, y25 = [query(data, "SELECT sum(pocet) FROM populace_vek WHERE obec_kod = '587095' AND vek_od = ?",
                           [start])[0][0] for start in (15, 20, 25)]
    assert bands[("587095", "do 29 let")] == pytest.approx(y15 * 2 / 5 + y20 + y25)  # Dušejov: 5-year bands
    jihlava_30_49 = query(data, "SELECT sum(pocet) FROM populace_vek WHERE obec_kod = '586846' "
                                "AND vek_od BETWEEN 30 AND 49")[0][0]
    assert bands[("586846", "30–49 let")] == jihlava_30_49  # Jihlava: single years
    jihlava_80 = query(data, "SELECT sum(pocet) FROM populace_vek WHERE obec_kod = '586846' AND vek_od >= 80")[0][0]
    assert bands[("586846", "80 let a více")] == jihlava_80


def test_post_stratification_weights(data, survey):
    with warehouse.connect(data) as con:
        weights = tables.post_stratification(con, survey)
    table = weights.table
    assert weights.cells == "obec × věk"
    assert len(table) == 13 and table["vaha"].sum() == pytest.approx(13)
    covered = table.drop_duplicates(["obec_kod", "vek"])["obyvatel_bunky"].sum()
    # weighted, each obec counts as its share of the population in the covered cells
    weighted = tables.answers_table(survey, weights=weights.by_respondent)
    jihlava = weighted[(weighted["otazka"] == "obec") & (weighted["moznost"] == "Jihlava")].iloc[0]
    in_jihlava = table[table["obec_nazev"] == "Jihlava"]["obyvatel_bunky"].sum()
    assert jihlava["podil"] == pytest.approx(in_jihlava / covered)
    assert jihlava["pocet"] == 5  # counts stay unweighted
    w = table["vaha"]
    assert jihlava["n_efektivni"] == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
    assert 0 < weights.coverage < 1


# --- the command -----------------------------------------------------------------------------------------------


def test_tabulate_command_csv_and_xlsx(data, tmp_path):
    result = sprss("survey", "tabulate", "--name", "obcane", data=data)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) == 6 + 5 + 3 + 4 + 6 + 6 + 5 + 1  # options (+Jiné, +mean rows) per question
    free = sprss("survey", "tabulate", "--name", "obcane", "--table", "volne", data=data)
    texts = pd.read_csv(io.StringIO(free.stdout))
    assert list(zip(texts["otazka"], texts["radek"])) == [(CHYBI, 6), (CHYBI, 16)] + [
        ("dalsi_pripominky_namety", r) for r in (3, 5, 7, 11, 17)]
    assert texts["text"].iloc[0] == 'startovací byty, dostupné i pro mladé; "bez kauce"'
    output = tmp_path / "pruzkum.xlsx"
    result = sprss("survey", "tabulate", "--name", "obcane", "--by", "obec", "--weight", "populace",
                   "--format", "xlsx", "--output", output, data=data)
    assert result.returncode == 0, result.stderr
    assert "Váhy: buňky obec × věk" in result.stderr
    book = load_workbook(output)
    assert book.sheetnames == ["odpovedi", "reprezentativnost", "volne", "vahy"]
    assert book["odpovedi"]["A1"].value == "skupina_typ"


@pytest.mark.parametrize("args, message", [
    (["--name", "neni"], "Průzkum 'neni' není ve skladu dat; ve skladu jsou: obcane."),
    (["--name", "obcane", "--by", CHYBI], "Členit lze jen podle otázky s jedinou odpovědí"),
    (["--name", "obcane", "--by", "pohlavi"], "Průzkum obcane nemá otázku 'pohlavi'"),
    (["--name", "obcane", "--by", "oblast"], "Území průzkumu obcane nemá oblasti"),
    (["--name", "obcane", "--format", "xlsx"], "Formát xlsx potřebuje soubor"),
])
def test_tabulate_bad_options(data, args, message):
    assert message in one_czech_error_line(sprss("survey", "tabulate", *args, data=data))


# --- chapter tables and charts ----------------------------------------------------------------------------------


def test_chapter_overview_and_ranking(data, survey):
    with warehouse.connect(data) as con:
        overview = report.overview(survey, tables.representativeness(con, survey))
    assert dict(zip(overview["Ukazatel"], overview["Hodnota"]))["Platných odpovědí"] == 13
    assert list(overview["Hodnota"][:6]) == [18, 13, 4, 1, len(JIHLAVSKO_OBCE), 6]
    ranking = report.ranking(tables.answers_table(survey), CHYBI)
    assert list(ranking["Možnost"][:2]) == ["Odlehčovací služby", "Domov pro seniory"]  # 6, then 4 (ties by order)
    assert list(ranking.iloc[0, 2:]) == [6, 50.0, 25.4, 74.6, 12]


def test_chapter_charts(survey, tmp_path):
    table = tables.answers_table(survey)
    bars = report.shares(table, CHYBI, "obcane")
    ax = bars.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Odlehčovací služby"
    assert [round(p.get_width(), 6) for p in ax.patches][:2] == [50.0, round(400 / 12, 6)]
    assert any(t.get_text() == "Zdroj: dotazníkové šetření obcane; výpočet sprss" for t in bars.texts)
    stacked = report.likert(table, [INFO, SPOKOJENOST], "obcane").axes[0]
    widths = [p.get_width() for p in stacked.patches]
    assert sum(widths[:3]) == pytest.approx(100) and sum(widths[3:]) == pytest.approx(100)  # 'Rozhodně ne' is 0
    groups = report.by_group(tables.answers_table(survey, by="vek"), CHYBI, "Domov pro seniory", "obcane")
    assert [t.get_text() for t in groups.axes[0].get_yticklabels()][-1] == "80 let a více (n = 2)"
    png, svg = style.save(bars, tmp_path, "chybi")
    assert png.stat().st_size > 0 and svg.stat().st_size > 0
    with pytest.raises(SprssError, match="jen pro otázky typu likert"):
        report.likert(table, [CHYBI], "obcane")
    with pytest.raises(SprssError, match="spusťte tabulaci s --by"):
        report.by_group(table, CHYBI, "Domov pro seniory", "obcane")
