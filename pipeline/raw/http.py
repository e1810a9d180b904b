"""Downloads of official files that never leave a half-written file behind.

Official servers are slow and sometimes broken, and a truncated XLSX or CSV must never be taken
for data: every file is written to a ``.part`` file beside its target, its length and sha256 are
checked while streaming, and only a complete file is renamed into place.

A mirror (``--mirror DIR|URL``) serves the same paths as the official servers:
- ``http(s)://base`` -> ``base`` + URL path + ``?query`` (a server holding a copy);
- a local folder -> ``DIR/<URL path, percent-decoded>``; a query string becomes part of the file
  name: ``?`` turns into ``@``, and characters not allowed in file names (``\\ / : * ? " < > |``,
  control characters) are percent-encoded, so
  ``https://apl.czso.cz/iSMS/cisexp.jsp?kodcis=43&format=2`` is read from
  ``DIR/iSMS/cisexp.jsp@kodcis=43&format=2``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
import hashlib
import json
import os
from pathlib import Path, PurePosixPath
import re
import tempfile
import time
from urllib.parse import unquote, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.sources import csu_datastat

Progress = Callable[[int, int | None], None]

CHUNK = 1 << 16
USER_AGENT = "sprss/0.1"
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# ČSÚ document links put the real file name before a UUID: …/130141-22data2021.csv/<uuid>?version=1.1
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
# a script's query, not its name, says which file it returns (ČSÚ cisexp.jsp?kodcis=43…)
SCRIPT_SUFFIXES = {".jsp", ".php", ".asp", ".aspx", ".cgi", ".do"}


@dataclass
class FetchResult:
    """What was fetched, for provenance: a 304 has no path but the sha256 and size from the cache."""

    url: str
    path: Path | None
    sha256: str | None
    size: int | None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    source: str = ""  # where the bytes came from: the URL itself, a mirror URL or a mirror file


class _Transient(Exception):
    """A failure worth another attempt; the message is the Czech reason."""


def _safe(text: str) -> str:
    return UNSAFE_IN_NAME.sub(lambda m: f"%{ord(m.group()):02X}", text)


def _is_http(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _segments(url: str) -> list[str]:
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    if not segments or any(s in {".", ".."} for s in segments):
        raise SprssError(f"Adresa {url} neukazuje na soubor")
    return segments


def resolve(url: str, mirror: str | None) -> str:
    """Where to read `url` from: the URL itself, the same path on a mirror server, or a mirror file."""
    if not mirror:
        return url
    parts = urlsplit(url)
    if _is_http(mirror):
        return mirror.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    segments = _segments(url)
    if parts.query:
        segments[-1] += "@" + _safe(parts.query)
    return str(Path(mirror).joinpath(*map(_safe, segments)))


def file_name(url: str) -> str:
    """Local name for the file behind `url`: the path's file name, plus the query where it matters."""
    segments = _segments(url)
    name = segments[-2] if len(segments) > 1 and UUID.match(segments[-1]) else segments[-1]
    query = urlsplit(url).query
    if query and PurePosixPath(name).suffix.lower() in SCRIPT_SUFFIXES | {""}:
        name += "@" + query
    return _safe(name)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _attempts(n: int) -> str:
    return "po 1 pokusu" if n == 1 else f"po {n} pokusech"


def _write_atomic(chunks: Iterable[bytes], target: Path, progress: Progress | None = None,
                  total: int | None = None, verify: Callable[[], None] | None = None) -> tuple[str, int]:
    """Stream `chunks` into `target` via a `.part` file; return (sha256, size). Nothing is left on failure."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise SprssError(f"Uložení souboru {target} selhalo: {czech_errno(exc.errno)}") from exc
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if progress:
                    progress(size, total)
            handle.flush()
            os.fsync(handle.fileno())
        if verify:
            verify()
        os.replace(tmp, target)
    except requests.RequestException:
        raise  # network failure while streaming: an OSError too, but the caller's to judge
    except OSError as exc:
        raise SprssError(f"Uložení souboru {target} selhalo: {czech_errno(exc.errno)}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest.hexdigest(), size


def _load_cache(cache: Path) -> dict:
    """Validators of earlier downloads; an unreadable cache only costs a full download."""
    try:
        entries = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _store_cache(cache: Path, key: str, result: FetchResult) -> None:
    entries = _load_cache(cache)
    entries[key] = {"etag": result.etag, "last_modified": result.last_modified,
                    "sha256": result.sha256, "size": result.size}
    cache.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True)
    _write_atomic([text.encode("utf-8")], cache)


def _is_timeout(exc: BaseException) -> bool:
    # requests reports a read timeout in the middle of the body as a ConnectionError
    return isinstance(exc, requests.Timeout) or any(isinstance(a, ReadTimeoutError) for a in exc.args)


def _reason(exc: requests.RequestException) -> str:
    if _is_timeout(exc):
        return "spojení vypršelo (timeout)"
    return "nelze se spojit se serverem"


def _attempt(session: requests.Session, url: str, source: str, target: Path, cached: dict,
             timeout: tuple[float, float], progress: Progress | None) -> FetchResult:
    headers = {"User-Agent": USER_AGENT}
    if cached.get("etag"):
        headers["If-None-Match"] = cached["etag"]
    if cached.get("last_modified"):
        headers["If-Modified-Since"] = cached["last_modified"]
    try:
        response = session.get(source, headers=headers, timeout=timeout, stream=True)
    except requests.TooManyRedirects:  # a loop does not end by trying again
        raise SprssError(f"Stažení {source} selhalo: server přesměrovává dokola (více než "
                         f"{session.max_redirects} přesměrování); adresa nebo zrcadlo je chybné") from None
    except requests.exceptions.SSLError as exc:
        raise _Transient("chyba zabezpečeného spojení (TLS)") from exc
    except requests.RequestException as exc:
        raise _Transient(_reason(exc)) from exc
    with response:
        status = f"HTTP {response.status_code} {response.reason or ''}".strip()
        if response.status_code == 304 and len(headers) > 1:
            return FetchResult(url, None, cached.get("sha256"), cached.get("size"), True,
                               response.headers.get("ETag", cached.get("etag")),
                               response.headers.get("Last-Modified", cached.get("last_modified")), source)
        if response.status_code == 429 or response.status_code >= 500:
            raise _Transient(status)
        if response.status_code != 200:
            raise SprssError(f"Stažení {source} selhalo: {status}{_server_error(response)}")
        length = response.headers.get("Content-Length", "")
        expected = int(length) if length.isdigit() else None
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"

        def truncated() -> _Transient:
            received = response.raw.tell()  # bytes on the wire, as Content-Length counts them
            if expected is None:
                return _Transient(f"přenos přerušen po {_count(received)} bajtech")
            return _Transient(f"přenos přerušen, přijato {_count(received)} z {_count(expected)} bajtů")

        def verify() -> None:
            if expected is not None and response.raw.tell() != expected:
                raise truncated()

        try:
            digest, size = _write_atomic(response.iter_content(CHUNK), target, progress,
                                         None if encoded else expected, verify)
        except requests.RequestException as exc:
            raise (_Transient(_reason(exc)) if _is_timeout(exc) else truncated()) from exc
        return FetchResult(url, target, digest, size, False, response.headers.get("ETag"),
                           response.headers.get("Last-Modified"), source)


def _server_error(response: requests.Response) -> str:
    """The reason an API states in a JSON error body (DataStat: {"chyba": …}), else nothing."""
    try:
        body = json.loads(response.raw.read(65536, decode_content=True) or b"null")
    except Exception:  # a broken error body only costs the detail, never the HTTP status
        return ""
    error = csu_datastat.api_error(body)
    return f" ({error})" if error else ""


def _copy_local(url: str, source: Path, target: Path, progress: Progress | None) -> FetchResult:
    try:
        handle = source.open("rb")
    except FileNotFoundError:
        raise SprssError(f"V zrcadle chybí soubor {source} (pro {url})") from None
    except OSError as exc:
        raise SprssError(f"Soubor {source} ze zrcadla nelze číst: {czech_errno(exc.errno)}") from exc
    with handle:
        total = os.fstat(handle.fileno()).st_size
        digest, size = _write_atomic(iter(lambda: handle.read(CHUNK), b""), target, progress, total)
    return FetchResult(url, target, digest, size, source=str(source))


def download(url: str, dest_dir: Path, *, mirror: str | None = None, cache: Path | None = None,
             timeout: tuple[float, float] = (5, 60), retries: int = 3, backoff: float = 0.5,
             session: requests.Session | None = None, progress: Progress | None = None,
             filename: str | None = None) -> FetchResult:
    """Download `url` (or its mirror copy) into `dest_dir`, verified and atomically.

    `retries` is the total number of attempts; transient failures (connection errors, timeouts,
    HTTP 5xx and 429, truncated bodies) are retried after backoff, 2×backoff, 4×backoff … seconds,
    any other HTTP status fails at once. With `cache` (JSON: requested URL -> validators) the
    request is conditional and an unchanged file comes back as ``not_modified`` with no path:
    the caller still has it from last time. Errors raise SprssError with one Czech line.
    """
    dest_dir = Path(dest_dir)
    source = resolve(url, mirror)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SprssError(f"Složku {dest_dir} nelze vytvořit: {czech_errno(exc.errno)}") from exc
    target = dest_dir / (filename or file_name(url))
    if mirror and not _is_http(mirror):
        if not Path(mirror).is_dir():
            raise SprssError(f"Zrcadlo {mirror} není existující složka ani adresa http(s)://")
        return _copy_local(url, Path(source), target, progress)

    cached = _load_cache(cache).get(source, {}) if cache else {}
    attempts = max(1, retries)
    own_session = session is None
    session = session or requests.Session()
    try:
        for attempt in range(1, attempts + 1):
            try:
                result = _attempt(session, url, source, target, cached, timeout, progress)
                break
            except _Transient as exc:
                reason = str(exc)
                if attempt < attempts:
                    time.sleep(backoff * 2 ** (attempt - 1))
        else:
            raise SprssError(f"Stažení {source} selhalo {_attempts(attempts)}: {reason}")
    finally:
        if own_session:
            session.close()
    if cache and not result.not_modified:
        _store_cache(cache, source, result)
    return result
