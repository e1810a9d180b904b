"""Tables of the chapter "Pohyb obyvatelstva": the values of pohyb.counts / five_year_sums, only selected and named."""
import pandas as pd

from pipeline.chapters.shared import Table
from pipeline.core.territory import Area, label
from pipeline.indicators import metadata

YEARLY = ["zive_narozeni", "zemreli", "prirozeny_prirustek", "pristehovali", "vystehovali", "prirustek_stehovanim",
          "celkovy_prirustek", "stredni_stav"]
RATES = ["mira_porodnosti", "mira_umrtnosti", "mira_migracniho_salda", "mira_celkoveho_prirustku"]


def _title(code: str) -> str:
    meta = metadata.by_code()[code]
    return meta.nazev + (" (‰)" if code.startswith("mira_") else "")


def yearly(rows: pd.DataFrame) -> Table:
    """One row per year of one area; gross flows are left out when the area has none (net migration only)."""
    codes = [c for c in YEARLY if rows[c].notna().any()]
    frame = rows.sort_values("obdobi")[["obdobi", *codes]].copy()
    frame["obdobi"] = frame["obdobi"].str[:4]
    frame.columns = ["Rok", *[_title(c) for c in codes]]
    return Table(frame.reset_index(drop=True), {_title(c): 0 for c in codes}, metadata.source_line(codes))


def five_year(sums: pd.DataFrame, areas: list[Area]) -> Table:
    """Per area: the years summed, the sums of births, deaths and migration and the average annual rates."""
    order = {(a.typ, a.kod): n for n, a in enumerate(areas)}
    chosen = sums[[(t, k) in order for t, k in zip(sums.uzemi_typ, sums.uzemi_kod, strict=True)]].copy()
    chosen["_order"] = [order[(t, k)] for t, k in zip(chosen.uzemi_typ, chosen.uzemi_kod, strict=True)]
    chosen = chosen.sort_values("_order")
    names = {(a.typ, a.kod): label(a) if a.typ != "obec" else a.nazev for a in areas}
    counts = ["zive_narozeni", "zemreli", "prirustek_stehovanim", "celkovy_prirustek"]
    frame = pd.DataFrame({
        "Území": [names[(t, k)] for t, k in zip(chosen.uzemi_typ, chosen.uzemi_kod, strict=True)],
        "Období": [f"{a}–{b}" if a != b else str(b) for a, b in zip(chosen["od"], chosen["do"], strict=True)],
        **{_title(c): chosen[c].to_numpy() for c in counts},
        **{_title(c): chosen[c].to_numpy() for c in RATES}})
    decimals = {**{_title(c): 0 for c in counts}, **{_title(c): 1 for c in RATES}}
    return Table(frame.reset_index(drop=True), decimals, metadata.source_line([*counts, *RATES]))


def rates(ind: pd.DataFrame, areas: list[Area], obdobi: str) -> Table:
    """The rates of one year for the territory and its comparisons."""
    rows = []
    for area in areas:
        hit = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.obdobi == obdobi)]
        values = dict(zip(hit["ukazatel"], hit["hodnota"], strict=True))
        rows.append({"Území": label(area), **{_title(c): values.get(c) for c in
                                              ["mira_porodnosti", "mira_umrtnosti", "mira_prirozeneho_prirustku",
                                               "mira_migracniho_salda", "mira_celkoveho_prirustku"]}})
    frame = pd.DataFrame(rows)
    return Table(frame, {c: 1 for c in frame.columns[1:]}, metadata.source_line(RATES))
