"""Everything the chapter "Pohyb obyvatelstva" needs from the warehouse, read once at the start of the notebook."""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.core import territory
from pipeline.core.config import data_dir as resolve_data_dir
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, Territory
from pipeline.core.text import czech_iso
from pipeline.indicators import pohyb
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce

SMALL_OBEC = 1000  # mid-year population below which an obec is read over five years only


@dataclass
class MovementData:
    territory: Territory
    references: list[Area]  # the kraj and ČR (and the ORP of a finer territory)
    units: list[Area]  # what its table lists (territory.map_units): the obce, the ORP of a kraj, the kraje of ČR;
    # none for an obec itself (a kraj's 700 obce would fill tens of pages)
    counts: pd.DataFrame  # pohyb.counts of the territory, references and units
    ind: pd.DataFrame  # pohyb.compute of the same
    sums: pd.DataFrame  # pohyb.five_year_sums of the same

    @property
    def head(self) -> Area:
        return self.territory.area

    @property
    def gross_note(self) -> str | None:
        return pohyb.gross_migration_note(self.head)

    def years(self, area: Area | None = None) -> list[str]:
        """The years (ISO 31. 12.) with every count of the area (default: the territory), oldest first."""
        rows = self.of(area or self.head).dropna(subset=["zive_narozeni", "zemreli", "prirustek_stehovanim"])
        return sorted(rows["obdobi"])

    def of(self, area: Area) -> pd.DataFrame:
        rows = self.counts[(self.counts.uzemi_typ == area.typ) & (self.counts.uzemi_kod == area.kod)]
        return rows.sort_values("obdobi")

    def sum_of(self, area: Area) -> pd.Series | None:
        if self.sums.empty:
            return None
        rows = self.sums[(self.sums.uzemi_typ == area.typ) & (self.sums.uzemi_kod == area.kod)]
        return None if rows.empty else rows.iloc[0]


def load(selector: str, data_dir: Path | str | None = None, datum: str | None = None) -> MovementData:
    """Resolve the territory and read its movement (years up to `datum`, ISO; None = all)."""
    with warehouse.connect(resolve_data_dir(data_dir)) as con:
        obce = load_obce(con)
        chosen = territory.resolve(selector, obce)
        references = territory.comparisons(chosen, obce)
        parts = [] if chosen.area.typ == "obec" else territory.map_units(chosen)
        counts = pohyb.counts(con, [chosen.area, *chosen.oblasti, *references, *parts])
    if datum:
        counts = counts[counts["obdobi"] <= datum]
    if counts.empty:
        raise SprssError("Ve skladu dat není pohyb obyvatel (otevřená data ČSÚ 130141) za toto území"
                         + (f" do {czech_iso(datum)}" if datum else "") + "; importujte soubor 130141.")
    counts = counts.reset_index(drop=True)
    return MovementData(chosen, references, parts, counts, pohyb.tidy(counts), pohyb.five_year_sums(counts))
