"""Immutable raw snapshots: data/raw/<source>/<reference date>/<original name> + provenance JSON.

A file is parsed (and so fully validated) before it is copied; the copy is written to a temporary
name and renamed, so data/raw never holds a half-written or unreadable file. A source with personal fields
(`redact`, sources/base.py) is stored without them: `sha256` and `velikost` then describe the stored bytes, and
`puvodni_sha256`, `puvodni_velikost` and `odstranene_klice` the original file and what was removed from it.
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
from pipeline.core.system import czech_errno
from pipeline.core.text import czech_date
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
    except RecursionError:
        raise FormatError(f"data jsou vnořená příliš hluboko (tisíce úrovní); {module.META.title} takový soubor "
                          "nevydává, soubor je poškozený", file=filename) from None
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        # a parser met a shape it does not check for (pandas' CSV tokenizer, an empty column…): still the file's fault;
        # --debug shows where
        raise FormatError(f"obsah neodpovídá formátu zdroje {module.META.title} (soubor je poškozený, neúplný nebo jiného "
                          "druhu)", file=filename) from exc


def _redacted(content: bytes, filename: str, module: ModuleType) -> tuple[bytes, dict[str, int] | None]:
    """The bytes to store and the removed key paths (None for a source without personal fields)."""
    redact = getattr(module, "redact", None)
    if redact is None:
        return content, None
    try:
        stored_bytes, removed = redact(content)
    except FormatError as exc:
        raise exc.in_file(filename) from exc
    except RecursionError:
        raise FormatError("data jsou vnořená příliš hluboko (tisíce úrovní); soubor je poškozený", file=filename) from None
    return stored_bytes, removed


def stage(path: Path, source_id: str | None = None, reference_date: date | None = None,
          url: str | None = None) -> Snapshot:
    """Read, recognise and parse a file the user has; nothing is written yet."""
    try:
        original = Path(path).read_bytes()
    except OSError as exc:
        raise SprssError(f"Soubor {path} nelze přečíst: {czech_errno(exc.errno)}.") from None
    return stage_content(original, Path(path).name, source_id, reference_date, url)


def stage_content(original: bytes, name: str, source_id: str | None = None, reference_date: date | None = None,
                  url: str | None = None) -> Snapshot:
    """The same for bytes sprss itself wrote (e.g. the IČO placement of `sprss import --obec`)."""
    module = sources.by_id(source_id) if source_id else sources.detect(original, name)
    parsed = parse_file(original, name, module, reference_date)
    content, removed = _redacted(original, name, module)
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
    if removed is not None:
        provenance |= {"puvodni_sha256": hashlib.sha256(original).hexdigest(), "puvodni_velikost": len(original),
                       "odstranene_klice": removed}
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


def recorded(data: DataDir) -> list[dict]:
    """The provenance records of data/raw (without reading or parsing the files)."""
    return [json.loads(meta.read_text()) for meta in sorted(data.raw.glob(f"*/*/*{PROVENANCE_SUFFIX}"))]


def check_not_twice(new: list[Snapshot], present: list[dict]) -> None:
    """The same bytes stored under another name or reference date would count every figure twice."""
    seen = {record["sha256"]: (record["soubor"], f"už je v data/raw/{record['soubor']}", record["referencni_datum"])
            for record in present}
    for snapshot in new:
        earlier = seen.get(snapshot.provenance["sha256"])
        if earlier is not None and earlier[0] != snapshot.relative_path:
            raise SprssError(f"Soubor {snapshot.name}: týž obsah (stejný sha256) {earlier[1]} (k "
                             f"{czech_date(date.fromisoformat(earlier[2]))}); jeho údaje by byly ve skladu dvakrát. "
                             "Importujte každý soubor jen jednou, s jedním datem.")
        seen[snapshot.provenance["sha256"]] = (snapshot.relative_path, f"se importuje i jako {snapshot.relative_path}",
                                               snapshot.provenance["referencni_datum"])


def redact_stored(data: DataDir) -> list[str]:
    """Snapshots stored before their source removed personal fields are rewritten without them (their tables do
    not change: the parser never read those fields); returns their paths under data/raw.

    The provenance is written first: a process killed before the file follows leaves the original bytes, whose
    sha256 is then `puvodni_sha256`, and the next call redacts them again."""
    done = []
    for meta in sorted(data.raw.glob(f"*/*/*{PROVENANCE_SUFFIX}")):
        provenance = json.loads(meta.read_text())
        module = sources.by_id(provenance["zdroj"])
        file = meta.with_name(meta.name.removesuffix(PROVENANCE_SUFFIX))
        if getattr(module, "redact", None) is None or not file.exists():
            continue
        original = file.read_bytes()
        original_sha256 = hashlib.sha256(original).hexdigest()
        if "odstranene_klice" in provenance and original_sha256 != provenance["puvodni_sha256"]:
            continue  # redacted already (or changed since, which `stored` reports)
        content, removed = _redacted(original, provenance["puvodni_nazev"], module)
        provenance |= {"sha256": hashlib.sha256(content).hexdigest(), "velikost": len(content),
                       "puvodni_sha256": original_sha256, "puvodni_velikost": len(original), "odstranene_klice": removed}
        atomic_write(meta, json.dumps(provenance, ensure_ascii=False, indent=2).encode())
        atomic_write(file, content)
        os.chmod(file, 0o444)
        done.append(provenance["soubor"])
    return done


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
