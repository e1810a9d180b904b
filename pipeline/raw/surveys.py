"""Survey snapshots in data/raw/pruzkum/<name>/: the export (likely names in free text masked), its codebook, the territory file when
the territory is one, and pruzkum.json (the provenance of file snapshots plus the survey's own choices).

The warehouse is rebuilt from data/raw (pipeline.warehouse.surveys loads them). Import and build both go
through `evaluate`, so the warehouse always holds exactly what the import reported.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
import hashlib
import json
import os
from pathlib import Path
import re
import shutil

import pandas as pd

from pipeline.core import territory
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.sources.pruzkum import codebook as cb
from pipeline.sources.pruzkum import redact
from pipeline.sources.pruzkum.readers import read_export
from pipeline.sources.pruzkum.validate import Result, validate

FOLDER = "pruzkum"
META = "pruzkum.json"
CODEBOOK = "kodovnik.yaml"
TERRITORY = "uzemi.yaml"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass
class Survey:
    """What one import stores: the files' bytes and the choices made on the command line."""
    name: str
    selector: str
    export_name: str
    export: bytes
    codebook_name: str
    codebook: bytes
    territory_path: Path | None  # the YAML when the territory is a file (the analyst's, then the stored copy)
    imported_at: datetime
    masked: redact.Redacted | None = None  # likely names masked in free text before storing (None: stored as given)
    original: tuple[str, int] | None = None  # sha256 and size of the analyst's file when names were masked

    def meta(self) -> dict[str, str | int | None]:
        """The provenance of a file snapshot (raw/snapshots.py), then what only a survey has. A survey has no
        publication date: its reference date is the day of the import. Older pruzkum.json files hold only
        nazev, uzemi, puvodni_nazev, sha256, velikost, kodovnik and importovano, which is all `stored` reads."""
        meta: dict[str, str | int | None] = {
            "soubor": f"{FOLDER}/{self.name}/{self.export_name}", "puvodni_nazev": self.export_name,
            "zdroj": FOLDER, "referencni_datum": self.imported_at.date().isoformat(),
            "sha256": hashlib.sha256(self.export).hexdigest(), "velikost": len(self.export),
            "importovano": self.imported_at.isoformat(timespec="seconds"), "url": None,
            "nazev": self.name, "uzemi": self.selector, "kodovnik": self.codebook_name}
        if self.masked and self.original:
            meta |= {"puvodni_sha256": self.original[0], "puvodni_velikost": self.original[1],
                     "skryta_jmena": self.masked.names}
        return meta


@dataclass
class Evaluation:
    codebook: cb.Codebook
    territory: territory.Territory
    result: Result


def prepare(name: str, export_path: Path, codebook_path: Path, selector: str) -> Survey:
    if not NAME_PATTERN.match(name):
        raise SprssError(f"Neplatný název průzkumu {name!r}; použijte malá písmena bez diakritiky, číslice, '-' a '_' "
                         "(např. obcane-2027).")
    export = _read(export_path, "Export")
    if export_path.name in (META, CODEBOOK, TERRITORY):
        raise SprssError(f"Export se nesmí jmenovat {export_path.name}; přejmenujte ho.")
    is_file = territory.is_territory_file(selector)
    survey = Survey(name, Path(selector).name if is_file else selector, export_path.name, export, codebook_path.name,
                    _read(codebook_path, "Kódovník"), Path(selector) if is_file else None, datetime.now(UTC))
    masked = redact.redact(export, export_path.name, _codebook(survey))
    if not masked.names:
        return survey
    return replace(survey, export=masked.content, masked=masked,
                   original=(hashlib.sha256(export).hexdigest(), len(export)))


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SprssError(f"{what} {path} nelze přečíst: {czech_errno(exc.errno)}.") from None


def evaluate(survey: Survey, obce: pd.DataFrame) -> Evaluation:
    """Codebook, territory and validated rows: the one code path of import and build."""
    book = _codebook(survey)
    chosen = _territory(survey, obce)
    export = read_export(survey.export, survey.export_name)
    return Evaluation(book, chosen, validate(export, book, chosen, obce))


def _codebook(survey: Survey) -> cb.Codebook:
    try:
        text = survey.codebook.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SprssError(f"Kódovník {survey.codebook_name} není v kódování UTF-8.") from None
    return cb.parse(text, survey.codebook_name)


def territory_selector(data: DataDir, meta: pd.Series) -> str:
    """The territory of a stored survey (row of table pruzkum) as a selector: the snapshot's copy of the
    territory file, since the analyst's original may have changed or gone since the import."""
    copy = data.raw / FOLDER / meta["pruzkum"] / TERRITORY
    return str(copy) if copy.exists() else meta["uzemi"]


def _territory(survey: Survey, obce: pd.DataFrame) -> territory.Territory:
    return territory.resolve(str(survey.territory_path) if survey.territory_path else survey.selector, obce)


@contextmanager
def replacing(survey: Survey, data: DataDir) -> Iterator[Path]:
    """Put the snapshot folder in place of the previous one; put that back if the body (the build) fails."""
    root = data.raw / FOLDER
    root.mkdir(parents=True, exist_ok=True)
    target = root / survey.name
    temporary = root / f".{survey.name}.{os.getpid()}.tmp"
    previous = root / f".{survey.name}.{os.getpid()}.old"
    for leftover in (temporary, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    temporary.mkdir()
    try:
        (temporary / survey.export_name).write_bytes(survey.export)
        (temporary / CODEBOOK).write_bytes(survey.codebook)
        if survey.territory_path:
            shutil.copyfile(survey.territory_path, temporary / TERRITORY)
        (temporary / META).write_text(json.dumps(survey.meta(), ensure_ascii=False, indent=2), encoding="utf-8")
        if target.exists():
            os.replace(target, previous)
        os.replace(temporary, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    try:
        yield target
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        if previous.exists():
            os.replace(previous, target)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def stored(data: DataDir) -> list[Survey]:
    """Every survey snapshot, checked against the sha256 recorded on import, in name order."""
    surveys = []
    for meta_path in sorted((data.raw / FOLDER).glob(f"*/{META}")):
        folder = meta_path.parent
        if folder.name.startswith("."):
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        export = _read(folder / meta["puvodni_nazev"], "Export průzkumu")
        if hashlib.sha256(export).hexdigest() != meta["sha256"]:
            raise SprssError(f"Export {folder / meta['puvodni_nazev']} byl po importu změněn (nesouhlasí sha256); "
                             f"importujte průzkum {meta['nazev']} znovu.")
        territory_path = folder / TERRITORY
        surveys.append(Survey(meta["nazev"], meta["uzemi"], meta["puvodni_nazev"], export, meta["kodovnik"],
                              _read(folder / CODEBOOK, "Kódovník průzkumu"),
                              territory_path if territory_path.exists() else None,
                              datetime.fromisoformat(meta["importovano"])))
    return surveys
