"""Everything one study needs from the warehouse, read once at the start of the notebook."""
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.chapters.demografie import change
from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Shape, Territory, of_area
from pipeline.core.text import czech_iso, plural
from pipeline.indicators import datastat, historie, metadata, provenience, small_bases, uzemi
from pipeline.indicators import demografie as indicators
from pipeline.indicators.metadata import SeriesBreak
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

# a territory larger than an ORP is broken down by the next level, not by hundreds of obce
PART_LEVEL = {"okres": "orp", "kraj": "orp", "stat": "kraj"}


@dataclass
class StudyData:
    territory: Territory
    parts: list[Area]  # sub-areas, then obce (or the ORP/kraje of a larger territory)
    references: list[Area]  # the ORP of a finer territory, its kraj, ČR
    ind: pd.DataFrame  # indicators.compute for the territory, parts and references, up to the reference date
    pyramids: pd.DataFrame  # indicators.age_pyramid for the territory and pyramid_reference
    pyramid_reference: Area | None  # the kraj (ČR for a kraj), outlined in the pyramid
    map_units: list[Area]  # what the maps colour (territory.map_units): obce, the ORP of a kraj, the kraje of ČR
    shapes: dict[str, Shape]  # map unit code -> boundary (empty when the warehouse has none)
    outline: dict[str, Shape]  # boundary of the territory itself, when the warehouse has it
    files: pd.DataFrame  # provenance of every imported file
    # the areas' own series breaks (historie.area_breaks) and what of the older figures could not be placed in
    # today's territory (historie.placement_notes)
    local_breaks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=historie.BREAK_COLUMNS))
    placement: list[str] = field(default_factory=list)
    unplaced_units: set[str] = field(default_factory=set)  # map units with such notes (e.g. an ORP that gained a new obec)
    # population k 1. 1. in both series (datastat.population_series), to say which one the chapter shows
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    population_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # indicators.population_sources

    def source(self, codes: list[str], dates: list[str]) -> str:
        """Source line of `codes` shown at `dates`: a population count names the file it comes from at those dates
        (the publication at 1. 1., the age tables at 31. 12.), not both."""
        return metadata.source_line(codes, {s for d in dates for s in self.population_sources.get(d, ())})

    def breaks_of(self, area: Area | None = None) -> list[SeriesBreak]:
        """The series breaks of one area beside the national ones: transfers between obce, splits."""
        area = area or self.head
        rows = self.local_breaks[(self.local_breaks.uzemi_typ == area.typ) & (self.local_breaks.uzemi_kod == area.kod)]
        return [SeriesBreak(str(r.datum), str(r.popisek), str(r.vysvetleni)) for r in rows.itertuples()]

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def kraj(self) -> Area | None:
        return next((a for a in [self.head, *self.references] if a.typ == "kraj"), None)

    @property
    def oblasti(self) -> list[Area]:
        return self.territory.oblasti

    @property
    def obce(self) -> list[Area]:
        return [a for a in self.parts if a.typ == "obec"]

    @property
    def units(self) -> list[Area]:
        """What the territory is made of: its obce, or the ORP (kraje) of a larger territory."""
        return [a for a in self.parts if a.typ != "oblast"]

    @property
    def mapped(self) -> bool:
        """Whether the chapter draws maps: more than one unit, with boundaries."""
        return len(self.map_units) > 1 and len(set(self.shapes) & {a.kod for a in self.map_units}) > 1

    def unit_values(self, code: str, obdobi: str) -> pd.Series:
        """Values of the map units at one date, indexed by unit code (what a map colours)."""
        level = self.map_units[0].typ if self.map_units else "obec"
        rows = self.ind[(self.ind.uzemi_typ == level) & (self.ind.ukazatel == code) & (self.ind.obdobi == obdobi)]
        codes = {a.kod for a in self.map_units}
        return rows[rows.uzemi_kod.isin(codes)].set_index("uzemi_kod")["hodnota"]

    def map_labels(self, obce: int = 6) -> dict[str, str]:
        """Names written on a map, largest unit first: the `obce` largest obce, or every ORP (kraj) of a larger area."""
        population = self.ind[(self.ind.ukazatel == "obyvatel_celkem")]
        latest = population[population.obdobi == population.obdobi.max()].set_index(["uzemi_typ", "uzemi_kod"])["hodnota"]
        ranked = sorted(self.map_units, key=lambda a: -latest.get((a.typ, a.kod), 0))
        return {a.kod: a.nazev for a in ranked[:obce if ranked and ranked[0].typ == "obec" else None]}

    def small_units(self, obdobi: str) -> dict[str, str]:
        """Map units whose rates the small-bases rule leaves out at the date, with the reason as a map legend says it."""
        reason = f"méně než {small_bases.MIN_POPULATION} obyvatel: hodnota se neuvádí"
        return {a.kod: reason for a in small_bases.small_among(self.ind, [a for a in self.map_units if a.typ == "obec"], obdobi)}

    def unit_change(self) -> change.UnitChange | None:
        """The change map's values: % change of every map unit over the newest period without a national break."""
        return change.unit_change(self.ind, self.head, self.map_units, {a: self.breaks_of(a) for a in self.map_units},
                                  self.unplaced_units)

    def latest(self, code: str, area: Area | None = None) -> str | None:
        """The last date (ISO) on which `code` is known for the area (default: the territory)."""
        area = area or self.head
        rows = self.ind[(self.ind.uzemi_typ == area.typ) & (self.ind.uzemi_kod == area.kod) & (self.ind.ukazatel == code)]
        return rows["obdobi"].max() if len(rows) else None


def load(selector: str, data_dir: Path | str | None = None, datum: str | None = None) -> StudyData:
    """Resolve the territory and read its indicators, pyramids and boundaries up to `datum` (ISO; None = all)."""
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        references = territory.comparisons(chosen, obce)
        parts = chosen.oblasti + _parts(chosen)
        map_units = territory.map_units(chosen)
        computed = list(dict.fromkeys([chosen.area, *parts, *map_units, *references]))  # each area once
        ind = indicators.compute(con, computed)
        reference = next((a for a in references if a.typ in ("kraj", "stat")), None)
        pyramids = indicators.age_pyramid(con, [chosen.area, *([reference] if reference else [])])
        shapes, outline = uzemi.territory_boundaries(con, chosen, map_units)
        files = provenience.imported_files(con)
        local_breaks = historie.area_breaks(con, list(dict.fromkeys([chosen.area, *parts, *map_units])))
        notes = historie.placement_notes(con, list(dict.fromkeys([chosen.area, *map_units])))
        own = (notes["uzemi_typ"] == chosen.area.typ) & (notes["uzemi_kod"] == chosen.area.kod)
        placement, unplaced_units = notes.loc[own, "poznamka"].tolist(), set(notes.loc[~own, "uzemi_kod"])
        series = datastat.population_series(con, [chosen.area])
        population_sources = indicators.population_sources(con)
    if datum:
        ind, pyramids = ind[ind["obdobi"] <= datum], pyramids[pyramids["obdobi"] <= datum]
        if ind.empty:
            raise SprssError(f"K datu {czech_iso(datum)} nejsou ve skladu dat žádné údaje o počtu obyvatel.")
        local_breaks, series = local_breaks[local_breaks["datum"] <= datum], series[series["obdobi"] <= datum]
    ind = small_bases.suppress(ind, keep=[chosen.area, *references])
    _require_population(chosen, ind)
    return StudyData(chosen, parts, references, ind.reset_index(drop=True), pyramids.reset_index(drop=True),
                     reference, map_units, shapes, outline, files, local_breaks.reset_index(drop=True), placement,
                     unplaced_units, series.reset_index(drop=True), population_sources)


def _require_population(chosen: Territory, ind: pd.DataFrame) -> None:
    """A territory's count exists only where every obec has one (sums, never partial sums): say which obce lack it
    instead of writing a chapter without its first number."""
    counts = ind[ind["ukazatel"] == "obyvatel_celkem"]
    own = counts[(counts["uzemi_typ"] == chosen.area.typ) & (counts["uzemi_kod"] == chosen.area.kod)]
    if len(own):
        return
    counted = set(counts.loc[counts["uzemi_typ"] == "obec", "uzemi_kod"])
    missing = [nazev for kod, nazev in zip(chosen.obce["obec_kod"], chosen.obce["obec_nazev"], strict=True)
               if kod not in counted]
    listed = ", ".join(missing[:5]) + (f" a {plural(len(missing) - 5, 'další', 'další', 'dalších')}"
                                       if len(missing) > 5 else "")
    raise SprssError(f"Počet obyvatel {of_area(chosen.area)} není v podkladech k žádnému datu úplný"
                     + (f": chybí u obcí {listed}" if missing else "")
                     + ". Importujte publikaci ČSÚ Počet obyvatel v obcích za celou ČR.")


def _parts(chosen: Territory) -> list[Area]:
    """The units the territory is divided into; none for an obec, or when its only unit is the territory itself
    (kraj Praha of ORP Praha of obec Praha): a table or chart of one part would repeat the whole."""
    level = PART_LEVEL.get(chosen.area.typ)
    if level is None:
        units = [] if chosen.area.typ == "obec" else territory.obec_areas(chosen)
    else:
        units = territory.units_of(chosen, level)
    return units if len(units) > 1 else []

