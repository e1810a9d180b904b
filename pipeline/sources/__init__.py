"""All sources sprss can read; each file is recognised by its content, never by its name."""
from types import ModuleType

from pipeline.core.errors import FormatError, SprssError
from pipeline.sources import (
    akcni_plan,
    bytova_nouze,
    csu_ciselniky,
    csu_datastat,
    csu_nezamestnanost_obce,
    csu_opendata,
    csu_pocet_obyvatel,
    csu_struktura_uzemi,
    csu_vekove_slozeni,
    cuzk_ruian_hranice,
    geo_hranice_obci,
    geo_hranice_uzemi,
    index_vylouceni,
    mf_finm,
    mpsv_ciselniky,
    mpsv_rpss,
    prirazeni_ico,
    pruzkum,
)
from pipeline.sources.base import SourceMeta
from pipeline.sources.xlsx import is_xlsx, read_sheets

# Territory sources first: population files are checked against the obce they define.
SOURCES: list[ModuleType] = [
    csu_struktura_uzemi,
    csu_ciselniky,
    csu_pocet_obyvatel,
    csu_vekove_slozeni,
    csu_opendata,
    csu_nezamestnanost_obce,
    csu_datastat,
    geo_hranice_obci,
    geo_hranice_uzemi,
    cuzk_ruian_hranice,
    mpsv_rpss,
    mpsv_ciselniky,
    index_vylouceni,
    bytova_nouze,
    mf_finm,
    prirazeni_ico,
]
# Every source sprss describes: the file sources, then the surveys (whose snapshots are folders, not files) and the
# action plan workbook (read by `sprss plan evaluate`, never stored).
RECORDS: dict[str, SourceMeta] = {meta.id: meta for meta in [*(m.META for m in SOURCES), pruzkum.META, akcni_plan.META]}
TERRITORY_SOURCES = {meta.id for meta in RECORDS.values() if meta.territory}
COMPUTED = "výpočet sprss"
# the population of obce as a part of a source line, from whichever ČSÚ source the warehouse took it
POPULATION_COUNTS = "ČSÚ, počty obyvatel obcí"


def by_id(source_id: str) -> ModuleType:
    for module in SOURCES:
        if module.META.id == source_id:
            return module
    known = ", ".join(m.META.id for m in SOURCES)
    raise SprssError(f"Neznámý zdroj {source_id!r}; známé zdroje: {known}.")


def meta(source_id: str) -> SourceMeta:
    try:
        return RECORDS[source_id]
    except KeyError:
        raise SprssError(f"Neznámý zdroj {source_id!r}; známé zdroje: {', '.join(RECORDS)}.") from None


def source_line(*parts: str, computed: bool = True) -> str:
    """The one form of every source line under a chart or table: 'Zdroj: <part>; <part>; výpočet sprss'.

    A part is a source's `citation`, with whatever the caller adds (e.g. '(stav k 30. 6. 2025)'). Tables that
    only list what sprss is configured with or holds (metadata, imported files) are `computed=False`: nothing in
    them is a computation, so the line must not say so.
    """
    return "Zdroj: " + "; ".join([*parts, COMPUTED] if computed else parts)


def detect(content: bytes, filename: str) -> ModuleType:
    for module in SOURCES:
        if module.sniff(content):
            return module
    if is_xlsx(content):  # any ZIP; a ZIP that no source claims may be a damaged workbook
        try:
            read_sheets(content)  # a damaged workbook deserves that message, not "unknown source"
        except FormatError as exc:
            raise exc.in_file(filename) from exc
    raise SprssError(
        f"Soubor {filename}: nerozpoznán žádný známý zdroj (hledáno záhlaví publikací ČSÚ, číselníků a otevřených dat); "
        "zvolte zdroj ručně volbou --source."
    )
