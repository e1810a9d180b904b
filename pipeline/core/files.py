"""Atomic file writes (a reader or a crash never sees a half-written file) and reproducible office archives."""
from datetime import UTC, datetime
import io
import os
from pathlib import Path
import re
import zipfile


def atomic_write(target: Path, content: bytes) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# Office archives (DOCX, XLSX) are zip files whose entries and core properties carry the time of writing;
# with a fixed time the same input gives the same bytes (reproducible builds' SOURCE_DATE_EPOCH, else 1 Jan 2000).
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def archive_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime(2000, 1, 1, tzinfo=UTC)


def reproducible_archive(content: bytes) -> bytes:
    """The same zip with every entry stamped `archive_time()` and core properties created/modified set to it."""
    stamp = archive_time()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m[1] + iso + m[2], data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()
