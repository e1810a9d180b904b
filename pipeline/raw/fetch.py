"""`sprss fetch`: official URLs (each source's META) -> verified downloads -> the same raw snapshots as `sprss import`.

None of the URLs could be tried from where they were collected, and ČSÚ moves files (www.czso.cz/documents/… ->
csu.gov.cz/docs/…): when a download fails with HTTP 404, download the file in a browser and load it with `sprss import`.

A source whose address answers in pages (an ArcGIS query, sources/cuzk_ruian_hranice.py) says by `next_page` which
page follows; its pages are stored as one snapshot (the source's `archive`) with every page's URL in the provenance.
"""
from collections.abc import Callable
from datetime import date
import io
from pathlib import Path
import re
import shutil
import tempfile
from types import ModuleType
import zipfile

from pipeline import sources
from pipeline.core.config import DataDir
from pipeline.core.errors import FormatError, SprssError
from pipeline.core.files import atomic_write
from pipeline.core.text import plural
from pipeline.raw import http as fetch
from pipeline.raw import snapshots as raw
from pipeline.sources.base import OfficialUrl


def catalogue() -> dict[str, dict[str, OfficialUrl]]:
    """source id -> edition -> official URL, for every file source (those without a known URL map to {})."""
    return {module.META.id: {u.edition: u for u in module.META.urls} for module in sources.SOURCES}


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(edition: str) -> re.Pattern[str] | None:
    """An edition with placeholders ('{vyber}', 'sada:{sada}') stands for any code, e.g. a DataStat selection."""
    parts = PLACEHOLDER.split(edition)
    if len(parts) == 1:
        return None
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[A-Za-z0-9_-]+)" for i, p in enumerate(parts)))


def _editions(spec: str, known: dict[str, dict[str, OfficialUrl]]) -> list[tuple[str, str, str]]:
    """'csu_opendata:130141-2021' -> [(source, edition, url)]; without an edition, every edition with a fixed
    address; 'csu_datastat:NEZ01T1' fills the address pattern of an edition such as '{vyber}'."""
    source, _, edition = spec.partition(":")
    if source not in known:
        raise SprssError(f"Neznámý zdroj {source!r}; ke stažení jsou: {', '.join(sorted(known))}.")
    editions = known[source]
    if not editions:
        raise SprssError(f"Pro zdroj {source} není známa oficiální adresa ke stažení; stáhněte soubor ručně "
                         "a načtěte ho příkazem sprss import.")
    fixed = {name: url for name, url in editions.items() if _pattern(name) is None}
    if not edition:
        return [(source, e, url.url) for e, url in fixed.items()]
    if edition in fixed:
        return [(source, edition, fixed[edition].url)]
    for name, url in editions.items():
        pattern = _pattern(name)
        if pattern and (match := pattern.fullmatch(edition)):
            return [(source, edition, url.url.format(**match.groupdict()))]
    raise SprssError(f"Zdroj {source} nemá vydání {edition!r}; známá vydání: {', '.join(editions)}.")


def _unpacked(path: Path) -> list[Path]:
    """ČSÚ ships some open data as a ZIP holding the CSV; an XLSX is a ZIP too and stays as it is."""
    content = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return [path]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if "[Content_Types].xml" in archive.namelist():
            return [path]
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        if not members:
            raise SprssError(f"Archiv {path.name} neobsahuje žádný soubor CSV.")
        extracted = []
        for member in members:
            target = path.parent / Path(member).name
            target.write_bytes(archive.read(member))
            extracted.append(target)
        return extracted


def fetch_all(specs: list[str], data: DataDir, *, mirror: str | None = None, reference_date: date | None = None,
              report: Callable[[str], None] = print) -> tuple[list[raw.Snapshot], Callable[[], None]]:
    """Download and parse; returns the snapshots and a function that keeps the HTTP validators.

    The validators (ETag, Last-Modified) are kept only after the snapshots are stored: otherwise a
    failed build followed by a 304 would leave the file neither in data/raw nor downloadable.
    """
    known = catalogue()
    wanted = [edition for spec in specs for edition in _editions(spec, known)]
    data.raw.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".fetch-", dir=data.raw))
    cache = workdir / "cache.json"
    if data.fetch_cache.exists():
        shutil.copyfile(data.fetch_cache, cache)
    snapshots = []
    present = {record["sha256"] for record in raw.recorded(data)}
    try:
        for source, edition, url in wanted:
            module = sources.by_id(source)
            if hasattr(module, "next_page"):
                paged = _fetch_pages(module, edition, url, workdir / edition, mirror, reference_date or date.today(),
                                     report)
                if paged.provenance["sha256"] in present:  # what ETags say for files: nothing new since last time
                    report(f"{source}:{edition}: beze změny od posledního stažení ({url})")
                else:
                    snapshots.append(paged)
                continue
            result = fetch.download(url, workdir / edition, mirror=mirror, cache=cache)
            if result.not_modified or result.path is None:  # a 304 has no path
                report(f"{source}:{edition}: beze změny od posledního stažení ({url})")
                continue
            for path in _unpacked(result.path):
                snapshots.append(raw.stage(path, source, reference_date, url=url))
            # said once the file is known to be good: a refused download is the one line of its error
            report(f"{source}:{edition}: staženo {result.size:,} bajtů z {result.source}".replace(",", "\u202f"))
        kept = cache.read_bytes() if cache.exists() else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def keep_validators() -> None:
        if kept is not None:
            atomic_write(data.fetch_cache, kept)
    return snapshots, keep_validators


def _fetch_pages(module: ModuleType, edition: str, url: str, folder: Path, mirror: str | None, on: date,
                 report: Callable[[str], None]) -> raw.Snapshot:
    """Every page of a paged answer, in order; never conditional (a page unchanged since last time is still needed)."""
    pages: list[bytes] = []
    urls: list[str] = []
    page_url: str | None = url
    while page_url is not None:
        number = len(pages) + 1
        result = fetch.download(page_url, folder, mirror=mirror, filename=f"{number:04d}")
        content = result.path.read_bytes() if result.path else b""
        if pages and content == pages[-1]:  # a server that ignores resultOffset would be asked forever
            raise SprssError(f"Stažení {result.source} selhalo: stránka {number} je stejná jako předchozí; server "
                             "nestránkuje (resultOffset), odpověď nelze stáhnout celou.")
        try:
            following = module.next_page(page_url, content)
        except FormatError as exc:
            raise SprssError(f"Stažení {result.source} selhalo (stránka {number}): {exc.detail}.") from None
        pages.append(content)
        urls.append(page_url)
        page_url = following
    name, content = module.archive(edition, pages)
    snapshot = raw.stage_content(content, name, module.META.id, on, url=url)
    snapshot.provenance["stranky"] = urls
    size = f"{sum(len(p) for p in pages):,}".replace(",", "\u202f")
    report(f"{module.META.id}:{edition}: staženo {size} bajtů ({plural(len(pages), 'stránka', 'stránky', 'stránek')}) "
           f"z {mirror or url}")
    return snapshot
