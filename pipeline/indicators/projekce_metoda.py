"""Population projection of any set of obce: cohort shares of a ČSÚ projection (the method of `sprss projection`).

ČSÚ projects ČR and the kraje, never an ORP or an obec. sprss keeps each obec's share of every birth cohort
(both sexes, or each sex where the projection has them) as it was in the latest age structure of all obce,
and lets the cohort age along the ČSÚ projection: the projected count of age a in year y in a set of obce T is

    P_T(a, y) = Σ_A P_A(a, y) · R_{T∩A}(y − a) / R_A(y − a)

where A runs over the control areas (each kraj with its own ČSÚ projection for that year, and the rest of ČR
with the national projection minus those kraje), R_X(c) is the base count of cohort c (born in year c − 1,
aged y0 − c on 1. 1. y0) summed over the obce of X. That is a cohort-change ratio of the control area applied to
each obec's cohort. Cohorts born after the base date get, per obec, the obec's share of the population aged
20–39 in their year of birth times its base ratio of children 0–4 to that group (local fertility differential).

Because the shares of every cohort add up to 1 over the obce of each control area, the projection of ČR is
ČSÚ's national projection, a kraj with its own projection is that projection, and any partition (14 kraje,
the ORP of a kraj) adds up to its whole. Ages in 5-year bands (obce under 1,000) are split into single years in
proportion to the obce that have single years; the open band of the base (85+) is one cohort group, and the
projection's open band (100+) takes the share of its youngest cohort.

Limits: migration and mortality of an obec follow its control area by age; small obce get small, smooth numbers
that are no forecast of their own.
"""
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from pipeline.core.errors import SprssError

PARENT_AGES = (20, 39)
CHILD_AGES = (0, 4)
NATIONAL = "CZ"
# the base covers ČR when its total is within this ratio of the national projection's first year
BASE_COVERAGE = (0.9, 1.1)


@dataclass(frozen=True)
class Base:
    """Single-year counts of every obec at the base: counts[sex][obec, age], age 0 … top (top = open band)."""
    year: int                       # base date as 1. 1. of this year (31. 12. 2020 -> 2021)
    obce: tuple[str, ...]
    sexes: tuple[str, ...]          # ('celkem',) or ('muzi', 'zeny')
    counts: dict[str, np.ndarray]
    top: int


def base_year(obdobi: pd.Timestamp) -> int:
    """31. 12. of a year is 1. 1. of the next one; any other day counts as the 1. 1. nearest to it."""
    day = pd.Timestamp(obdobi)
    return day.year + 1 if (day.month, day.day) >= (7, 1) else day.year


def single_years(bands: pd.DataFrame, obce: list[str], sexes: tuple[str, ...], year: int) -> Base:
    """Base from age bands (columns obec_kod, pohlavi muzi|zeny, vek_od, vek_do (NaN = open), pocet).

    With sexes ('celkem',) the two sexes are added. Every obec in `obce` must appear (zeros otherwise).
    """
    frame = bands.copy()
    if sexes == ("celkem",):
        frame["pohlavi"] = "celkem"
    top = int(frame.loc[frame["vek_do"].isna(), "vek_od"].min()) if frame["vek_do"].isna().any() else int(frame["vek_do"].max()) + 1
    open_band = frame["vek_do"].isna() | (frame["vek_od"] >= top)
    frame["od"] = frame["vek_od"].clip(upper=top).astype(int)
    frame["do"] = np.where(open_band, top, frame["vek_do"].fillna(top).clip(upper=top)).astype(int)
    index = {kod: i for i, kod in enumerate(obce)}
    counts: dict[str, np.ndarray] = {}
    for sex in sexes:
        part = frame[frame["pohlavi"] == sex].groupby(["obec_kod", "od", "do"], as_index=False).agg(pocet=("pocet", "sum"))
        single = part[part["od"] == part["do"]]
        reference = np.bincount(single["od"], weights=single["pocet"], minlength=top + 1).astype(float)
        matrix = np.zeros((len(obce), top + 1))
        rows = part["obec_kod"].map(index)
        if rows.isna().any():
            raise SprssError(f"Věková struktura obsahuje obec {part.loc[rows.isna(), 'obec_kod'].iloc[0]}, "
                             "která není v územní struktuře.")
        np.add.at(matrix, (rows[single.index].to_numpy(int), single["od"].to_numpy(int)), single["pocet"].to_numpy(float))
        wider = part[part["od"] != part["do"]]
        for (od, do), band in wider.groupby(["od", "do"]):
            ages = np.arange(cast(int, od), cast(int, do) + 1)
            weights = reference[ages]
            weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(ages), 1 / len(ages))
            np.add.at(matrix, (rows[band.index].to_numpy(int)[:, None], ages[None, :]),
                      band["pocet"].to_numpy(float)[:, None] * weights[None, :])
        counts[sex] = matrix
    return Base(year, tuple(obce), sexes, counts, top)


@dataclass(frozen=True)
class Control:
    """ČSÚ projection of one variant: values[(area, sex)] is an array [year, age 0 … open]."""
    years: np.ndarray
    top: int
    values: dict[tuple[str, str], np.ndarray]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Control":
        """Columns uzemi_kod (CZ or a kraj NUTS code), pohlavi, vek (single years; the top one open), rok, pocet."""
        years = np.array(sorted(frame["rok"].unique()), dtype=int)
        top = int(frame["vek"].max())
        values = {}
        for (area, sex), part in frame.groupby(["uzemi_kod", "pohlavi"]):
            grid = np.full((len(years), top + 1), np.nan)
            grid[np.searchsorted(years, part["rok"].to_numpy(int)), part["vek"].to_numpy(int)] = part["pocet"].to_numpy(float)
            values[(str(area), str(sex))] = grid
        if not any(area == NATIONAL for area, _ in values):
            raise SprssError("Projekce neobsahuje Česko (CZ): bez národní projekce nelze projektovat území.")
        return cls(years, top, values)

    def sexes(self) -> tuple[str, ...]:
        national = {sex for area, sex in self.values if area == NATIONAL}
        return ("muzi", "zeny") if {"muzi", "zeny"} <= national else ("celkem",)

    def of(self, area: str, sex: str, year: int) -> np.ndarray | None:
        grid = self.values.get((area, sex))
        if grid is None or year not in self.years:
            return None
        row = grid[int(np.searchsorted(self.years, year))]
        return None if np.isnan(row).any() else row


def project(base: Base, control: Control, kraj_of_obec: dict[str, str], members: np.ndarray,
            years: list[int], parents: tuple[int, int] = PARENT_AGES,
            children: tuple[int, int] = CHILD_AGES) -> np.ndarray:
    """Projected counts [territory, year, age 0 … control.top] (sexes added) for territories given as a
    0/1 matrix `members` [territory, obec]; `parents` and `children` are the age bands of the births proxy."""
    first_cohort = base.year - base.top
    last_cohort = max(years)
    cohorts = np.arange(first_cohort, last_cohort + 1)
    raw = {sex: _cohort_counts(base, control, cohorts, parents, children)[sex] for sex in base.sexes}
    kraje = np.array([kraj_of_obec.get(kod, "") for kod in base.obce])
    projected_kraje = sorted({area for area, _ in control.values if area != NATIONAL} & set(kraje))
    # cohort counts summed over each territory and over each control area, once for all years
    inside = {kraj: kraje == kraj for kraj in projected_kraje}
    of_territory = {sex: members @ raw[sex] for sex in base.sexes}
    of_kraj = {(sex, k): (members[:, inside[k]] @ raw[sex][inside[k]], raw[sex][inside[k]].sum(axis=0))
               for sex in base.sexes for k in projected_kraje}
    result = np.zeros((members.shape[0], len(years), control.top + 1))
    ages = np.arange(control.top + 1)
    for j, year in enumerate(years):
        index = np.clip(year - ages, first_cohort, last_cohort) - first_cohort
        for sex in base.sexes:
            national = control.of(NATIONAL, sex, year)
            if national is None:
                raise SprssError(f"Národní projekce nemá rok {year} (pohlaví {sex}).")
            residual, rest, rest_total = national.copy(), of_territory[sex].copy(), raw[sex].sum(axis=0)
            for kraj in projected_kraje:
                own = control.of(kraj, sex, year)
                if own is None:
                    continue
                in_kraj, kraj_total = of_kraj[(sex, kraj)]
                result[:, j, :] += _distribute(own, in_kraj[:, index], kraj_total[index])
                residual, rest, rest_total = residual - own, rest - in_kraj, rest_total - kraj_total
            result[:, j, :] += _distribute(residual, rest[:, index], rest_total[index])
    return result


def _distribute(area_counts: np.ndarray, in_territories: np.ndarray, in_area: np.ndarray) -> np.ndarray:
    """The control area's count of each age split among the territories by their base counts of its cohort."""
    shares = np.divide(in_territories, in_area, out=np.zeros_like(in_territories), where=in_area > 1e-9)
    return shares * area_counts[None, :]


def _cohort_counts(base: Base, control: Control, cohorts: np.ndarray, parents: tuple[int, int],
                   children: tuple[int, int]) -> dict[str, np.ndarray]:
    """Per sex [obec, cohort]: the base count of each cohort, then for cohorts born later a births proxy per obec
    (the same for both sexes: only its proportions between obce matter)."""
    everyone: np.ndarray = np.sum(list(base.counts.values()), axis=0)
    born_by_base = base.top + 1
    national = everyone.sum(axis=0)
    cohort_share = np.zeros((len(base.obce), len(cohorts)))
    cohort_share[:, :born_by_base] = np.divide(everyone, national, out=np.zeros_like(everyone),
                                               where=national > 0)[:, ::-1]
    fertility = np.divide(_band_share(everyone, national, children), _band_share(everyone, national, parents),
                          out=np.zeros(len(base.obce)), where=_band_share(everyone, national, parents) > 0)
    parent_ages = np.arange(parents[0], parents[1] + 1)
    for k in range(born_by_base, len(cohorts)):
        row = int(np.searchsorted(control.years, np.clip(cohorts[k], control.years[0], control.years[-1])))
        weights = sum(control.values[(NATIONAL, s)][row][parent_ages] for s in control.sexes())
        proxy = fertility * (cohort_share[:, k - parent_ages] @ weights)
        cohort_share[:, k] = proxy / proxy.sum() if proxy.sum() > 0 else 0
    result = {}
    for sex, counts in base.counts.items():
        matrix = cohort_share.copy()
        matrix[:, :born_by_base] = counts[:, ::-1]  # cohort y0 - top (the open band) … y0 (aged 0)
        result[sex] = matrix
    return result


def _band_share(counts: np.ndarray, national: np.ndarray, band: tuple[int, int]) -> np.ndarray:
    ages = slice(band[0], band[1] + 1)
    whole = national[ages].sum()
    return counts[:, ages].sum(axis=1) / whole if whole > 0 else np.zeros(counts.shape[0])
