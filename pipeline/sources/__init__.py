"""All sources sprss can read; each file is recognised by its content, never by its name."""
from types import ModuleType

from pipeline.core.errors import FormatError, SprssError
from pipeline.sources import (
    csu_ciselniky,
    csu_opendata,
    csu_pocet_obyvatel,
    csu_struktura_uzemi,
    csu_vekove_slozeni,
    geo_hranice_obci,
    geo_hranice_uzemi,
    mpsv_ciselniky,
    mpsv_rpss,
)
from pipeline.sources.xlsx import is_xlsx, read_sheets

# Territory sources first: population files are checked against the obce they define.
SOURCES: list[ModuleType] = [
    csu_struktura_uzemi,
    csu_ciselniky,
    csu_pocet_obyvatel,
    csu_vekove_slozeni,
    csu_opendata,
    geo_hranice_obci,
    geo_hranice_uzemi,
    mpsv_rpss,
    mpsv_ciselniky,
]
TERRITORY_SOURCES = {csu_struktura_uzemi.SOURCE_ID, csu_ciselniky.SOURCE_ID}


def by_id(source_id: str) -> ModuleType:
    for module in SOURCES:
        if module.SOURCE_ID == source_id:
            return module
    known = ", ".join(m.SOURCE_ID for m in SOURCES)
    raise SprssError(f"Neznámý zdroj {source_id!r}; známé zdroje: {known}.")


def detect(content: bytes, filename: str) -> ModuleType:
    if is_xlsx(content):
        try:
            read_sheets(content)  # a damaged workbook deserves that message, not "unknown source"
        except FormatError as exc:
            raise exc.in_file(filename) from exc
    for module in SOURCES:
        if module.sniff(content):
            return module
    raise SprssError(
        f"Soubor {filename}: nerozpoznán žádný známý zdroj (hledáno záhlaví publikací ČSÚ, číselníků a otevřených dat); "
        "zvolte zdroj ručně volbou --source."
    )
