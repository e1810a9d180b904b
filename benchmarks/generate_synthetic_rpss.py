"""Write a SYNTHETIC MPSV registry `rpss.json` of realistic size for the import benchmark.

Run: `.venv/bin/python benchmarks/generate_synthetic_rpss.py OUT.json [--services 7000] [--facilities 19000]`.
The structure follows ../shared/data/SOURCES.md §3 (one item = one service, facilities with RÚIAN-style
addresses, forms with capacities, statutory bodies, long free-text `doplnkoveUdaje`), so that size and
shape, not content, match the real file (~60 MB for 7,000 services). Facilities are placed in real obce
when the ČSÚ territory file is at hand, otherwise in made-up codes. Nothing here is real MPSV data.
"""
import argparse
import csv
import json
from pathlib import Path
import random

STRUKTURA = Path(__file__).resolve().parents[2] / "shared/data/real/geo/Olbrasoft-cr/struktura_uzemi_cr_2025.csv"
# (druh kod, forms with their capacity type); the mix is roughly that of the register
TYPES = [("13", [("pob", "luzka")]), ("14", [("pob", "luzka")]), ("4", [("ter", "klient"), ("amb", "klient")]),
         ("3", [("ter", "klient")]), ("1", [("amb", "kontakt"), ("ter", "kontakt")]), ("8", [("pob", "luzka"), ("ter", "klient")]),
         ("10", [("amb", "klient")]), ("23", [("amb", "interv"), ("ter", "interv")]), ("18", [("ter", "hovor")]),
         ("29", [("amb", "kontakt"), ("ter", "kontakt")]), ("25", [("amb", "kontakt")]), ("28", [("ter", "klient")])]
WORDS = ("služba poskytuje podporu osobám v nepříznivé sociální situaci pomoc při zvládání běžných úkonů péče "
         "o vlastní osobu zajištění stravy hygieny kontaktu se společenským prostředím rozvoj soběstačnosti "
         "klient pracovník plán individuální podpory domácnost rodina senior").split()
FIRST = ["Jana", "Petr", "Marie", "Josef", "Eva", "Jan", "Hana", "Pavel"]
LAST = ["Nováková", "Svoboda", "Dvořáková", "Černý", "Procházková", "Kučera", "Veselá", "Horák"]


def obce(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(obec, okres RÚIAN, kraj RÚIAN, ORP RÚIAN) of real obce, or made-up ones without the territory file."""
    if STRUKTURA.exists():
        with STRUKTURA.open(encoding="utf-8-sig") as handle:
            return [(r["obec_kod"], r["okres_ruian_kod"], r["kraj_ruian_vusc_kod"], r["orp_ruian_kod"])
                    for r in csv.DictReader(handle)]
    return [(str(500000 + i), str(3000 + i % 77), str(19 + i % 14), str(1000 + i % 206)) for i in range(6258)]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def address(rng: random.Random, place: tuple[str, str, str, str]) -> dict:
    obec, okres, kraj, _ = place
    return {"cisloDomovni": rng.randint(1, 3000), "cisloOrientacni": str(rng.randint(1, 60)), "dodatekAdresy": None,
            "kodAdresnihoMista": None if rng.random() < 0.036 else rng.randint(1_000_000, 99_999_999),
            "psc": f"{rng.randint(10000, 79999)}", "typCislaDomovniho": {"id": "TypStavebnihoObjektu/1"},
            "kraj": {"id": f"Kraj/{kraj}"}, "okres": {"id": f"Okres/{okres}"}, "obec": {"id": f"Obec/{obec}"},
            "castObce": {"id": f"CastObce/{rng.randint(1, 420000)}"}, "mestskyObvodMestskaCast": None,
            "mestskyObvodVPraze": None, "ulice": {"nazev": rng.choice(["Nemocniční", "Husova", "Zámecká", "Polní"])}}


def service(rng: random.Random, number: int, facilities: int, places: list) -> dict:
    druh, forms = rng.choice(TYPES)
    home = rng.choice(places)
    ended = rng.random() < 0.05
    ico = f"{rng.randint(0, 99_999_999):08d}"
    return {
        "id": str(100000 + number), "portalId": number, "identifikator": str(1_000_000 + number),
        "datumPoskytovaniOd": f"{rng.randint(2007, 2024)}-{rng.randint(1, 12):02d}-01",
        "datumPoskytovaniDo": f"{rng.randint(2015, 2024)}-12-31" if ended else None,
        "kontaktniAdresy": [address(rng, home)],
        "druhSocialniSluzby": {"id": f"DruhSocialniSluzby/{druh}"},
        "zarizeni": [{"nazev": f"Zařízení {number}-{k}", "adresa": address(rng, rng.choice([home, home, rng.choice(places)])),
                      "poskytujeOd": "2010-01-01", "poskytujeDo": "2020-06-30" if rng.random() < 0.05 else None}
                     for k in range(facilities)],
        "poskytovatel": {"ico": ico, "nazev": f"Poskytovatel {ico} z. ú.", "adresa": address(rng, home),
                         "emaily": [{"email": f"info@p{ico}.cz", "poznamka": None}],
                         "telefony": [{"telefon": "567000000", "poznamka": None}],
                         "weby": [{"web": f"https://p{ico}.cz", "poznamka": None}],
                         "statutarniOrgany": [{"titulPred": "Mgr.", "jmeno": rng.choice(FIRST),
                                               "prijmeni": rng.choice(LAST), "titulZa": None, "funkce": "ředitel"}]},
        "emaily": [{"email": f"sluzba{number}@p{ico}.cz", "poznamka": None}],
        "telefony": [{"telefon": f"567{number:06d}", "poznamka": None}], "faxy": [],
        "weby": [{"web": f"https://p{ico}.cz/sluzba{number}", "poznamka": None}],
        "ciloveSkupiny": [{"cilovaSkupina": {"id": f"CilovaSkupinaOsoby/{g}"}} for g in rng.sample(range(1, 28), 3)],
        "vekoveSkupiny": [{"vekovaSkupina": {"id": f"VekovaSkupinaOsoby/{g}"}} for g in rng.sample(range(1, 11), 2)],
        "doplnujiciInformaceVekoveSkupiny": None,
        "formy": [{"forma": {"id": f"FormaSocialniSluzby/{forma}"}, "nepretrzitePoskytovani": forma == "pob",
                   "casoveRozsahy": None,
                   "kapacity": [{"pocet": rng.randint(5, 120), "popis": text(rng, 12),
                                 "typ": {"id": f"TypKapacitySocialniSluzby/{unit}"}}]} for forma, unit in forms],
        "rozsirenePusobnostiVKraji": [{"orp": {"id": f"Orp/{home[3]}"}}] if rng.random() < 0.3 else [],
        "doplnkoveUdaje": {"poslani": text(rng, 60), "cile": text(rng, 60), "zasadyPoskytovani": text(rng, 80),
                           "popisRealizace": text(rng, 350),
                           "realizacePoskytovani": [{"priloha": {"url": f"https://www.mpsv.cz/agportal-server/rest/documents/{number}"}}]},
    }


def generate(path: Path, services: int, facilities: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    places = obce(rng)
    # every service has a facility; the rest are spread at random (several per service for some)
    counts = [1] * services
    for _ in range(facilities - services):
        counts[rng.randrange(services)] += 1
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"polozky": [')
        for number in range(services):
            handle.write(("," if number else "") + json.dumps(service(rng, number + 1, counts[number], places),
                                                                 ensure_ascii=False))
        handle.write("]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--services", type=int, default=7000)
    parser.add_argument("--facilities", type=int, default=19000)
    args = parser.parse_args()
    generate(args.output, args.services, args.facilities)
    print(f"{args.output}: {args.output.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
