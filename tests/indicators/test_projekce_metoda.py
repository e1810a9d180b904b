"""The cohort-share projection on tiny synthetic inputs: both invariants and an independent hand computation."""
import numpy as np
import pandas as pd
import pytest

from pipeline.core.errors import SprssError
from pipeline.indicators import projekce_metoda as method

OBCE = ["100001", "100002", "200001", "200002"]
KRAJ = {"100001": "CZ011", "100002": "CZ011", "200001": "CZ022", "200002": "CZ022"}
TOP = 6  # base open band 6+


def _bands() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for i, kod in enumerate(OBCE):
        for sex in ("muzi", "zeny"):
            if i == 3:  # a small obec with bands 0–2, 3–5, 6+
                rows += [(kod, sex, 0, 2, 9), (kod, sex, 3, 5, 12), (kod, sex, 6, None, 4)]
                continue
            rows += [(kod, sex, a, a, int(rng.integers(20, 80))) for a in range(TOP)]
            rows.append((kod, sex, TOP, None, int(rng.integers(20, 80))))
    return pd.DataFrame(rows, columns=["obec_kod", "pohlavi", "vek_od", "vek_do", "pocet"])


def _control(base: method.Base, kraj_growth: float | None = None) -> pd.DataFrame:
    """National projection that only ages the base (no deaths, no migration) and keeps births at the base's age 0."""
    national = sum(base.counts.values()).sum(axis=0)  # ages 0..TOP
    top = 9
    rows = []
    for year in range(2021, 2031):
        k = year - 2021
        ages = np.zeros(top + 1)
        for a in range(top + 1):
            if a < k:
                ages[a] = national[0]
            elif a - k < TOP:
                ages[a] = national[a - k]
        ages[top] += 0  # open band keeps whatever reached it (nothing in this small example)
        rows += [("CZ", "celkem", a, year, ages[a]) for a in range(top + 1)]
        if kraj_growth is not None:
            rows += [("CZ011", "celkem", a, year, ages[a] * 0.5 * kraj_growth) for a in range(top + 1)]
    return pd.DataFrame(rows, columns=["uzemi_kod", "pohlavi", "vek", "rok", "pocet"])


def _base() -> method.Base:
    return method.single_years(_bands(), OBCE, ("celkem",), 2021)


def test_bands_are_split_by_the_obce_with_single_years_and_keep_their_totals() -> None:
    base = _base()
    bands = _bands()
    assert base.counts["celkem"].sum() == pytest.approx(bands["pocet"].sum())
    small = base.counts["celkem"][3]
    assert small[0:3].sum() == pytest.approx(18) and small[3:6].sum() == pytest.approx(24) and small[6] == 8
    reference = base.counts["celkem"][:3, 0:3].sum(axis=0)
    assert small[0:3] == pytest.approx(18 * reference / reference.sum())


def test_national_projection_is_reproduced_and_the_kraje_add_up_to_it() -> None:
    base = _base()
    control = method.Control.from_frame(_control(base))
    years = list(range(2021, 2031))
    everyone = np.ones((1, len(OBCE)))
    kraje = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
    whole = method.project(base, control, KRAJ, everyone, years, parents=(2, 4), children=(0, 1))[0]
    parts = method.project(base, control, KRAJ, kraje, years, parents=(2, 4), children=(0, 1)).sum(axis=0)
    national = control.values[("CZ", "celkem")]
    assert whole == pytest.approx(national)
    assert parts == pytest.approx(national)


def test_a_cohort_of_an_obec_ages_with_its_own_count_when_the_country_only_ages() -> None:
    """Independent computation: with no deaths and no migration, each obec's cohort keeps its base count."""
    base = _base()
    control = method.Control.from_frame(_control(base))
    one = np.array([[1.0, 0, 0, 0]])
    projected = method.project(base, control, KRAJ, one, [2024], parents=(2, 4), children=(0, 1))[0, 0]
    own = base.counts["celkem"][0]
    assert projected[3:3 + TOP] == pytest.approx(own[:TOP])


def test_a_kraj_with_its_own_projection_is_reproduced_and_the_rest_takes_the_remainder() -> None:
    base = _base()
    control = method.Control.from_frame(_control(base, kraj_growth=1.2))
    years = [2025, 2030]
    kraje = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
    orp = np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=float)
    by_kraj = method.project(base, control, KRAJ, kraje, years, parents=(2, 4), children=(0, 1))
    own = control.values[("CZ011", "celkem")][[4, 9]]
    assert by_kraj[0] == pytest.approx(own)
    assert by_kraj.sum(axis=0) == pytest.approx(control.values[("CZ", "celkem")][[4, 9]])
    assert method.project(base, control, KRAJ, orp, years, parents=(2, 4), children=(0, 1)).sum(axis=0) == pytest.approx(own)


def test_cohorts_born_after_the_base_follow_the_parents_and_add_up() -> None:
    base = _base()
    control = method.Control.from_frame(_control(base))
    each = np.eye(len(OBCE))
    projected = method.project(base, control, KRAJ, each, [2030], parents=(2, 4), children=(0, 1))[:, 0, :]
    assert projected[:, 0].sum() == pytest.approx(control.values[("CZ", "celkem")][-1][0])
    assert (projected[:, 0] >= 0).all()


def test_a_projection_without_the_national_series_is_refused() -> None:
    frame = _control(_base())
    with pytest.raises(SprssError, match="Česko"):
        method.Control.from_frame(frame.assign(uzemi_kod="CZ011"))


def test_base_year_of_a_31_december_is_the_next_year() -> None:
    assert method.base_year(pd.Timestamp("2020-12-31")) == 2021
    assert method.base_year(pd.Timestamp("2024-01-01")) == 2024


def test_a_projection_by_sex_projects_each_sex_from_its_own_base() -> None:
    bands = _bands()
    frame = _control(method.single_years(bands, OBCE, ("celkem",), 2021))
    by_sex = pd.concat([frame.assign(pohlavi="muzi", pocet=frame["pocet"] * 0.4),
                        frame.assign(pohlavi="zeny", pocet=frame["pocet"] * 0.6)], ignore_index=True)
    control = method.Control.from_frame(by_sex)
    assert control.sexes() == ("muzi", "zeny")
    base = method.single_years(bands, OBCE, control.sexes(), 2021)
    assert base.counts["muzi"].sum() == pytest.approx(bands.loc[bands.pohlavi == "muzi", "pocet"].sum())
    everyone = np.ones((1, len(OBCE)))
    whole = method.project(base, control, KRAJ, everyone, [2025], parents=(2, 4), children=(0, 1))[0, 0]
    assert whole == pytest.approx(control.values[("CZ", "muzi")][4] + control.values[("CZ", "zeny")][4])
