"""Territories: name one (`orp:Jihlava`, `kraj:3107`, a YAML file) and get its obce, sub-areas and comparisons.

Every selector resolves against the rows of the warehouse table `obce` (read by `warehouse.obce.load_obce`;
nothing here reads the warehouse). Names match case-, spacing- and diacritics-insensitively; an ambiguous name or
an unknown code is an error listing what was found.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import yaml

from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.core.text import capitalised, collation_key, fold, slug

# selector prefix -> (code column, name column); the order is from the finest level up
LEVELS = {
    "obec": ("obec_kod", "obec_nazev"),
    "pou": ("pou_kod", "pou_nazev"),
    "orp": ("orp_kod", "orp_nazev"),
    "okres": ("okres_kod", "okres_nazev"),
    "kraj": ("kraj_kod", "kraj_nazev"),
    "stat": ("stat_kod", "stat_nazev"),
}
# other codes an analyst may know for a level (okres LAU 'CZ0632', kraj NUTS 'CZ063', RÚIAN codes)
ALTERNATIVE_CODES = {"okres": ["okres_lau_kod"], "kraj": ["kraj_nuts_kod"]}
LEVEL_NAMES = {"obec": "obec", "pou": "POÚ", "orp": "ORP", "okres": "okres", "kraj": "kraj", "stat": "stát"}
# the boundary of an obec or a territory: polygons, each a list of rings (n×2 arrays of lon, lat; the exterior first)
Shape = list[list[np.ndarray]]
AREA_PREFIX = {"orp": "ORP ", "pou": "POÚ ", "okres": "okres ", "oblast": "oblast "}


@dataclass(frozen=True)
class Area:
    typ: str  # obec | oblast | vlastni | pou | orp | okres | kraj | stat
    kod: str
    nazev: str
    obce: tuple[str, ...]


@dataclass
class Territory:
    area: Area
    oblasti: list[Area] = field(default_factory=list)
    obce: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows of table `obce`, ordered by name

    @property
    def slug(self) -> str:
        return slug(f"{self.area.typ} {self.area.nazev}") if self.area.typ != "vlastni" else slug(self.area.nazev)


def label(area: Area) -> str:
    """How an area is named in tables, charts and text: the ORP 'Jihlava' is not the obec 'Jihlava'."""
    return AREA_PREFIX.get(area.typ, "") + area.nazev


# 'území …', 'obyvatel …': the genitive of every level; a kraj's own name is declined, custom names stay quoted
OF_LEVEL = {"obec": "obce ", "oblast": "oblasti ", "orp": "ORP ", "pou": "POÚ ", "okres": "okresu "}


def of_area(area: Area) -> str:
    """The area in the genitive, grammatical after 'území', 'obce', 'obyvatel': 'ORP Jihlava', 'obce Pacov',
    'okresu Jihlava', 'Kraje Vysočina', 'Jihomoravského kraje', 'hlavního města Prahy', 'České republiky'."""
    if area.typ in OF_LEVEL:
        return OF_LEVEL[area.typ] + area.nazev
    if area.typ == "stat":
        return "České republiky" if area.nazev == "Česká republika" else f"„{area.nazev}“"
    if area.typ == "kraj":
        return _kraj_genitive(area.nazev)
    return f"„{area.nazev}“"


def _kraj_genitive(name: str) -> str:
    """The 14 kraje: 'Kraj Vysočina' -> 'Kraje Vysočina', '<…>ý kraj' -> '<…>ého kraje', Praha."""
    if fold(name) == "hlavni mesto praha":
        return "hlavního města Prahy"
    if name.startswith("Kraj "):
        return "Kraje " + name[len("Kraj "):]
    words = name.split()
    if len(words) == 2 and words[1] == "kraj" and words[0].endswith("ý"):
        return f"{words[0][:-1]}ého kraje"
    return f"„{name}“"


def is_territory_file(selector: str) -> bool:
    """A selector naming a YAML file with a custom territory rather than `typ:kód`."""
    return selector.lower().endswith((".yaml", ".yml"))


def resolve(selector: str, obce: pd.DataFrame) -> Territory:
    """`typ:kód|název` or a path to a YAML file with a custom territory."""
    path = Path(selector)
    if is_territory_file(selector):
        return _from_yaml(path, obce)
    typ, _, value = selector.partition(":")
    typ = typ.strip().lower()
    if typ not in LEVELS or not value.strip():
        raise SprssError(f"Neplatné území {selector!r}; očekáváno typ:kód nebo typ:název s typem "
                         f"{', '.join(LEVELS)} (např. orp:Jihlava, kraj:3107), nebo cesta k souboru YAML.")
    kod = _find(typ, value.strip(), obce)
    code_col, name_col = LEVELS[typ]
    members = obce[obce[code_col] == kod].sort_values("obec_nazev", key=lambda s: s.map(collation_key))
    return Territory(Area(typ, kod, members[name_col].iloc[0], tuple(members["obec_kod"])), [], members)


def _find(typ: str, value: str, obce: pd.DataFrame) -> str:
    code_col, name_col = LEVELS[typ]
    units = obce.drop_duplicates(code_col)
    for column in [code_col, *ALTERNATIVE_CODES.get(typ, [])]:
        hit = units[units[column].astype(str).str.upper() == value.upper()]
        if len(hit):
            return hit[code_col].iloc[0]
    folded = units[name_col].map(fold)
    hit = units[folded == fold(value)]
    if typ != "obec" and hit.empty:  # 'kraj:vysocina' for 'Kraj Vysočina'
        hit = units[folded.str.contains(fold(value), regex=False)]
    if len(hit) == 1:
        return hit[code_col].iloc[0]
    if len(hit) > 1:
        candidates = "; ".join(f"{typ}:{r[code_col]} {r[name_col]} (okres {r['okres_nazev']})" if typ == "obec"
                               else f"{typ}:{r[code_col]} {r[name_col]}" for _, r in hit.iterrows())
        raise SprssError(f"Název {value!r} ({LEVEL_NAMES[typ]}) je nejednoznačný; upřesněte kódem: {candidates}.")
    raise SprssError(f"{capitalised(LEVEL_NAMES[typ])} {value!r} není v územní struktuře; "
                     f"hledejte příkazem: sprss territories {value}")


def _from_yaml(path: Path, obce: pd.DataFrame) -> Territory:
    try:
        spec = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SprssError(f"Soubor území {path} není v kódování UTF-8 (bajt {exc.start + 1}); uložte ho jako UTF-8.") from None
    except OSError as exc:
        raise SprssError(f"Soubor území {path} nelze přečíst: {czech_errno(exc.errno)}.") from exc
    except yaml.YAMLError as exc:
        raise SprssError(f"Soubor území {path}: neplatný YAML ({str(exc).splitlines()[0]}).") from exc
    if not isinstance(spec, dict) or not spec.get("nazev") or not isinstance(spec.get("obce"), list) or not spec["obce"]:
        raise SprssError(f"Soubor území {path}: očekávány klíče 'nazev' (text) a 'obce' (neprázdný seznam kódů nebo názvů).")
    codes = _codes(spec["obce"], obce, path, "obce")
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise SprssError(f"Soubor území {path}: obce {', '.join(duplicates)} jsou v seznamu 'obce' vícekrát.")
    oblasti: list[Area] = []
    seen: dict[str, str] = {}  # obec code -> the oblast it is in
    declared = spec.get("oblasti") or {}
    if not isinstance(declared, dict):
        raise SprssError(f"Soubor území {path}: 'oblasti' musí být slovník název oblasti: [obce…] (např. Třešť: [588032]), "
                         + ("ne seznam." if isinstance(declared, list) else f"ne {declared!r}."))
    for name, members in declared.items():
        if not isinstance(members, list) or not members:
            raise SprssError(f"Soubor území {path}: oblast {name!r} musí být neprázdný seznam obcí.")
        member_codes = _codes(members, obce, path, f"oblast {name}")
        outside = [c for c in member_codes if c not in codes]
        if outside:
            raise SprssError(f"Soubor území {path}: oblast {name!r} obsahuje obce {', '.join(outside)}, které nejsou v 'obce'.")
        twice = [c for c in member_codes if c in seen]
        if twice:
            raise SprssError(f"Soubor území {path}: obec {twice[0]} je v oblasti {seen[twice[0]]!r} i {name!r}; "
                             "každá obec smí patřit jen do jedné oblasti.")
        seen.update({c: name for c in member_codes})
        oblasti.append(Area("oblast", slug(str(name)), str(name), tuple(member_codes)))
    members = obce[obce["obec_kod"].isin(codes)].sort_values("obec_nazev", key=lambda s: s.map(collation_key))
    area = Area("vlastni", slug(str(spec["nazev"])), str(spec["nazev"]), tuple(members["obec_kod"]))
    return Territory(area, oblasti, members)


def _codes(items: list[object], obce: pd.DataFrame, path: Path, where: str) -> list[str]:
    codes: list[str] = []
    unknown: list[str] = []
    for item in items:
        text = str(item).strip()
        if text.isdigit():
            (codes if text in set(obce["obec_kod"]) else unknown).append(text)
            continue
        try:
            codes.append(_find("obec", text, obce))
        except SprssError as exc:
            raise SprssError(f"Soubor území {path} ({where}): {exc}") from None
    if unknown:
        raise SprssError(f"Soubor území {path} ({where}): neznámé kódy obcí {', '.join(unknown)}.")
    return codes


def comparisons(territory: Territory, obce: pd.DataFrame) -> list[Area]:
    """The territory's ORP where it is finer than one, its kraj and ČR (for custom territories: all it touches);
    never an area of exactly the territory's obce (obec Praha is also ORP and kraj Praha: no comparison with itself)."""
    typ = territory.area.typ
    members = territory.obce
    own = set(territory.area.obce)
    levels = {"obec": ["orp", "kraj", "stat"], "pou": ["orp", "kraj", "stat"], "vlastni": ["orp", "kraj", "stat"],
              "orp": ["kraj", "stat"], "okres": ["kraj", "stat"], "kraj": ["stat"], "stat": []}[typ]
    areas = []
    for level in levels:
        code_col, name_col = LEVELS[level]
        for kod, nazev in members[[code_col, name_col]].drop_duplicates().itertuples(index=False):
            # code and name columns of `obce` are VARCHAR in the warehouse schema
            area = Area(level, cast(str, kod), cast(str, nazev), tuple(obce.loc[obce[code_col] == kod, "obec_kod"]))
            if set(area.obce) != own:
                areas.append(area)
    return areas


def obec_areas(territory: Territory) -> list[Area]:
    obce = territory.obce
    return [Area("obec", kod, nazev, (kod,)) for kod, nazev in zip(obce["obec_kod"], obce["obec_nazev"], strict=True)]


# what a map of a territory colours: a kraj its ORP, ČR its kraje, anything finer its obce
MAP_LEVEL = {"kraj": "orp", "stat": "kraj"}
# units of a level in the nominative and genitive plural and the locative: 'obce a ORP', 'obcí ORP Jihlava',
# 'v ORP Kraje Vysočina'
UNITS = {"obec": "obce", "orp": "ORP", "okres": "okresy", "kraj": "kraje"}
OF_UNITS = {"obec": "obcí", "orp": "ORP", "okres": "okresů", "kraj": "krajů"}
IN_UNITS = {"obec": "v obcích", "orp": "v ORP", "okres": "v okresech", "kraj": "v krajích"}
UNIT_HEADER = {"obec": "Obec", "orp": "ORP", "okres": "Okres", "kraj": "Kraj"}  # a table's first column


def of_obce(units: Sequence[Area]) -> bool:
    """Whether map units (map_units) are obce, or none at all (an obec itself); else the ORP of a kraj or the
    kraje of ČR, which tables list instead of hundreds of obce."""
    return not units or units[0].typ == "obec"


def map_units(territory: Territory) -> list[Area]:
    """The units a map of the territory colours (MAP_LEVEL), ordered by Czech collation of their names."""
    level = MAP_LEVEL.get(territory.area.typ)
    return obec_areas(territory) if level is None else units_of(territory, level)


def units_of(territory: Territory, level: str) -> list[Area]:
    """The units of `level` (a key of LEVELS) that the territory's obce lie in, by Czech collation of their names."""
    code_col, name_col = LEVELS[level]
    obce = territory.obce
    units = obce.drop_duplicates(code_col).sort_values(name_col, key=lambda s: s.map(collation_key))
    return [Area(level, kod, nazev, tuple(obce.loc[obce[code_col] == kod, "obec_kod"]))
            for kod, nazev in units[[code_col, name_col]].itertuples(index=False)]


def membership(areas: list[Area]) -> pd.DataFrame:
    """Long table area × obec, with the position of the area for stable output order."""
    rows = [(position, a.typ, a.kod, a.nazev, obec) for position, a in enumerate(areas) for obec in a.obce]
    return pd.DataFrame(rows, columns=["uzemi_poradi", "uzemi_typ", "uzemi_kod", "uzemi_nazev", "obec_kod"])


def search(query: str, obce: pd.DataFrame, level: str | None = None) -> pd.DataFrame:
    """Territorial units whose name or code contains `query` (folded), for `sprss territories`."""
    found = []
    for typ, (code_col, name_col) in LEVELS.items():
        if level and typ != level:
            continue
        units = obce.groupby([code_col, name_col], as_index=False).agg(
            pocet_obci=("obec_kod", "size"), okres=("okres_nazev", "first"), kraj=("kraj_nazev", "first"))
        hit = units[units[name_col].map(fold).str.contains(fold(query), regex=False) | (units[code_col] == query)] \
            if query else units
        found.append(pd.DataFrame({"selektor": typ + ":" + hit[code_col], "typ": typ, "kod": hit[code_col],
                                   "nazev": hit[name_col],
                                   # a unit above okres spans several okresy: the first one would mislead
                                   "okres": hit["okres"] if typ in ("obec", "pou", "orp") else "",
                                   "kraj": hit["kraj"] if typ != "stat" else "",
                                   "pocet_obci": hit["pocet_obci"]}))
    return pd.concat(found, ignore_index=True)
