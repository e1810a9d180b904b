"""What the financing tests share: the FIN 2-12 M fixtures, the real Střelice extract and the rule of social spending
(§ 4300–4399, expenditure, without položky 5341–5349) computed with the csv module alone, independently of sprss."""
from collections import defaultdict
import csv
from pathlib import Path

from builders import FIXTURES, SHARED_REAL

AMOUNTS = ("schvaleny_rozpocet", "upraveny_rozpocet", "skutecnost")

STRELICE = SHARED_REAL / "mf" / "radimbrener-beep__strelice-data" / "strelice_finm201_2013_2025.csv"
RAW_2023 = FIXTURES / "synthetic_finm201_2023_12.csv"  # 2015 layout: CODE:CODE, IČO NUMC 10
RAW_2024 = FIXTURES / "synthetic_finm201_2024_12.csv"  # newer layout: Czech labels, /BIC/, 8-digit IČO, 14th column
DECODED_TREST = FIXTURES / "synthetic_finm201_dekodovany_trest.csv"
PLACEMENT = FIXTURES / "synthetic_finm_prirazeni_ico.csv"
RAW_HEADER = ("ZC_VYKAZ:ZC_VYKAZ;ZC_VTAB:ZC_VTAB;0FISCPER:0FISCPER;ZC_UCJED:ZC_UCJED;ZC_ICO:ZC_ICO;ZC_KRAJ:ZC_KRAJ;"
              "ZC_NUTS:ZC_NUTS;0CI_TYPE:0CI_TYPE;0FUNC_AREA:0FUNC_AREA;ZCMMT_ITM:ZCMMT_ITM;ZU_ROZSCH:ZU_ROZSCH;"
              "ZU_ROZPZM:ZU_ROZPZM;ZU_ROZKZ:ZU_ROZKZ")


def social_by_year(path: Path, year_of, ico_of, columns: dict[str, str], ci_type: str, paragraph: str, item: str,
                   delimiter: str = ";") -> dict[tuple[str, int], dict[str, float]]:
    """§ 4300–4399 expenditure without položky 5341–5349, by IČO and year, read with the csv module alone."""
    sums: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: dict.fromkeys(columns, 0.0))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=delimiter):
            if row[ci_type] != "3" or not "4300" <= row[paragraph] <= "4399" or "5341" <= row[item] <= "5349":
                continue
            for name, column in columns.items():
                text = row[column]
                sums[(ico_of(row), year_of(row))][name] += -float(text[:-1]) if text.endswith("-") else float(text)
    return dict(sums)


def decoded_social(path: Path) -> dict[tuple[str, int], dict[str, float]]:
    return social_by_year(path, lambda r: int(r["rok"]), lambda r: r["ico"],
                          {c: c for c in AMOUNTS}, "ci_type", "paragraf", "polozka")


def parsed_social(table) -> dict[tuple[str, int], dict[str, float]]:
    chosen = table[(table["typ"] == "vydaje") & table["paragraf"].between("4300", "4399")
                   & ~table["polozka"].between("5341", "5349")]
    sums = chosen.groupby(["ico", "rok"])[list(AMOUNTS)].sum()
    return {(ico, int(rok)): dict(values) for (ico, rok), values in sums.iterrows()}


def raw_social(path: Path) -> dict[tuple[str, int], dict[str, float]]:
    """The same rule on a raw file, by column code, IČO reduced to 8 digits."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    header, *lines = text.splitlines()
    codes = [h.strip('"').rsplit(":", 1)[-1].removeprefix("/BIC/") for h in header.split(";")]
    rewritten = path.parent / f"{path.stem}.codes.csv"
    rewritten.write_text(";".join(codes) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return social_by_year(rewritten, lambda r: int(r["0FISCPER"][:4]), lambda r: r["ZC_ICO"][-8:],
                          {"schvaleny_rozpocet": "ZU_ROZSCH", "upraveny_rozpocet": "ZU_ROZPZM", "skutecnost": "ZU_ROZKZ"},
                          "0CI_TYPE", "0FUNC_AREA", "ZCMMT_ITM")
