"""Population since 2010 in today's territory: the fourteen real publications imported together, historic obce kept
with their validity, new obce placed inside the obec they were split from, ČR equal to every file's total."""
import pytest

from builders import (
    AGE_1000_PLUS,
    AGE_UNDER_1000,
    ALL_PUBLICATIONS,
    JIHLAVA,
    JIHLAVKA,
    STRUKTURA,
    Obec,
    copy_data_dir,
    invoke_sprss,
    query,
    real,
    run_sprss,
    synthetic_territory_data_dir,
    write_publication,
)
from pipeline.chapters.demografie import change, data
from pipeline.core.config import DataDir
from pipeline.core.territory import resolve
from pipeline.indicators import demografie, historie
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> DataDir:
    paths = [real(p) for p in ALL_PUBLICATIONS.values()]
    root = tmp_path_factory.mktemp("history")
    result = run_sprss("import", real(STRUKTURA), *paths, real(AGE_UNDER_1000), real(AGE_1000_PLUS), data=root)
    assert result.returncode == 0, result.stderr
    return DataDir(root)


def indicator(con, selectors: list[str], code: str) -> dict[tuple[str, str], float]:
    obce = load_obce(con)
    areas = [resolve(s, obce).area for s in selectors]
    table = demografie.compute(con, areas)
    table = table[table["ukazatel"] == code]
    return {(r.uzemi_kod, r.obdobi): r.hodnota for r in table.itertuples()}


def test_cr_equals_every_publication_total(history):
    file_totals = dict(query(history, """
        SELECT strftime(obdobi, '%Y-%m-%d'), sum(pocet) FROM populace_celkem
        WHERE pohlavi = 'celkem' AND zdroj = 'csu_pocet_obyvatel' GROUP BY 1"""))
    assert len(file_totals) == 14 and file_totals["2010-01-01"] == 10_506_813
    with warehouse.connect(history) as con:
        values = indicator(con, ["stat:CZ"], "obyvatel_celkem")
    assert {d: v for (_, d), v in values.items() if d != "2020-12-31"} == file_totals
    assert values[("CZ", "2020-12-31")] == 10_701_777  # the age tables k 31. 12. 2020


def test_brdy_is_a_historic_obec_with_its_validity(history):
    assert query(history, "SELECT obec_kod, obec_nazev, okres_lau_kod, platnost_od, platnost_do FROM obce_historicke") \
        == [("539996", "Brdy", "CZ020B", *[__import__("datetime").date(*d) for d in ((2010, 1, 1), (2015, 12, 31))])]
    assert query(history, "SELECT count(*) FROM obce_vsech_obdobi WHERE NOT dnesni") == [(1,)]


def test_new_obce_and_the_obce_they_were_split_from(history):
    found = dict(query(history, "SELECT obec_kod, rodic_kod FROM obce_vznik"))
    assert found == {"500046": "599191",                      # Libhošť ← Nový Jičín, 2011
                     "500062": "545058", "500071": "545058",  # Krhová, Poličná ← Valašské Meziříčí, 2013
                     "500194": "545422",                      # Polná na Šumavě ← vojenský újezd Boletice, 2016
                     "500101": "555177", "500127": "555177",  # Bražec, Doupovské Hradiště ← Hradiště
                     "500135": "503941", "500151": "503941", "500160": "503941"}  # ← Libavá


def test_areas_are_complete_from_2010_in_todays_territory(history):
    with warehouse.connect(history) as con:
        values = indicator(con, ["orp:6105", "okres:CZ0804", "okres:CZ0712", "okres:CZ0714", "kraj:3123"],
                           "obyvatel_celkem")
        notes = historie.placement_notes(con, [resolve(s, load_obce(con)).area
                                               for s in ("okres:CZ0714", "orp:6105", "stat:CZ", "okres:CZ020B")])
    # ORP Jihlava: every year, and equal to the sum of its obce in each file
    jihlava = {d: v for (k, d), v in values.items() if k == "6105"}
    assert len(jihlava) == 15  # 14 publications and the age tables k 31. 12. 2020
    assert jihlava["2010-01-01"] == query(history, """
        SELECT sum(pocet) FROM populace_celkem JOIN obce USING (obec_kod)
        WHERE orp_kod = '6105' AND pohlavi = 'celkem' AND obdobi = DATE '2010-01-01'""")[0][0]
    # okres Nový Jičín holds Libhošť and Nový Jičín: 2010 is its published sum although Libhošť is not in that file
    assert ("40894", "2010-01-01") in values
    # Luboměř pod Strážnou (okres Přerov) came out of Libavá (okres Olomouc): both okresy lack 2010–2015
    for okres in ("40789", "40801"):
        dates = sorted(d for (k, d), _ in values.items() if k == okres)
        assert dates[0] == "2016-01-01" and len(dates) == 9
    # … and the Olomoucký kraj, which holds both, has every year
    assert len([d for (k, _), d in values.items() if k == "3123"]) == 15
    by_area = notes.groupby("uzemi_kod")["poznamka"].apply(list).to_dict()
    assert "6105" not in by_area
    assert by_area["40801"] == ["Obec Luboměř pod Strážnou (500151) vznikla k 1. 1. 2016 oddělením od obce "
                                 "Libavá (503941) mimo území (obec určena podle poklesu jejího počtu obyvatel). "
                                 "Údaje území před 1. 1. 2016 proto nelze uvést v dnešních hranicích a nejsou uvedeny."]
    assert by_area["CZ"] == ["Obec Brdy (539996) už neexistuje (v publikacích od 1. 1. 2010 do 31. 12. 2015, naposledy "
                             "27 obyvatel) a nemá jednu nástupnickou obec; je započtena v úhrnu ČR."]
    assert "jen v úhrnu ČR" in by_area["40266"][0]


def test_nove_obce_keep_their_own_series(history):
    """An obec shows its published figures only: Libhošť from 2011, Nový Jičín with its figure before the split."""
    with warehouse.connect(history) as con:
        values = indicator(con, ["obec:500046", "obec:599191"], "obyvatel_celkem")
    assert min(d for (k, d) in values if k == "500046") == "2011-01-01"
    assert len([d for (k, d) in values if k == "599191"]) == 15


# --- synthetic: a code of no edition is refused, a code the publication lists is kept -------------------------


def test_code_in_no_edition_is_refused_and_a_listed_one_is_kept(tmp_path_factory):
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("hist") / "data")
    inputs = tmp_path_factory.mktemp("hist_inputs")
    gone = Obec("599999", "Zaniklá", 40, 45)
    first = write_publication(inputs / "synthetic_obyvatele_2023.xlsx", [JIHLAVA, JIHLAVKA, gone], date_text="1. 1. 2023")
    second = write_publication(inputs / "synthetic_obyvatele_2024.xlsx", [JIHLAVA, JIHLAVKA], date_text="1. 1. 2024")
    result = invoke_sprss("import", first, second, data=data)
    assert result.returncode == 0, result.stderr
    assert query(data, "SELECT obec_kod, obec_nazev, CAST(platnost_do AS TEXT) FROM obce_historicke") == \
        [("599999", "Zaniklá", "2023-12-31")]
    before = sorted(p.name for p in data.raw.rglob("*"))
    from builders import AgeObec, flat_bands, write_age_table
    age = write_age_table(inputs / "synthetic_vek_2023.xlsx", [AgeObec("599998", "Nikdy", flat_bands(1), flat_bands(1))])
    refused = invoke_sprss("import", age, "--date", "2023-12-31", data=data)
    assert refused.returncode == 1
    assert "neznámé kódy obcí 599998" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in data.raw.rglob("*")) == before


# --- transfers between obce: series breaks of the obce concerned ---------------------------------------------


def test_transfer_between_obce_detected_from_31_december_and_1_january(history):
    """Rožmitál pod Třemšínem → Nepomuk, 43 persons on 1. 1. 2021: the only pair where the age tables k 31. 12. 2020
    and the publication k 1. 1. 2021 differ; checked here against the two files' figures directly."""
    pairs = query(history, """
        SELECT b.obec_kod, b.pocet - a.pocet FROM populace_celkem AS a JOIN populace_celkem AS b USING (obec_kod, pohlavi)
        WHERE pohlavi = 'celkem' AND a.obdobi = DATE '2020-12-31' AND b.obdobi = DATE '2021-01-01' AND a.pocet <> b.pocet
        ORDER BY 1""")
    assert pairs == [("541231", -43), ("564524", 43)]
    assert query(history, "SELECT obec_kod, CAST(obdobi AS TEXT), pocet, protistrana_kod FROM obce_zlomy "
                          "WHERE druh = 'prevod' ORDER BY 1") == \
        [("541231", "2021-01-01", -43, "564524"), ("564524", "2021-01-01", 43, "541231")]
    with warehouse.connect(history) as con:
        obce = load_obce(con)
        areas = [resolve(s, obce).area for s in ("obec:541231", "obec:564524", "okres:CZ020B", "obec:545058", "kraj:3131")]
        breaks = historie.area_breaks(con, areas)
    by_area = breaks.groupby("uzemi_kod")["vysvetleni"].apply(list).to_dict()
    assert by_area["541231"] == by_area["564524"] == [
        "K 1. 1. 2021 přešlo 43 obyvatel z obce Rožmitál pod Třemšínem do obce Nepomuk se změnou hranic obcí; "
        "tato změna počtu obyvatel není přírůstek ani úbytek."]
    assert "40266" not in by_area  # both obce lie in okres Příbram: no break of the okres
    assert [b for b in breaks.loc[breaks.uzemi_kod == "545058", "popisek"]] == ["oddělení obce Krhová",
                                                                               "oddělení obce Poličná"]
    assert "3131" not in by_area  # the split stays inside the Zlínský kraj


# --- age structure of any year: the 65+/80+ trend from every date imported -----------------------------------


def test_age_tables_of_several_years_give_the_seniors_trend(tmp_path_factory):
    from builders import AgeObec, write_age_table
    from pipeline.chapters.demografie import findings
    data = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("ages") / "data")
    inputs = tmp_path_factory.mktemp("ages_inputs")
    bands = [10] * 16 + [6, 4]  # 0–4 … 75–79: 10 each, 80–84: 6, 85+: 4
    older = [10] * 16 + [9, 7]
    paths = [write_age_table(inputs / f"synthetic_vek_do_999_{year}.xlsx",
                             [AgeObec("587290", "Jihlávka", men, men)]) for year, men in ((2019, bands), (2024, older))]
    result = invoke_sprss("import", *paths, data=data)
    assert result.returncode == 0, result.stderr
    with warehouse.connect(data) as con:
        area = resolve("obec:587290", load_obce(con)).area
        table = demografie.compute(con, [area])
    seniors = table[table.ukazatel == "obyvatel_65_plus"].set_index("obdobi")["hodnota"].to_dict()
    # 65+ = bands 65–69, 70–74, 75–79, 80–84, 85+ of men and women
    assert seniors == {"2019-12-31": 2 * (30 + 6 + 4), "2024-12-31": 2 * (30 + 9 + 7)}
    assert findings.seniors_trend(table, area) == (
        "Mezi 31. 12. 2019 a 31. 12. 2024 se v území obce Jihlávka změnil počet: senioři 65+ let z 80 na 92 (+12) "
        "a senioři 80+ let ze 20 na 32 (+12). Mezi těmito daty leží zlom řady (revize podle SLDB 2021, osoby s "
        "dočasnou ochranou); část změny je proto statistická.")


def test_orp_ostrov_is_hatched_on_the_kraj_change_map_not_left_without_data(history):
    """Ostrov gained an obec split on 1. 1. 2016 from the military area Hradiště, which lies in ORP Karlovy Vary:
    its 2010 figure cannot be given in today's boundaries, so the 2010–2021 change map hatches it as a boundary
    change (before: 'bez údaje', as if a file were missing)."""
    d = data.load("kraj:3051", history.root)
    found = d.unit_change()
    assert found is not None and (found.start, found.end) == ("2010-01-01", "2021-01-01")
    assert "4106" in d.unplaced_units and found.hatched.get("4106") == change.BOUNDARY
    assert not found.missing
