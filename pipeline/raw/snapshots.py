"""Immutable raw snapshots: data/raw/<source>/<reference date>/<original name> + provenance JSON.

A file is parsed (and so fully validated) before it is copied; the copy is written to a temporary
name and renamed, so data/raw never holds a half-written or unreadable file.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime
import hashlib
import json
import os
from pathlib import Path
from types import ModuleType

from pipeline import sources
from pipeline.core.config import DataDir
from pipeline.core.errors import FormatError, SprssError
from pipeline.core.files import atomic_write
from pipeline.sources.base import Parsed, SourceMeta

PROVENANCE_SUFFIX = ".provenance.json"


@dataclass
class Snapshot:
    """A parsed file with its provenance; `relative_path` is where it lives (or will live) in data/raw."""
    content: bytes
    module: ModuleType
    parsed: Parsed
    provenance: dict

    @property
    def source_id(self) -> str:
        return self.meta.id

    @property
    def meta(self) -> SourceMeta:
        meta: SourceMeta = self.module.META
        return meta

    @property
    def relative_path(self) -> str:
        return self.provenance["soubor"]

    @property
    def name(self) -> str:
        return self.provenance["puvodni_nazev"]


def parse_file(content: bytes, filename: str, module: ModuleType, reference_date: date | None) -> Parsed:
    try:
        return module.parse(content, filename, reference_date)
    except FormatError as exc:
        raise exc.in_file(filename) from exc


def stage(path: Path, source_id: str | None = None, reference_date: date | None = None,
          url: str | None = None) -> Snapshot:
    """Read, recognise and parse a file the user has; nothing is written yet."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise SprssError(f"Soubor {path} nelze přečíst: {exc.strerror}.") from exc
    return stage_content(content, Path(path).name, source_id, reference_date, url)


def stage_content(content: bytes, name: str, source_id: str | None = None, reference_date: date | None = None,
                  url: str | None = None) -> Snapshot:
    """The same for bytes sprss itself wrote (e.g. the IČO placement of `sprss import --obec`)."""
    module = sources.by_id(source_id) if source_id else sources.detect(content, name)
    parsed = parse_file(content, name, module, reference_date)
    ref = parsed.reference_date.isoformat()
    source: SourceMeta = module.META
    provenance = {
        "soubor": f"{source.id}/{ref}/{name}",
        "puvodni_nazev": name,
        "zdroj": source.id,
        "referencni_datum": ref,
        "sha256": hashlib.sha256(content).hexdigest(),
        "velikost": len(content),
        "importovano": datetime.now(UTC).isoformat(timespec="seconds"),
        "url": url,
    }
    return Snapshot(content, module, parsed, provenance)


def already_stored(snapshot: Snapshot, data: DataDir) -> bool:
    """True when data/raw already holds this exact file (re-import is a no-op); a different file under
    the same source, date and name is refused, because snapshots never change."""
    target = data.raw / snapshot.relative_path
    if not target.exists():
        return False
    existing = hashlib.sha256(target.read_bytes()).hexdigest()
    if existing != snapshot.provenance["sha256"]:
        raise SprssError(
            f"Soubor {snapshot.name}: v {target} už je jiný soubor se stejným zdrojem a datem; snímky jsou neměnné — "
            "chcete-li ho nahradit, smažte ho ručně a spusťte sprss build."
        )
    return True


def write(snapshot: Snapshot, data: DataDir) -> Path:
    target = data.raw / snapshot.relative_path
    if already_stored(snapshot, data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target.with_name(target.name + PROVENANCE_SUFFIX),
                 json.dumps(snapshot.provenance, ensure_ascii=False, indent=2).encode())
    atomic_write(target, snapshot.content)
    os.chmod(target, 0o444)
    return target


def stored(data: DataDir) -> list[Snapshot]:
    """Every snapshot in data/raw, parsed again from its stored bytes, in a stable order."""
    snapshots = []
    for meta in sorted(data.raw.glob(f"*/*/*{PROVENANCE_SUFFIX}")):
        provenance = json.loads(meta.read_text())
        file = meta.with_name(meta.name.removesuffix(PROVENANCE_SUFFIX))
        if not file.exists():
            raise SprssError(f"V {meta.parent} chybí soubor {file.name}, k němuž je záznam o původu.")
        content = file.read_bytes()
        if hashlib.sha256(content).hexdigest() != provenance["sha256"]:
            raise SprssError(f"Soubor {file} byl po importu změněn (nesouhlasí sha256); obnovte ho nebo importujte znovu.")
        module = sources.by_id(provenance["zdroj"])
        parsed = parse_file(content, provenance["puvodni_nazev"], module,
                            date.fromisoformat(provenance["referencni_datum"]))
        snapshots.append(Snapshot(content, module, parsed, provenance))
    return snapshots
