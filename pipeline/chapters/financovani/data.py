"""What the chapter "Financování sociálních služeb obcemi" shows, read once at the start of notebooks/financovani.py.

Numbers come as they are from pipeline.indicators.financovani (sums over the obce that have data, per inhabitant,
shares, paragraphs); this module selects, pivots and words them. Every sentence says how many obce the figure
covers, because the Monitor's extracts are imported obec by obec and a territory is rarely complete.
"""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.chapters.shared import Table
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.territory import Area, Territory, label, of_area
from pipeline.core.text import czech_join, czech_number, plural
from pipeline.indicators import financovani, metadata
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

SOCIAL = "vydaje_socialni_oblast"
PER_CAPITA = "vydaje_socialni_oblast_na_obyvatele"
PER_SENIOR = "vydaje_socialni_oblast_na_obyvatele_65_plus"
SHARE = "podil_vydaju_socialni_oblast"
BUDGETS = {"vydaje_socialni_oblast_schvaleny": "Schválený rozpočet (Kč)",
           "vydaje_socialni_oblast_upraveny": "Upravený rozpočet (Kč)",
           SOCIAL: "Skutečnost (Kč)"}
# what a plan's economic part needs and the Monitor cannot give: it holds the obce's own budgets only
NOT_IN_MONITOR = [
    "dotace kraje poskytovatelům sociálních služeb (z rozpočtu kraje i z prostředků MPSV, které kraj rozděluje podle "
    "§ 101a zákona č. 108/2006 Sb.) a dotace MPSV poskytovatelům přímo;",
    "úhrady uživatelů za služby a příspěvek na péči, kterým je platí;",
    "úhrady zdravotních pojišťoven za zdravotní péči poskytnutou v sociálních službách;",
    "rozpočty poskytovatelů samých (příspěvkových organizací, spolků, církevních organizací): obec v nich vidí jen "
    "svůj příspěvek nebo dotaci.",
]


@dataclass
class FinancingData:
    territory: Territory
    references: list[Area]  # the ORP of a finer territory, its kraj, ČR
    values: pd.DataFrame  # financovani.compute for the territory, its obce, units and references
    breakdown: pd.DataFrame  # financovani.paragraphs of the territory
    units: list[Area]  # what the per-unit table and chart list (territory.map_units): its obce, the ORP of a kraj,
    # the kraje of ČR (700 bars and rows for a kraj's obce); none for an obec

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def years(self) -> list[str]:
        """Budget years for which at least one obec of the territory has data."""
        return sorted(set(self._rows(self.head, SOCIAL)["obdobi"]))

    @property
    def latest(self) -> str | None:
        return self.years[-1] if self.years else None

    def _rows(self, area: Area, code: str) -> pd.DataFrame:
        v = self.values
        return v[(v.uzemi_typ == area.typ) & (v.uzemi_kod == area.kod) & (v.ukazatel == code)]

    def value(self, area: Area, code: str, year: str) -> tuple[float, int, int] | None:
        """(value, obce with data, obce of the area), or None when there is no value."""
        rows = self._rows(area, code)
        rows = rows[rows.obdobi == year]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return float(row.hodnota), int(row.obci_s_udaji), int(row.obci_celkem)

    @property
    def latest_per_capita(self) -> str | None:
        """The latest year with spending per inhabitant (population k 1. 1. may lag behind the budgets)."""
        years = sorted(set(self._rows(self.head, PER_CAPITA)["obdobi"]))
        return years[-1] if years else None

    def obce_with_data(self, year: str) -> list[Area]:
        return [a for a in territory.obec_areas(self.territory) if self.value(a, SOCIAL, year) is not None]

    def units_with_data(self, year: str) -> list[Area]:
        return [a for a in self.units if self.value(a, SOCIAL, year) is not None]

    @property
    def by_obce(self) -> bool:
        return territory.of_obce(self.units)

    def source(self, *codes: str) -> str:
        return metadata.source_line(codes or (SOCIAL,))


def load(selector: str, data_dir: Path | str | None = None) -> FinancingData:
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        references = territory.comparisons(chosen, obce)
        parts = territory.obec_areas(chosen) if chosen.area.typ != "obec" else []  # an obec is its own only part
        units = territory.map_units(chosen) if parts else []
        areas = [chosen.area, *parts, *(u for u in units if u.typ != "obec"), *references]
        return FinancingData(chosen, references, financovani.compute(con, areas),
                             financovani.paragraphs(con, [chosen.area]), units)


def _obce(n: int) -> str:
    return plural(n, "obec", "obce", "obcí")


def _of_all(n: int) -> str:
    """'z celkového počtu 78 obcí' (genitive)."""
    return f"z celkového počtu {n} {'obce' if n == 1 else 'obcí'}"


def _kc(value: float) -> str:
    return f"{czech_number(value)} Kč"


# --- tables ---------------------------------------------------------------------------------------------


def trend(d: FinancingData) -> Table:
    """The territory per year: obce with data, the three budget figures, per inhabitant, per 65+, share."""
    rows = []
    for year in d.years:
        social = d.value(d.head, SOCIAL, year)
        assert social is not None
        row: dict[str, object] = {"Rok": year, "Obcí s údaji": social[1]}
        for code, column in BUDGETS.items():
            found = d.value(d.head, code, year)
            row[column] = found[0] if found else None
        for code, column in ((PER_CAPITA, "Na obyvatele (Kč)"), (PER_SENIOR, "Na obyvatele 65+ (Kč)"),
                             (SHARE, "Podíl na výdajích obcí (%)")):
            found = d.value(d.head, code, year)
            row[column] = found[0] if found else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    return Table(frame, {"Obcí s údaji": 0, "Podíl na výdajích obcí (%)": 1}, d.source(SOCIAL, PER_CAPITA, PER_SENIOR))


def by_unit(d: FinancingData, year: str) -> Table:
    """Every unit of the territory with data for the year: its obce, or a kraj's ORP with how many of their obce
    the sums rest on."""
    share = "Podíl na výdajích obce (%)" if d.by_obce else "Podíl na výdajích obcí (%)"
    rows = []
    for area in d.units_with_data(year):
        row: dict[str, object] = {territory.UNIT_HEADER[area.typ]: area.nazev, "Kód": area.kod}
        social = d.value(area, SOCIAL, year)
        if social and not d.by_obce:
            row["Obcí s údaji"], row["Obcí celkem"] = social[1], social[2]
        for code, column in ((SOCIAL, "Skutečnost (Kč)"), ("vydaje_socialni_oblast_upraveny", "Upravený rozpočet (Kč)"),
                             (PER_CAPITA, "Na obyvatele (Kč)"), (PER_SENIOR, "Na obyvatele 65+ (Kč)"), (SHARE, share)):
            found = d.value(area, code, year)
            row[column] = found[0] if found else None
        rows.append(row)
    decimals = {share: 1, **({} if d.by_obce else {"Obcí s údaji": 0, "Obcí celkem": 0})}
    return Table(pd.DataFrame(rows), decimals, d.source(SOCIAL, PER_CAPITA, PER_SENIOR))


NO_VALUE = float("nan")  # not None: a column of numbers stays numeric (right-aligned, Czech notation) when one is missing


def comparison(d: FinancingData, year: str) -> Table:
    """Per inhabitant and share in the territory and its reference areas, with how many obce each sum covers."""
    rows = []
    for area in [d.head, *d.references]:
        social = d.value(area, SOCIAL, year)
        if social is None:
            continue
        per_capita, per_senior, share = (d.value(area, c, year) for c in (PER_CAPITA, PER_SENIOR, SHARE))
        rows.append({"Území": label(area), "Obcí s údaji": social[1], "Obcí celkem": social[2],
                     "Skutečnost (Kč)": social[0], "Na obyvatele (Kč)": per_capita[0] if per_capita else NO_VALUE,
                     "Na obyvatele 65+ (Kč)": per_senior[0] if per_senior else NO_VALUE,
                     "Podíl na výdajích obcí (%)": share[0] if share else NO_VALUE})
    return Table(pd.DataFrame(rows), {"Podíl na výdajích obcí (%)": 1}, d.source(SOCIAL, PER_CAPITA, PER_SENIOR))


def paragraphs(d: FinancingData, year: str) -> Table:
    rows = d.breakdown[d.breakdown.obdobi == year]
    total = float(rows["skutecnost"].sum())
    frame = pd.DataFrame({
        "Paragraf": rows["paragraf"],
        "Název": [n if isinstance(n, str) else "název není v číselníku sprss" for n in rows["paragraf_nazev"]],
        "Schválený rozpočet (Kč)": rows["schvaleny_rozpocet"].astype(float),
        "Upravený rozpočet (Kč)": rows["upraveny_rozpocet"].astype(float),
        "Skutečnost (Kč)": rows["skutecnost"].astype(float),
        "Podíl na § 43xx (%)": rows["skutecnost"].astype(float) / total * 100 if total > 0 else NO_VALUE,
    })
    return Table(frame.reset_index(drop=True), {"Podíl na § 43xx (%)": 1}, d.source())


# --- chart data -----------------------------------------------------------------------------------------


def per_capita_by_unit(d: FinancingData, year: str) -> pd.Series:
    """Unit name -> spending per inhabitant, for the units (obce, a kraj's ORP) with a per-capita value, highest
    first."""
    pairs = [(a.nazev, d.value(a, PER_CAPITA, year)) for a in d.units_with_data(year)]
    return pd.Series({name: v[0] for name, v in pairs if v is not None}, dtype=float).sort_values(ascending=False)


def reference_lines(d: FinancingData, year: str) -> list[tuple[str, float]]:
    """The territory's per-capita value (when it sums several obce) and those of references whose sums rest on more
    obce than the territory's own (else they repeat it)."""
    own = d.value(d.head, SOCIAL, year)
    lines = []
    for area in [d.head, *d.references]:
        found, social = d.value(area, PER_CAPITA, year), d.value(area, SOCIAL, year)
        if found is None or social is None or own is None:
            continue
        if (area == d.head and social[1] > 1) or (area != d.head and social[1] > own[1]):
            lines.append((label(area), found[0]))
    return lines


# --- sentences ------------------------------------------------------------------------------------------


def coverage_sentence(d: FinancingData) -> str:
    n = len(d.head.obce)
    if not d.years:
        whose = f"Obec {d.head.nazev} nemá" if n == 1 and d.head.typ == "obec" else f"Žádná obec území {of_area(d.head)} nemá"
        return f"{whose} v podkladech analýzy rozpočet z Monitoru státní pokladny (výkaz FIN 2-12 M)."
    latest = d.latest
    assert latest is not None
    with_data = d.obce_with_data(latest)
    years = f"{plural(len(d.years), 'rok', 'roky', 'let')} ({d.years[0]}–{d.years[-1]})" if len(d.years) > 1 \
        else f"rok {d.years[0]}"
    if n == 1:
        return f"Rozpočet obce {d.head.nazev} je v podkladech analýzy za {years}."
    if len(with_data) == n:
        return f"Rozpočet za rok {latest} má v podkladech analýzy všech {n} obcí území; údaje pokrývají celkem {years}."
    names = ", ".join(a.nazev for a in with_data[:5]) + (f" a další {len(with_data) - 5}" if len(with_data) > 5 else "")
    these = "tuto obec" if len(with_data) == 1 else "tyto obce"
    return (f"Rozpočet za rok {latest} má v podkladech analýzy jen {_obce(len(with_data))} území {_of_all(n)} ({names}); "
            f"součty za území proto zahrnují jen {these} a nevypovídají o území jako celku. Údaje pokrývají "
            f"{years}.")


def _subject(d: FinancingData, year: str) -> tuple[str, bool]:
    """Who spent: the Czech subject of a sentence about the year, and whether it is plural."""
    with_data, n = d.obce_with_data(year), len(d.head.obce)
    if n == 1:
        return f"obec {d.head.nazev}", False
    if len(with_data) == 1:
        return f"obec {with_data[0].nazev} (jediná obec území s údaji)", False
    if len(with_data) == n:
        return f"obce území {of_area(d.head)}", True
    return f"{_obce(len(with_data))} území {of_area(d.head)} s údaji", True


def findings(d: FinancingData) -> list[str]:
    """True sentences about the latest year, the trend over obce with data in both end years, and the comparison."""
    if not d.years:
        return []
    latest = d.latest
    assert latest is not None
    social = d.value(d.head, SOCIAL, latest)
    assert social is not None
    subject, many = _subject(d, latest)
    if social[0] == 0:
        return [f"V roce {latest} {subject} {'nevykázaly' if many else 'nevykázala'} žádné výdaje v § 4300–4399.",
                *_trend_sentence(d), *_comparison_sentences(d, latest)]
    sentence = f"V roce {latest} {'vydaly' if many else 'vydala'} {subject} na sociální oblast (§ 4300–4399) {_kc(social[0])}"
    per_capita = d.value(d.head, PER_CAPITA, latest)
    share = d.value(d.head, SHARE, latest)
    tail = []
    if per_capita:
        tail.append(f"{_kc(per_capita[0])} na obyvatele")
    if share:
        tail.append(f"{czech_number(share[0], 1)} % všech výdajů")
    lines = [sentence + (", tj. " + " a ".join(tail) if tail else "") + "."]
    if not per_capita:
        whose = "obce" if len(d.head.obce) == 1 else "některé z obcí s údaji"
        missing = (f"Výdaje na obyvatele za rok {latest} nejsou spočteny: v podkladech analýzy chybí počet obyvatel "
                   f"k 1. 1. {latest} {whose}.")
        earlier = d.latest_per_capita
        value = d.value(d.head, PER_CAPITA, earlier) if earlier else None
        if earlier and value:
            n = len(d.obce_with_data(earlier))  # genitive: 'na obyvatele 1 obce', '… 4 obcí'
            among = "" if len(d.head.obce) == 1 else f" {n} {'obce' if n == 1 else 'obcí'} s údaji"
            missing += f" Za rok {earlier}, poslední s počtem obyvatel, činily {_kc(value[0])} na obyvatele{among}."
        lines.append(missing)
    return lines + _trend_sentence(d) + _comparison_sentences(d, latest)


def _trend_sentence(d: FinancingData) -> list[str]:
    """Change between the first and last year, only when the same obce have data in both."""
    if len(d.years) < 2:
        return []
    first, last = d.years[0], d.years[-1]
    same = {a.kod for a in d.obce_with_data(first)} == {a.kod for a in d.obce_with_data(last)}
    if not same:
        return [f"Roky {first} a {last} nejsou srovnatelné: údaje za ně má jiný soubor obcí."]
    start, end = d.value(d.head, SOCIAL, first), d.value(d.head, SOCIAL, last)
    assert start is not None and end is not None
    if start[0] > 0:
        change = (end[0] - start[0]) / start[0] * 100
        word = "vzrostly" if change > 0 else "klesly" if change < 0 else "se nezměnily"
        amount = f" o {czech_number(abs(change), 1)} %" if change != 0 else ""
        return [f"Mezi lety {first} a {last} výdaje na sociální oblast {word}{amount} (z {_kc(start[0])} "
                f"na {_kc(end[0])}, v běžných cenách)."]
    return [f"V roce {first} nebyly výdaje na sociální oblast žádné, v roce {last} činily {_kc(end[0])}."]


def _comparison_sentences(d: FinancingData, year: str) -> list[str]:
    """Per inhabitant against each reference area whose sum rests on more obce than the territory's own."""
    own = d.value(d.head, PER_CAPITA, year)
    social = d.value(d.head, SOCIAL, year)
    assert social is not None
    subject, many = _subject(d, year)
    lines, only_own = [], []
    for area in d.references:
        theirs = d.value(area, SOCIAL, year)
        if theirs is None or theirs[1] <= social[1]:
            only_own.append(area)
            continue
        found = d.value(area, PER_CAPITA, year)
        if own is None or found is None:
            continue
        relation = "více než" if own[0] > found[0] else "méně než" if own[0] < found[0] else "stejně jako"
        lines.append(f"Na obyvatele {'vydaly' if many else 'vydala'} {subject} {_kc(own[0])}, {relation} obce "
                     f"s údaji ve srovnávacím území {of_area(area)} ({_kc(found[0])}; údaje má {_obce(theirs[1])} "
                     f"{_of_all(theirs[2])}).")
    if only_own:
        many_areas = len(only_own) > 1
        whose = f"obec {d.head.nazev}" if len(d.head.obce) == 1 else "obce tohoto území"
        lines.append(f"Srovnání {'s územími' if many_areas else 's územím'} {czech_join([of_area(a) for a in only_own])} "
                     f"za rok {year} není k dispozici: údaje v {'nich' if many_areas else 'něm'} "
                     f"{'má' if len(d.head.obce) == 1 else 'mají'} jen {whose}.")
    return lines
