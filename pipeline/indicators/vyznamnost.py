"""Is a territory's share or rate really different from its kraj and ČR, or noise of small numbers?

As public-health indicator profiles do: every share (a part of the population, ×100) gets a 95 % Wilson score
interval, every rate per 1,000 an exact Poisson interval of its numerator (Byar's approximation above
EXACT_POISSON_MAX events, where the two agree to well under 0.1 %), and the value is marked `vyšší` / `nižší`
when the whole interval lies above / below the comparison area's value, `podobná` otherwise. Values whose
numerator is below MIN_NUMERATOR or whose denominator is below MIN_DENOMINATOR are not shown (SUPPRESSION_RULE).
Indices of two separate groups (index stáří, zatížení) and averages are neither shares nor rates: not tested.
Registered capacity per 1,000 is not a count of random events, so it is not tested either.
"""
from collections.abc import Callable, Sequence
import math

import duckdb
import pandas as pd

from pipeline.core.territory import Area, membership
from pipeline.indicators.demografie import AREA_COUNTS_SQL
from pipeline.indicators.metadata import Indicator, catalogue

Z95 = 1.959963984540054
MIN_NUMERATOR = 5
MIN_DENOMINATOR = 100
EXACT_POISSON_MAX = 300
SUPPRESSION_RULE = (f"Hodnota se nezobrazuje, je-li v čitateli méně než {MIN_NUMERATOR} osob nebo ve jmenovateli "
                    f"méně než {MIN_DENOMINATOR} osob (malý základ).")
HIGHER, SIMILAR, LOWER, SMALL = "vyšší", "podobná", "nižší", "malý základ"
# the populations a share is a part of
WHOLE_POPULATIONS = ("obyvatel_celkem", "obyvatel_s_vekem")
BENCHMARK_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "obdobi", "ukazatel", "nazev", "jednotka", "citatel",
                     "jmenovatel", "hodnota", "dolni_mez", "horni_mez", "srovnani_typ", "srovnani_kod",
                     "srovnani_nazev", "srovnani_hodnota", "vysledek"]


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the proportion k / n."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def poisson(k: float, z: float = Z95) -> tuple[float, float]:
    """95 % interval of a Poisson count k: exact (Garwood) up to EXACT_POISSON_MAX, Byar's approximation above."""
    if k > EXACT_POISSON_MAX:
        lower = k * (1 - 1 / (9 * k) - z / (3 * math.sqrt(k))) ** 3
        upper = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * math.sqrt(k + 1))) ** 3
        return lower, upper
    events = int(round(k))
    tail = (1 - 0.95) / 2
    lower = 0.0 if events == 0 else _solve(lambda mu: 1 - _poisson_cdf(events - 1, mu), tail, 0.0, events + 1.0)
    upper = _solve(lambda mu: 1 - _poisson_cdf(events, mu), 1 - tail, float(events), events + 10 * math.sqrt(events + 1) + 10)
    return lower, upper


def _poisson_cdf(k: int, mu: float) -> float:
    if mu <= 0:
        return 1.0
    term = math.exp(-mu)
    total = term
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return min(total, 1.0)


def _solve(increasing: Callable[[float], float], target: float, low: float, high: float) -> float:
    """Bisection for increasing(mu) = target on [low, high]."""
    for _ in range(100):
        middle = (low + high) / 2
        if increasing(middle) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def mark(lower: float, upper: float, reference: float) -> str:
    if any(math.isnan(v) for v in (lower, upper, reference)):
        return SMALL
    if lower > reference:
        return HIGHER
    if upper < reference:
        return LOWER
    return SIMILAR


def small_base(numerator: float, denominator: float) -> bool:
    return bool(numerator < MIN_NUMERATOR or denominator < MIN_DENOMINATOR)


def tested(indicators: Sequence[Indicator] | None = None) -> list[Indicator]:
    """The shares (one count of a whole population, × 100) and rates (× 1,000) of indicators.yaml."""
    chosen = []
    for indicator in indicators if indicators is not None else catalogue():
        rule = indicator.vypocet
        if "citatel" not in rule or len(rule["citatel"]) != 1:
            continue
        if rule["nasobek"] == 100 and rule["jmenovatel"] in WHOLE_POPULATIONS or rule["nasobek"] == 1000:
            chosen.append(indicator)
    return chosen


def interval(indicator: Indicator, k: float, n: float) -> tuple[float, float]:
    scale = indicator.vypocet["nasobek"]
    if scale == 100:
        low, high = wilson(k, n)
    else:
        low, high = (v / n for v in poisson(k))
    return low * scale, high * scale


def benchmark(con: duckdb.DuckDBPyConnection, area: Area, references: Sequence[Area]) -> pd.DataFrame:
    """BENCHMARK_COLUMNS: for each tested indicator, at the latest date the area has it, the area's value with
    its interval against each reference area's value on the same date."""
    indicators = tested()
    areas = [area, *references]
    con.register("clenstvi", membership(areas))
    try:
        counts = ",\n".join(f"{i.vypocet['citatel'][0]} AS c_{i.kod}, {i.vypocet['jmenovatel']} AS j_{i.kod}"
                            for i in indicators)
        wide = con.execute(f"""
            WITH uzemi_pocty AS ({AREA_COUNTS_SQL.read_text()})
            SELECT uzemi_poradi, obdobi, {counts} FROM uzemi_pocty ORDER BY uzemi_poradi, obdobi
        """).df()
    finally:
        con.unregister("clenstvi")
    rows = []
    for indicator in indicators:
        own = wide[(wide["uzemi_poradi"] == 0) & wide[f"j_{indicator.kod}"].notna() & wide[f"c_{indicator.kod}"].notna()]
        if own.empty:
            continue
        latest = own.iloc[-1]
        k, n = float(latest[f"c_{indicator.kod}"]), float(latest[f"j_{indicator.kod}"])
        suppressed = small_base(k, n)
        value = math.nan if suppressed or n <= 0 else k / n * indicator.vypocet["nasobek"]
        low, high = (math.nan, math.nan) if suppressed else interval(indicator, k, n)
        for position, reference in enumerate(references, start=1):
            other = wide[(wide["uzemi_poradi"] == position) & (wide["obdobi"] == latest["obdobi"])]
            ref_value = math.nan
            if len(other) and float(other[f"j_{indicator.kod}"].iloc[0] or 0) > 0:
                ref_value = float(other[f"c_{indicator.kod}"].iloc[0]) / float(other[f"j_{indicator.kod}"].iloc[0]) \
                    * indicator.vypocet["nasobek"]
            rows.append((area.typ, area.kod, area.nazev, pd.Timestamp(latest["obdobi"]).strftime("%Y-%m-%d"),
                         indicator.kod, indicator.nazev, indicator.jednotka, k, n, value, low, high, reference.typ,
                         reference.kod, reference.nazev, ref_value,
                         SMALL if suppressed else mark(low, high, ref_value)))
    return pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
