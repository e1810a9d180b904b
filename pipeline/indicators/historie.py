"""Population history in today's territory: what of the older figures could not be placed in an area.

Areas are summed in today's territory (sql/uzemi_pocty.sql): a new obec sits inside the obec it was split from
until it exists, a historic obec without a successor counts in ČR only. Where that leaves an area without figures
for some dates, or leaves out people who lived in it, the area gets a note in Czech naming the obce and dates.
"""
from datetime import date

import duckdb
import pandas as pd

from pipeline.core.territory import Area
from pipeline.core.text import czech_date, czech_number

NOTE_COLUMNS = ["uzemi_typ", "uzemi_kod", "uzemi_nazev", "poznamka"]


def placement_notes(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """One row per area and problem (NOTE_COLUMNS); areas that are fully placed have none.

    An obec itself never gets a note here: its published figure is its own, and a split is one of its series
    breaks instead.
    """
    splits = con.execute("""
        SELECT v.obec_kod, o.obec_nazev, v.vznik, v.rodic_kod, r.obec_nazev AS rodic_nazev
        FROM obce_vznik AS v JOIN obce AS o USING (obec_kod) LEFT JOIN obce AS r ON r.obec_kod = v.rodic_kod
        WHERE v.vznik > (SELECT min(obdobi) FROM obce_publikace)
        ORDER BY v.vznik, v.obec_kod
    """).fetchall()
    historic = con.execute("""
        SELECT h.obec_kod, h.obec_nazev, h.okres_lau_kod, h.platnost_od, h.dolozena_do, h.platnost_do,
               list(DISTINCT o.obec_kod) FILTER (o.obec_kod IS NOT NULL) AS okres_obce,
               (SELECT p.pocet FROM populace_celkem AS p WHERE p.obec_kod = h.obec_kod AND p.pohlavi = 'celkem'
                ORDER BY p.obdobi DESC, p.zdroj LIMIT 1) AS naposledy
        FROM obce_historicke AS h LEFT JOIN obce AS o ON o.okres_lau_kod = h.okres_lau_kod
        GROUP BY ALL ORDER BY h.obec_kod
    """).fetchall()
    rows = []
    for area in areas:
        if area.typ == "obec":
            continue
        members = set(area.obce)
        for code, name, created, parent, parent_name in splits:
            inside, parent_inside = code in members, parent in members
            if inside == parent_inside:
                continue
            rows.append((area, _split_note(name, code, created, parent_name, parent, inside)))
        for code, name, _okres, since, last, until, okres_obce, last_count in historic:
            if area.typ != "stat" and not members & set(okres_obce or ()):
                continue
            rows.append((area, _historic_note(area, name, code, since, last, until, last_count)))
    return pd.DataFrame([(a.typ, a.kod, a.nazev, note) for a, note in rows], columns=NOTE_COLUMNS)


def _split_note(name: str, code: str, created: date, parent_name: str | None, parent: str | None,
                inside: bool) -> str:
    before = f"Údaje území před {czech_date(created)} proto nelze uvést v dnešních hranicích a nejsou uvedeny."
    if parent is None:
        return (f"Obec {name} ({code}) je v publikacích uvedena až od {czech_date(created)} a nepodařilo se určit, "
                f"od které obce se oddělila. {before}")
    if inside:
        return (f"Obec {name} ({code}) vznikla k {czech_date(created)} oddělením od obce {parent_name} ({parent}) "
                f"mimo území (obec určena podle poklesu jejího počtu obyvatel). {before}")
    return (f"Od obce {parent_name} ({parent}) se k {czech_date(created)} oddělila obec {name} ({code}) mimo území "
            f"(určeno podle poklesu počtu obyvatel). {before}")


def _historic_note(area: Area, name: str, code: str, since: date, last: date, until: date | None,
                   last_count: int | None) -> str:
    ended = f"do {czech_date(until)}" if until else f"naposledy k {czech_date(last)}"
    count = "" if last_count is None else f", naposledy {_persons(last_count)}"
    where = ("je započtena v úhrnu ČR" if area.typ == "stat" else
             "je započtena jen v úhrnu ČR, ne v tomto území, přestože část jejího katastru mohla připadnout k jeho obcím")
    return (f"Obec {name} ({code}) už neexistuje (v publikacích od {czech_date(since)} {ended}{count}) a nemá jednu "
            f"nástupnickou obec; {where}.")


BREAK_COLUMNS = ["uzemi_typ", "uzemi_kod", "datum", "popisek", "vysvetleni"]


def area_breaks(con: duckdb.DuckDBPyConnection, areas: list[Area]) -> pd.DataFrame:
    """Series breaks of single areas (BREAK_COLUMNS, `datum` ISO, the first value after the break), beside the national
    ones of indicators.yaml: transfers of people between obce and splits (model obce_zlomy). An area holding both obce
    of a change has no break; an obec has its own."""
    changes = con.execute("""
        SELECT z.obec_kod, o.obec_nazev, z.obdobi, z.druh, z.pocet, z.protistrana_kod, p.obec_nazev AS protistrana
        FROM obce_zlomy AS z JOIN obce AS o USING (obec_kod) LEFT JOIN obce AS p ON p.obec_kod = z.protistrana_kod
        ORDER BY z.obdobi, z.obec_kod, z.protistrana_kod
    """).fetchall()
    rows = []
    for area in areas:
        members = set(area.obce)
        for code, name, when, kind, count, other, other_name in changes:
            if code not in members or (other is not None and other in members):
                continue
            if kind == "vznik" and area.typ != "obec":
                continue  # an area holding the new obec but not its parent has no figure before (placement_notes)
            rows.append((area.typ, area.kod, when.isoformat(), *_break_text(name, when, kind, count, other_name)))
    return pd.DataFrame(rows, columns=BREAK_COLUMNS)


def _break_text(name: str, when: date, kind: str, count: int, other: str | None) -> tuple[str, str]:
    persons = _persons(abs(count))
    if kind == "prevod":
        direction = (f"z obce {other} do obce {name}" if count > 0 else f"z obce {name} do obce {other}") if other \
            else ("do obce " + name if count > 0 else "z obce " + name)
        return ("převod obyvatel mezi obcemi",
                f"K {czech_date(when)} {_moved(abs(count))} {persons} {direction} se změnou hranic obcí; tato změna počtu "
                "obyvatel není přírůstek ani úbytek.")
    if kind == "oddeleni":
        return (f"oddělení obce {other}",
                f"K {czech_date(when)} se od obce {name} oddělila obec {other} ({persons}); pokles počtu "
                "obyvatel obce k tomuto datu je změna území, ne úbytek.")
    return ("vznik obce", f"Obec {name} vznikla k {czech_date(when)} oddělením od obce {other}; dřívější údaje "
            "nejsou, její obyvatelé jsou do té doby započteni v obci, od které se oddělila.")


def _persons(n: int) -> str:
    """'1 obyvatel', '3 obyvatelé', '43 obyvatel' (narrow-space thousands)."""
    return f"{czech_number(n)} {'obyvatelé' if 2 <= n <= 4 else 'obyvatel'}"


def _moved(n: int) -> str:
    return "přešel" if n == 1 else "přešli" if 2 <= n <= 4 else "přešlo"
