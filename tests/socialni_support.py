"""Synthetic "Index sociálního vyloučení" workbooks in the real layout (header texts of the 2023 file, one sheet),
with made-up figures for obce of the synthetic territory, and the path of the real table in ../shared."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from builders import SHARED_REAL

INDEX_TABLE = SHARED_REAL / "other" / "falconizmi__Socialni-atlas-Usteckeho-kraje" / "index_vylouceni.xlsx"
NO_SCHOOL = "Daná obec nemá na svém území ZŠ s běžnými třídami. Údaj byl převzat z jiné obce."

HEADER = [
    "Kód obce", "Název obce", "Status obce", "Kod OPOU", "Název OPOU", "Kód ORP", "Název ORP", "Kód okres",
    "Název okres", "Kód kraj", "Název kraj",
    "Počet obyvyatel - starších 15 let (k 31. 12. 2023)", "Počet obyvyatel - 15 až 64 let (k 31. 12. 2023)",
    "Počet osob v exekuci (k 31. 12. 2023)",
    "% podíl obyvatel v exekuci (k 31. 12. 2023; vztaženo na obyvatelstvo 15+)",
    "Osoby v exekuci - lokalizační kvocient",
    "Počet vyplacených PnB (průměrný měsíc r. 2023)",
    "% podíl příjemců PnB (průměrný měsíc r. 2023; vztaženo na obyvatelstvo 15+)", "PnB - lokalizační kvocient",
    "Počet vyplacených PnŽ (průměrný měsíc r. 2023)",
    "% podíl příjemců PnŽ (průměrný měsíc r. 2023; vztaženo na obyvatelstvo 15+)", "PnŽ - lokalizační kvocient",
    "Počet uchazečů o zaměstnání evidovaných ÚP déle než 6 měsíců (prosinec 2023)",
    "% podíl uchazečů o zaměstnání evidovaných ÚP déle než 6 měsíců (prosinec 2023; vztaženo na obyvatelstvo 15 až 64)",
    "Uchazeči o zaměstnání evidovaní ÚP déle než 6 měsíců - lokalizační kvocient",
    "Počet předčasných odchodů ze ZŠ - běžné třídy (školní rok 2022/23)",
    "% podíl předčasných odchodů ze ZŠ na celkovém počtu předčasných odchodů ze ZŠ - běžné třídy (školní rok 2022/23)",
    "Celkový počet žáků, kteří ukončili povinnou školní docházku - běžné třídy (školní rok 2022/23)",
    "Předčasné odchody ze ZŠ - běžné třídy - lokalizační kvocient",
    "Index soc. vyloučení 2023 (0-30 bodů)", "Index soc. vyloučení 2023 (4 kategorie bodů)",
]


@dataclass
class IndexObec:
    """One row: bases 15+ and 15–64, then counts (exekuce, PnB, PnŽ, uchazeči > 6 months), index points."""
    kod: str
    nazev: str
    nad_15: int
    od_15_do_64: int
    exekuce: float
    pnb: float
    pnz: float
    uchazeci: float
    body: int = 0
    orp_kod: str = "6105"
    skola: bool = True


def category(points: int) -> str:
    return "0 až 1" if points <= 1 else "2 až 7" if points <= 7 else "8 až 11" if points <= 11 else "12 až 30"


def row(obec: IndexObec) -> list:
    def share(count: float, base: int) -> float:
        return count / base * 100 if base else 0

    school = [1, 2.5, 40, 0.8] if obec.skola else [NO_SCHOOL] * 4
    return [int(obec.kod), obec.nazev, "O", 0, "X", int(obec.orp_kod), "X", "CZ0632", "Jihlava", "CZ063", "Kraj Vysočina",
            obec.nad_15, obec.od_15_do_64,
            obec.exekuce, share(obec.exekuce, obec.nad_15), 0.5,
            obec.pnb, share(obec.pnb, obec.nad_15), 0.5,
            obec.pnz, share(obec.pnz, obec.nad_15), 0.5,
            obec.uchazeci, share(obec.uchazeci, obec.od_15_do_64), 0.5,
            *school, obec.body, category(obec.body)]


def write_index_table(path: Path, obce: list[IndexObec], edit: dict[tuple[int, int], object] | None = None) -> Path:
    """The workbook; `edit` overrides cells by (1-based data row, 0-based column) to plant a trap."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Index soc. vyloučení 2023"
    sheet.append(HEADER)
    rows = [row(o) for o in obce]
    for (number, column), value in (edit or {}).items():
        rows[number - 1][column] = value
    for values in rows:
        sheet.append(values)
    book.save(path)
    return Path(path)


# Every obec of the synthetic territory, with made-up figures (Jihlávka below the suppression limit).
SYNTHETIC_OBCE = [
    IndexObec("582786", "Brno", 330000, 250000, exekuce=19800, pnb=9900, pnz=2300, uchazeci=5000, body=14,
              orp_kod="6203"),
    IndexObec("586943", "Brtnice", 3300, 2450, exekuce=132, pnb=40, pnz=6, uchazeci=30, body=2),
    IndexObec("587095", "Dušejov", 520, 400, exekuce=40, pnb=9, pnz=4.5, uchazeci=12, body=5),
    IndexObec("568414", "Havlíčkův Brod", 19500, 14300, exekuce=900, pnb=420, pnz=60, uchazeci=210, body=6,
              orp_kod="6102"),
    IndexObec("586846", "Jihlava", 45000, 33000, exekuce=2300, pnb=940, pnz=155, uchazeci=340, body=10),
    IndexObec("587290", "Jihlávka", 90, 70, exekuce=9, pnb=1, pnz=0, uchazeci=3, body=0),
    IndexObec("587346", "Kamenice", 1100, 820, exekuce=30, pnb=12, pnz=1, uchazeci=6, body=1),
    IndexObec("538299", "Kamenice", 2600, 1900, exekuce=70, pnb=25, pnz=3, uchazeci=15, body=0, orp_kod="2122"),
    IndexObec("587478", "Luka nad Jihlavou", 2750, 2000, exekuce=60, pnb=20, pnz=2, uchazeci=10, body=1, skola=False),
    IndexObec("547492", "Pelhřimov", 13700, 10000, exekuce=500, pnb=230, pnz=30, uchazeci=120, body=4, orp_kod="6110"),
    IndexObec("587711", "Polná", 4500, 3300, exekuce=250, pnb=70, pnz=20, uchazeci=60, body=7),
    IndexObec("554782", "Praha", 1150000, 900000, exekuce=70000, pnb=28000, pnz=5000, uchazeci=13000, body=12,
              orp_kod="0"),
    IndexObec("587931", "Stonařov", 1050, 780, exekuce=25, pnb=6, pnz=0, uchazeci=4, body=0),
    IndexObec("590266", "Třebíč", 29000, 21000, exekuce=2100, pnb=800, pnz=220, uchazeci=500, body=9, orp_kod="6113"),
    IndexObec("588032", "Třešť", 4900, 3600, exekuce=310, pnb=80, pnz=25, uchazeci=70, body=6),
]
