"""ČSÚ 250169 "Uchazeči o zaměstnání dosažitelní a podíl nezaměstnaných osob podle obcí": monthly, per obec.

A ZIP holding one `OD_NEZ01_<timestamp>.CSV` (the ZIP or the CSV may be imported) with columns
`idhod,hodnota,vuk,vuk_text,obdobi,rok,mesic,uzemi_cis,uzemi_kod,uzemi_txt`; `uzemi_cis` is 43 (obce), `obdobi` the
month's last day as RRRRMMDD. Two indicators per obec and month: `NEZ0007` dosažitelní uchazeči 15–64 (state at the
month's end) and `NEZ0004` podíl nezaměstnaných osob (%), computed by ČSÚ from its own population 15–64, which the
file does not give. The count goes into `socialni_obce` with the published share beside it and no base: an area's
count is a sum over obce, but an area's share cannot be computed from this file (sprss does not take the base from
another file or date). Other `vuk` codes (e.g. the women's share) are not read.
"""
from datetime import date
import io
import zipfile

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import CSU, CSU_TERMS, OfficialUrl, Parsed, SourceMeta, decode_text

_CITED = ("cited in public code (sprss docs/sources-next.md §4); product page "
          "https://csu.gov.cz/produkty/uchazeci-o-zamestnani-dosazitelni-a-podil-nezamestnanych-osob-podle-obci_090417, "
          "cancelled after edition 250169-24")
META = SourceMeta(
    id="csu_nezamestnanost_obce",
    title="ČSÚ, uchazeči o zaměstnání dosažitelní a podíl nezaměstnaných osob podle obcí (250169)",
    publisher=CSU,
    citation="ČSÚ, Uchazeči o zaměstnání dosažitelní a podíl nezaměstnaných osob podle obcí (250169)",
    licence=CSU_TERMS,
    reference_date="Poslední den nejpozdějšího měsíce v datech (sloupec obdobi).",
    urls=(
        OfficialUrl("250169-24", "https://csu.gov.cz/docs/107508/0640906c-5e28-b2e6-4e03-327b9b64ad97/"
                    "250169-24data011425.zip", _CITED),
        OfficialUrl("250169-22", "https://www.czso.cz/documents/62353418/171347245/250169-22data031122.zip/"
                    "a6923d2a-61e0-450b-92bf-6fccfea8c526?version=1.1", _CITED),
    ),
)

COLUMNS = ["idhod", "hodnota", "vuk", "vuk_text", "obdobi", "rok", "mesic", "uzemi_cis", "uzemi_kod", "uzemi_txt"]
COUNT, SHARE = "NEZ0007", "NEZ0004"
EXPECTED = ("očekáván soubor ČSÚ OD_NEZ01 (sloupce " + ",".join(COLUMNS) + "; uzemi_cis 43, obdobi RRRRMMDD, "
            "vuk NEZ0007 a NEZ0004)")
OUTPUT = ["obec_kod", "obdobi", "obdobi_typ", "ukazatel", "pocet", "zaklad", "zaklad_typ", "podil_zverejneny", "zdroj"]


def _member(content: bytes) -> bytes:
    """The CSV itself, or the one OD_NEZ01 CSV of a ZIP."""
    if content[:4] != b"PK\x03\x04":
        return content
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [m for m in archive.namelist() if m.upper().rsplit("/", 1)[-1].startswith("OD_NEZ01")]
            if len(members) != 1:
                raise FormatError(f"archiv má {len(members)} souborů OD_NEZ01_*.CSV; {EXPECTED}")
            return archive.read(members[0])
    except zipfile.BadZipFile as exc:
        raise FormatError(f"nejde o čitelný archiv ZIP ({exc})") from exc


def _names(line: str) -> list[str]:
    return [name.strip().strip('"').strip().lower() for name in line.split(",")]


def sniff(content: bytes) -> bool:
    try:
        first = decode_text(_member(content)[:4096]).split("\n", 1)[0]
    except FormatError:
        return False
    return set(COLUMNS) <= set(_names(first))


def _bad(frame: pd.DataFrame, flags: pd.Series, message: str) -> None:
    if flags.any():
        first = int(flags.to_numpy().argmax())
        raise FormatError(message.format(**{str(k): v for k, v in frame.iloc[first].items()}), row=first + 2)


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    text = decode_text(_member(content))
    names = _names(text.split("\n", 1)[0])
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise FormatError(f"chybí sloupce {', '.join(missing)}; {EXPECTED}", row=1)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = names
    frame = frame.apply(lambda column: column.str.strip())
    _bad(frame, frame["uzemi_cis"] != "43", "uzemi_cis {uzemi_cis!r} není 43 (obce); " + EXPECTED)
    _bad(frame, ~frame["uzemi_kod"].str.fullmatch(r"\d{6}"), "kód obce {uzemi_kod!r} nemá šest číslic")
    day = pd.to_datetime(frame["obdobi"], format="%Y%m%d", errors="coerce")
    month_end = pd.to_datetime(frame["rok"] + "-" + frame["mesic"].str.zfill(2), format="%Y-%m", errors="coerce") \
        + pd.offsets.MonthEnd(0)
    _bad(frame, day.isna() | (day != month_end),
         "obdobi {obdobi!r} není poslední den měsíce {mesic}/{rok}; očekáváno RRRRMMDD konce měsíce")
    value = pd.to_numeric(frame["hodnota"], errors="coerce")
    _bad(frame, value.isna() | (value < 0), "hodnota {hodnota!r} není nezáporné číslo")
    read = frame["vuk"].isin([COUNT, SHARE])
    _bad(frame, read & (frame["vuk"] == COUNT) & (value % 1 != 0), "počet uchazečů {hodnota!r} není celé číslo")
    _bad(frame, read & (frame["vuk"] == SHARE) & (value > 100), "podíl {hodnota!r} % je mimo rozsah 0–100 %")
    frame = frame.assign(den=day.dt.date, hodnota_cislo=value)[read]
    _bad(frame, frame.duplicated(["uzemi_kod", "obdobi", "vuk"]),
         "obec {uzemi_kod} má za {obdobi} ukazatel {vuk} podruhé; každá hodnota smí být v souboru jen jednou")
    wide = frame.pivot(index=["uzemi_kod", "den"], columns="vuk", values="hodnota_cislo")
    for needed in (COUNT, SHARE):
        if needed not in wide or wide[needed].isna().any():
            raise FormatError(f"některé obci chybí ukazatel {needed} (obec a měsíc potřebují počet i podíl); {EXPECTED}")
    wide = wide.reset_index()
    rows = pd.DataFrame({"obec_kod": wide["uzemi_kod"], "obdobi": wide["den"], "obdobi_typ": "mesic",
                         "ukazatel": "dosazitelni_uchazeci", "pocet": wide[COUNT], "zaklad": float("nan"),
                         "zaklad_typ": "obyvatel_15_64", "podil_zverejneny": wide[SHARE], "zdroj": META.id})
    if rows.empty:
        raise FormatError(f"soubor nemá žádnou hodnotu NEZ0007 ani NEZ0004; {EXPECTED}")
    return Parsed(META.id, reference_date or max(rows["obdobi"]), {"socialni_obce": rows[OUTPUT]})
