"""ČSÚ "Struktura území ČR": one row per obec with the codes and names of every higher level."""
from datetime import date
import io

import pandas as pd

from pipeline.core.errors import FormatError
from pipeline.sources.base import CSU, CSU_TERMS, OfficialUrl, Parsed, SourceMeta, decode_text

META = SourceMeta(
    id="csu_struktura_uzemi",
    title="ČSÚ, Struktura území ČR",
    publisher=CSU,
    citation="ČSÚ, Struktura území ČR",
    licence=CSU_TERMS,
    reference_date="Nejpozdější datum platnosti ve sloupci platnost_datum.",
    urls=(OfficialUrl("aktualni",
                      "https://csu.gov.cz/docs/107516/f1a13e13-9af2-462b-4b9e-2f0aee9997c6/struktura_uzemi_cr.csv?version=1.2",
                      "cited in mahirkole/country-info, src/sources/national/cz.ts (with this version= parameter)"),),
    territory=True,
)

# warehouse column <- column of the ČSÚ file
COLUMNS = {
    "obec_kod": "obec_kod",
    "obec_nazev": "obec_text",
    "obec_typ": "obec_typ",
    "pou_kod": "pou_csu_cis61_kod",
    "pou_nazev": "pou_text",
    "pou_ruian_kod": "pou_ruian_kod",
    "orp_kod": "orp_csu_cis65_kod",
    "orp_nazev": "orp_text",
    "orp_ruian_kod": "orp_ruian_kod",
    "okres_kod": "okres_csu_cis101_lau_kod",
    "okres_nazev": "okres_text",
    "okres_lau_kod": "okres_csu_cis109_nuts_kod",
    "okres_ruian_kod": "okres_ruian_kod",
    "kraj_kod": "kraj_csu_cis100_kod",
    "kraj_nazev": "kraj_text",
    "kraj_nuts_kod": "kraj_csu_cis108_nuts_kod",
    "kraj_ruian_kod": "kraj_ruian_vusc_kod",
    "stat_kod": "stat_csu_cis105_nuts_kod",
    "stat_nazev": "stat_text",
    "platnost_od": "platnost_datum",
}
SIGNATURE = ("obec_kod", "orp_csu_cis65_kod", "kraj_csu_cis100_kod")


def sniff(content: bytes) -> bool:
    head = content[:2000].decode("utf-8-sig", errors="replace").splitlines()[:1]
    return bool(head) and all(name in head[0] for name in SIGNATURE)


def parse(content: bytes, filename: str = "", reference_date: date | None = None) -> Parsed:
    text = decode_text(content)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [source for source in COLUMNS.values() if source not in frame.columns]
    if missing:
        raise FormatError(f"chybí sloupce {', '.join(missing)}; očekávána Struktura území ČR (ČSÚ)", row=1)
    obce = frame[list(COLUMNS.values())].set_axis(list(COLUMNS), axis=1)
    obce = obce.apply(lambda col: col.str.strip())
    empty = obce[(obce["obec_kod"] == "") | (obce["orp_kod"] == "") | (obce["kraj_kod"] == "")]
    if len(empty):
        raise FormatError("chybí kód obce, ORP nebo kraje", row=int(empty.index[0]) + 2)
    dupes = obce[obce.duplicated("obec_kod")]
    if len(dupes):
        raise FormatError(f"obec {dupes.iloc[0]['obec_kod']} je v souboru dvakrát", row=int(dupes.index[0]) + 2)
    try:
        obce["platnost_od"] = pd.to_datetime(obce["platnost_od"], format="%Y-%m-%d").dt.date
    except ValueError as exc:
        raise FormatError(f"neplatné datum platnosti ({exc}); očekáváno RRRR-MM-DD") from exc
    obce = obce.replace({"": None})
    obce["zdroj"] = META.id
    valid_from = reference_date or max(obce["platnost_od"])
    return Parsed(META.id, valid_from, {"obce": obce.reset_index(drop=True)})
