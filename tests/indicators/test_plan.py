"""The plan evaluation (pipeline/indicators/plan.py) on the real population files from ../shared and the synthetic
registry pair (tests/fixtures/synthetic_rpss_jihlava.json, 30. 6. 2025, and …_2025_12.json, 31. 12. 2025): every
value is the one `sprss indicators`, `sprss coverage` and `sprss catalogue` print, at the nearest date; the state
follows the documented rule; an unknown ukazatel names its row and code."""
from datetime import date
import io

import pandas as pd
import pytest

from builders import FIXTURES, invoke_sprss
from pipeline.core import territory
from pipeline.core.errors import SprssError
from pipeline.indicators import plan as evaluation
from pipeline.sources import akcni_plan
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce
from plan_support import ROW, START, filled
from registry_support import FIXTURE, ON, with_registry

LATER = FIXTURES / "synthetic_rpss_jihlava_2025_12.json"
END = date(2025, 12, 31)
ORP = "orp:6105"
MEASURES = ["obyvatel_celkem", "podil_65_plus", "index_stari", "kapacita:13:pob:luzka", "kapacita:4:ter:klient",
            "sluzby:4", "sluzby:3"]


@pytest.fixture(scope="module")
def data(real_warehouse, tmp_path_factory):
    return with_registry(real_warehouse, tmp_path_factory.mktemp("plan") / "data", (FIXTURE, ON), (LATER, END))


def run(data, rows, on, plan=None):
    parsed = akcni_plan.parse(filled(rows, plan), "plan.xlsx")
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        return evaluation.evaluate(con, territory.resolve(ORP, obce), obce, parsed, on)


def csv(*args, data):
    result = invoke_sprss(*args, data=data)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"uzemi_kod": str, "druh_kod": str})


@pytest.mark.parametrize(("vychozi", "cilova", "skutecnost", "stav", "plneni"), [
    (120, 140, 140, "splněno", 1.0), (120, 140, 190, "splněno", 3.5), (120, 140, 130, "částečně splněno", 0.5),
    (120, 140, 120, "nesplněno", 0.0), (120, 140, 100, "nesplněno", -1.0),
    (25, 20, 20, "splněno", 1.0), (25, 20, 22, "částečně splněno", 0.6), (25, 20, 26, "nesplněno", -0.2),
    (10, 10, 10, None, None), (None, 10, 5, None, None), (1, 2, None, None, None),
])
def test_state_from_the_direction_baseline_to_target(vychozi, cilova, skutecnost, stav, plneni):
    found, progress, why = evaluation.state(vychozi, cilova, skutecnost)
    assert found == stav
    assert progress == (pytest.approx(plneni) if plneni is not None else None)
    assert bool(why) == (stav is None)


@pytest.mark.parametrize(("code", "known"), [
    ("obyvatel_65_plus", True), ("kapacita:13:pob:luzka", True), ("sluzby:4", True), ("kapacita:13:pob", False),
    ("kapacita:13:xyz:luzka", False), ("kapacita:13:pob:mista", False), ("sluzby:dps", False), ("seniori", False),
])
def test_codes(code, known):
    assert (evaluation.measure(code) is not None) == known


def test_values_are_those_of_the_other_commands(data):
    rows = [{**ROW, "ukazatel": code, "vychozi_hodnota": None, "cilova_hodnota": None} for code in MEASURES]
    result = run(data, rows, END)
    filled_values = {r.measure.kod: (r.skutecnost, r.obdobi) for r in result.rows}

    indicators = csv("indicators", "--territory", ORP, data=data)
    own = indicators[indicators["uzemi_typ"] == "orp"]
    for code in ("obyvatel_celkem", "podil_65_plus", "index_stari"):
        values = own[own["ukazatel"] == code].set_index("obdobi")["hodnota"]
        nearest = max(values.index)  # the evaluation date is after every population figure
        assert filled_values[code] == (values[nearest], date.fromisoformat(nearest))

    coverage = csv("coverage", "--territory", ORP, "--date", END.isoformat(), data=data)
    orp = coverage[coverage["uzemi_typ"] == "orp"].set_index(["druh_kod", "forma", "typ_kapacity"])["kapacita"]
    assert filled_values["kapacita:13:pob:luzka"] == (orp["13", "pob", "luzka"], END) == (190, END)
    assert filled_values["kapacita:4:ter:klient"] == (orp["4", "ter", "klient"], END)
    services = csv("catalogue", "--territory", ORP, "--format", "csv", "--located-only", "--date", END.isoformat(),
                   data=data)
    for druh in ("4", "3"):
        assert filled_values[f"sluzby:{druh}"] == ((services["druh_kod"] == druh).sum(), END)
    assert filled_values["sluzby:3"][0] == 1  # osobní asistence in Jihlava is new in the December edition
    assert [r.k_datu for r in result.rows][3] == "k 31. 12. 2025 (registr MPSV ve stavu k 31. 12. 2025)"
    assert result.registr_k == END and result.editions == [ON, END]


def test_nearest_date_and_the_trend(data):
    rows = [{**ROW, "ukazatel": "obyvatel_celkem", "vychozi_hodnota": 100000, "cilova_hodnota": 110000},
            {**ROW, "ukazatel": "kapacita:13:pob:luzka"}]
    result = run(data, rows, date(2022, 6, 1))
    population, capacity = result.rows
    assert population.obdobi == date(2022, 1, 1)  # 151 days before, 2023-01-01 is 214 days after
    series = result.series[result.series["ukazatel"] == "obyvatel_celkem"]
    assert population.skutecnost == series.set_index("obdobi").loc[date(2022, 1, 1), "hodnota"]
    assert list(series["obdobi"]) == sorted(series["obdobi"]) and len(series) == 5  # 4 × 1. 1. and 31. 12. 2020
    assert population.stav == evaluation.state(100000, 110000, population.skutecnost)[0]
    # before every registry edition: the earliest edition, services in provision that day
    assert capacity.k_datu == "k 1. 6. 2022 (registr MPSV ve stavu k 30. 6. 2025)"
    trend = result.series[result.series["ukazatel"] == "kapacita:13:pob:luzka"]
    assert list(trend["obdobi"]) == [date(2022, 6, 1), ON, END]
    assert list(trend["hodnota"])[1:] == [180, 190]


def test_analyst_entries_stay(data):
    rows = [{**ROW, "skutecnost": 130, "stav": None}, {**ROW, "stav": "průběžně plněno"}]
    kept, judged = run(data, rows, END).rows
    assert (kept.skutecnost, kept.skutecnost_sprss, kept.stav, kept.stav_sprss) == (130, False, "částečně splněno", True)
    assert (judged.skutecnost, judged.skutecnost_sprss, judged.stav, judged.stav_sprss) == (190, True, "průběžně plněno", False)


def test_registry_changes_since_the_plan_start(data):
    result = run(data, [ROW], END, {START: ON.isoformat()})
    assert result.changes is not None
    expected = csv("changes", "--territory", ORP, "--from", ON.isoformat(), "--to", END.isoformat(), data=data)
    assert list(result.changes.table["detail"]) == list(expected["detail"])
    assert run(data, [ROW], END).changes is None  # no start date in the workbook


@pytest.mark.parametrize(("code", "message"), [
    ("seniori_65", "List Aktivity, řádek 3: neznámý ukazatel 'seniori_65'; očekáván kód z sprss indicators"),
    ("kapacita:99:amb:klient", "List Aktivity, řádek 3: neznámý ukazatel 'kapacita:99:amb:klient': druh služby 99 "
                               "není v číselníku druhů sociálních služeb MPSV."),
])
def test_unknown_ukazatel(data, code, message):
    with pytest.raises(SprssError) as error:
        run(data, [ROW, {**ROW, "ukazatel": code}], END)
    assert str(error.value).startswith(message)


def test_registry_measure_without_registry(real_warehouse):
    with pytest.raises(SprssError, match="Ukazatel kapacita:13:pob:luzka potřebuje registr"):
        run(real_warehouse, [ROW], END)
    result = run(real_warehouse, [{**ROW, "ukazatel": "obyvatel_65_plus"}], END)
    assert result.rows[0].skutecnost_sprss and result.changes is None and result.registr_k is None


def test_a_tiny_obec_without_services(data):
    parsed = akcni_plan.parse(filled([ROW, {**ROW, "ukazatel": "sluzby:13"}]), "plan.xlsx")
    with warehouse.connect(data) as con:
        obce = load_obce(con)
        result = evaluation.evaluate(con, territory.resolve("obec:587290", obce), obce, parsed, END)
    assert [(r.skutecnost, r.stav) for r in result.rows] == [(0, "nesplněno"), (0, "nesplněno")]
