"""Sentences of the chapter "Pohyb obyvatelstva", generated from the counts and true for every territory: an obec of
a hundred inhabitants, a year without births, a zero mid-year population, a missing year. Small obce are described
over five years, never by the rate of one year."""
import pandas as pd

from pipeline.core.territory import Area, label, of_area
from pipeline.core.text import capitalised, czech_number

PER_MILLE = "‰"


def persons(n: float, one: str, few: str, many: str) -> str:
    """'1 dítě', '3 děti', '1 234 dětí': the count with the noun in the right form."""
    value = int(round(abs(n)))
    word = one if value == 1 else few if 2 <= value <= 4 else many
    return f"{czech_number(value)} {word}"


def balance(value: float, gain: str = "přírůstek", loss: str = "úbytek") -> str:
    """'přírůstek 12 obyvatel', 'úbytek 3 obyvatel', 'nulový přírůstek'."""
    if round(value) == 0:
        return f"nulový {gain}"
    word = gain if value > 0 else loss
    return f"{word} {persons(value, 'obyvatele', 'obyvatel', 'obyvatel')}"


def migrated(net: float) -> str:
    """'stěhováním přibylo 12 obyvatel', 'stěhováním ubyl 1 obyvatel', 'stěhováním se počet obyvatel nezměnil'."""
    value = int(round(abs(net)))
    if value == 0:
        return "stěhováním se počet obyvatel nezměnil"
    verb = ("přibyl" if net > 0 else "ubyl") if value == 1 else \
        ("přibyli" if net > 0 else "ubyli") if value <= 4 else ("přibylo" if net > 0 else "ubylo")
    return f"stěhováním {verb} {persons(value, 'obyvatel', 'obyvatelé', 'obyvatel')}"


def year_sentence(row: pd.Series, area: Area) -> str:
    """Births, deaths and migration of one year (a row of pohyb.counts)."""
    year = row["obdobi"][:4]
    births, deaths, net = row["zive_narozeni"], row["zemreli"], row["prirustek_stehovanim"]
    born = "nenarodilo žádné dítě" if births == 0 else \
        ("narodily " if 2 <= births <= 4 else "narodilo ") + persons(births, "dítě", "děti", "dětí")
    died = "nikdo nezemřel" if deaths == 0 else \
        ("zemřel " if deaths == 1 else "zemřeli " if deaths <= 4 else "zemřelo ") \
        + persons(deaths, "obyvatel", "obyvatelé", "obyvatel")
    natural = balance(births - deaths, "přirozený přírůstek", "přirozený úbytek")
    return (f"V roce {year} se v území {of_area(area)} {born} a {died} ({natural}); {migrated(net)}. "
            f"Celkově jde o {balance(births - deaths + net)}.")


def five_years(total: pd.Series, area: Area) -> str:
    """The sums of the last (up to) five years: what a small obce's trend can be read from."""
    period = f"v letech {total['od']}–{total['do']}" if total["roku"] > 1 else f"v roce {total['do']}"
    span = f" (za {total['roku']} roky s úplnými údaji)" if 1 < total["roku"] < 5 else ""
    sentence = (f"Za území {of_area(area)} {period}{span}: živě narozených {czech_number(total['zive_narozeni'])}, "
                f"zemřelých {czech_number(total['zemreli'])}, {migrated(total['prirustek_stehovanim'])}; "
                f"celkově jde o {balance(total['celkovy_prirustek'])}.")
    if pd.notna(total.get("mira_celkoveho_prirustku")):
        sentence += (f" Průměrná roční hrubá míra celkového přírůstku byla "
                     f"{czech_number(total['mira_celkoveho_prirustku'], 1)} {PER_MILLE}.")
    return sentence


def rate_comparison(ind: pd.DataFrame, areas: list[Area], code: str, name: str, obdobi: str) -> str | None:
    """'Hrubá míra … v roce 2022: ORP Jihlava 33,5 ‰, Kraj Vysočina 21,3 ‰, Česká republika 29,1 ‰.'"""
    parts = []
    for area in areas:
        hit = ind[(ind.uzemi_typ == area.typ) & (ind.uzemi_kod == area.kod) & (ind.ukazatel == code)
                  & (ind.obdobi == obdobi)]
        if len(hit):
            parts.append(f"{label(area)} {czech_number(float(hit['hodnota'].iloc[0]), 1)} {PER_MILLE}")
    if len(parts) < 2:
        return None
    return f"{name} v roce {obdobi[:4]}: {', '.join(parts)}."


def small_obce(sums: pd.DataFrame, limit: int) -> str | None:
    """Which obce are read over five years only, and why."""
    obce = sums[(sums.uzemi_typ == "obec") & (sums.stredni_stav / sums.roku < limit)]
    if obce.empty:
        return None
    count = persons(len(obce), "obec", "obce", "obcí")
    verb = "mají" if 2 <= len(obce) <= 4 else "má"  # '1 obec má', '3 obce mají', '12 obcí má'
    return (f"{capitalised(count)} území {verb} méně než {czech_number(limit)} "
            f"obyvatel: jedna rodina, která se přistěhuje nebo odstěhuje, v {'ní' if len(obce) == 1 else 'nich'} změní "
            f"míru o desítky promile. {'Její' if len(obce) == 1 else 'Jejich'} vývoj se proto čte z pětiletých součtů "
            "v tabulce, ne z hodnot jednotlivých let.")
