"""Tables of the study with Czech headers, taken as they are from the indicator table (never recomputed)."""
from datetime import date

import pandas as pd

from pipeline import sources
from pipeline.chapters.demografie import findings
from pipeline.chapters.demografie.data import StudyData
from pipeline.chapters.demografie.periods import stock_dates
from pipeline.chapters.shared import Table
from pipeline.core.errors import SprssError
from pipeline.core.territory import Area, label
from pipeline.indicators import metadata

AGE_COLUMNS = ["obyvatel_celkem", "podil_0_14", "podil_15_64", "podil_65_plus", "podil_80_plus",
               "obyvatel_65_plus", "obyvatel_80_plus"]
INDEX_COLUMNS = ["index_stari", "index_ekonomickeho_zatizeni", "index_zavislosti_senioru", "podil_65_plus",
                 "podil_80_plus"]
AREA, CODE = "Území", "Kód"


def column_title(code: str) -> str:
    """Header of an indicator column: its title, with the unit when it is short enough for a header."""
    meta = metadata.by_code()[code]
    return f"{meta.nazev} ({meta.jednotka})" if meta.jednotka in ("%", "roky") else meta.nazev


def decimals(code: str) -> int:
    return 0 if metadata.by_code()[code].jednotka == "osoby" else 1


def value(ind: pd.DataFrame, area: Area, code: str, obdobi: str) -> float | None:
    return lookup(ind, [code]).get((area.typ, area.kod, code, obdobi))


def lookup(ind: pd.DataFrame, codes: list[str]) -> dict[tuple[str, str, str, str], float]:
    """(typ, kód, ukazatel, období) -> value: one pass over the table instead of a filter per cell."""
    rows = ind[ind["ukazatel"].isin(codes)]
    return dict(zip(zip(rows["uzemi_typ"], rows["uzemi_kod"], rows["ukazatel"], rows["obdobi"], strict=True), rows["hodnota"], strict=True))


def by_area(d: StudyData, areas: list[Area], codes: list[str], obdobi: str) -> Table:
    """One row per area (named as in the text, with its code), one column per indicator at one date."""
    known = lookup(d.ind, codes)
    rows = [{AREA: label(a), CODE: a.kod, **{column_title(c): known.get((a.typ, a.kod, c, obdobi)) for c in codes}}
            for a in areas]
    return Table(pd.DataFrame(rows, columns=[AREA, CODE, *map(column_title, codes)]),
                 {column_title(c): decimals(c) for c in codes}, d.source(codes, [obdobi]))


def members(d: StudyData, obdobi: str) -> Table:
    """The obce (or ORP) of the territory with their sub-area and a total row: the 'vymezení území' list; the
    average age where the date has one (the publication at 1. 1. gives it, the age tables at 31. 12. do not)."""
    codes = ["obyvatel_celkem", "prumerny_vek"]
    if value(d.ind, d.head, "prumerny_vek", obdobi) is None:
        codes = codes[:1]
    table = by_area(d, [*d.units, d.head], codes, obdobi)
    first = "Obec" if d.obce else AREA
    frame = table.frame.rename(columns={AREA: first})
    frame.loc[len(frame) - 1, first] = f"Celkem {label(d.head)}"
    if d.oblasti:
        member = {obec: o.nazev for o in d.oblasti for obec in o.obce}
        frame.insert(2, "Oblast", [member.get(k, "") for k in frame[CODE]])
        frame.loc[len(frame) - 1, "Oblast"] = ""
    return Table(frame, table.decimals, table.source)


def population(d: StudyData) -> Table:
    """Population of the territory and its comparisons at every date, with the change and the series breaks."""
    areas = [d.head, *d.references]
    code = "obyvatel_celkem"
    dates = stock_dates(d.ind.loc[d.ind.ukazatel == code, "obdobi"])
    change = f"Změna {label(d.head)} proti předchozímu datu"
    known = lookup(d.ind, [code])
    own = [known.get((d.head.typ, d.head.kod, code, obdobi)) for obdobi in dates]
    rows = []
    for i, obdobi in enumerate(dates):
        crossed = findings.breaks_between(dates[i - 1], obdobi) if i else []
        previous, current = (own[i - 1], own[i]) if i else (None, None)
        rows.append({"Stav k datu": date.fromisoformat(obdobi),
                     **{label(a): known.get((a.typ, a.kod, code, obdobi)) for a in areas},
                     change: current - previous if previous is not None and current is not None else None,
                     "Poznámka": "; ".join(f"zlom řady: {b.popisek}" for b in crossed)})
    columns = ["Stav k datu", label(d.head), change, *[label(a) for a in d.references], "Poznámka"]
    return Table(pd.DataFrame(rows, columns=columns), {c: 0 for c in columns[1:-1]}, d.source([code], dates))


def age_structure(d: StudyData, obdobi: str) -> Table:
    return by_area(d, [d.head, *d.oblasti, *d.references], AGE_COLUMNS, obdobi)


def indices(d: StudyData, obdobi: str) -> Table:
    """The demographic indices of the territory, its comparisons and every part (sub-areas, obce)."""
    return by_area(d, [d.head, *d.references, *d.parts], INDEX_COLUMNS, obdobi)


def methods() -> Table:
    titles = metadata.source_titles()
    rows = [{"Ukazatel": i.nazev, "Výpočet": i.vzorec, "Jednotka": i.jednotka,
             "Zdroj": "; ".join(titles[z] for z in i.zdroj)} for i in metadata.catalogue()]
    source = sources.source_line("metodika ukazatelů sprss", computed=False)
    return Table(pd.DataFrame(rows), {}, source)


def source_records(d: StudyData) -> Table:
    """Who publishes each source the study rests on (its indicators' and its imported files'), where, on what terms."""
    ids = dict.fromkeys([*metadata.source_titles(), *d.files["zdroj"]])
    records = [sources.RECORDS[i] for i in ids if i in sources.RECORDS]
    # a template such as …/vybery/{vyber} (any selection by its code) is how sprss fetches, not an address to cite
    rows = [{"Zdroj": r.title, "Vydavatel": r.publisher,
             "Oficiální adresa": ", ".join(u.url for u in r.urls if "{" not in u.url) or "neuvedena", "Licence": r.licence}
            for r in records]
    return Table(pd.DataFrame(rows, columns=["Zdroj", "Vydavatel", "Oficiální adresa", "Licence"]), {},
                 sources.source_line("popisy zdrojů dat v sprss"))


def files(d: StudyData) -> Table:
    """Every imported file with its source and reference date: what the numbers of this study rest on."""
    rows = [{"Zdroj": _source_title(str(f.zdroj)), "Stav k datu": f.referencni_datum, "Adresa": f.url or ""}
            for f in d.files.itertuples()]  # no file names: the published text names sources, not a disk
    frame = pd.DataFrame(rows, columns=["Zdroj", "Stav k datu", "Adresa"]).drop_duplicates()
    if not frame["Adresa"].any():  # files imported from disk have no address
        frame = frame.drop(columns="Adresa")
    return Table(frame, {}, sources.source_line("evidence načtených datových souborů v sprss",
                                               computed=False))


def _source_title(source_id: str) -> str:
    try:
        return sources.meta(source_id).title
    except SprssError:  # a source unknown to this version still has its files listed
        return source_id
