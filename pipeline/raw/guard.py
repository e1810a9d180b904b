"""One writer at a time in a data dir, and what a killed writer left behind removed before the next one starts.

Writers (import, fetch, build, run, survey import) hold an exclusive `flock` on the data dir itself: the lock is
a property of the open directory, so no lock file is ever added to the data dir, and the kernel drops it when the
process ends, however it ends. A second writer waits and says so in one Czech line.

Every temporary name sprss writes ends in `.<pid>.tmp` (core/files.atomic_write, the warehouse build and its
`.tmp.wal`, survey folders), `.<pid>.old` (the previous survey folder while a new one is built) or is a `.fetch-*`
folder; a provenance record without its file is a snapshot killed between its two writes. With the lock held no
other writer can own them, so they are removed (an `.old` survey folder is put back: its import never finished).
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
import fcntl
import os
from pathlib import Path
import re
import shutil

from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.core.system import czech_errno
from pipeline.raw.snapshots import PROVENANCE_SUFFIX

LEFTOVER = re.compile(r"^\..+\.\d+\.(tmp|tmp\.wal|old)$")
FETCH_WORKDIR = re.compile(r"^\.fetch-")


_HELD: set[Path] = set()  # data dirs this process holds the lock of (a command that locks, then stores)


@contextmanager
def writing(data: DataDir, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the data dir's writer lock (waiting for another sprss if needed) with the leftovers cleaned; nested use in
    the same process holds it once."""
    if data.root in _HELD:
        yield
        return
    try:
        data.root.mkdir(parents=True, exist_ok=True)
        handle = os.open(data.root, os.O_RDONLY)
    except OSError as exc:
        raise SprssError(f"Adresář dat {data.root} nelze otevřít: {czech_errno(exc.errno)}.") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"Čekám, až skončí jiný příkaz sprss, který zapisuje do {data.root}…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        clean(data)
        _HELD.add(data.root)
        try:
            yield
        finally:
            _HELD.discard(data.root)
    finally:
        os.close(handle)  # releases the lock


def tidy_if_idle(data: DataDir) -> None:
    """Before a reading command: clean leftovers when no writer is running (never wait, never fail)."""
    if not data.root.is_dir():
        return
    try:
        handle = os.open(data.root, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        clean(data)
    except OSError:
        pass  # another writer runs (it cleans), or the data dir is read-only: nothing to do
    finally:
        os.close(handle)


def leftovers(data: DataDir) -> list[Path]:
    """Temporary files and folders of writers that did not finish (what `clean` removes or puts back)."""
    found = []
    for folder, dirs, files in os.walk(data.root):
        here = Path(folder)
        for name in list(dirs):
            if LEFTOVER.match(name) or FETCH_WORKDIR.match(name):
                found.append(here / name)
                dirs.remove(name)
        found += [here / name for name in files if LEFTOVER.match(name)]
        found += [here / name for name in files if name.endswith(PROVENANCE_SUFFIX)
                  and not (here / name.removesuffix(PROVENANCE_SUFFIX)).exists()]
    return sorted(found)


def clean(data: DataDir) -> list[Path]:
    """Remove (or, for an unfinished survey replacement, put back) what `leftovers` finds; call with the lock held."""
    removed = leftovers(data)
    for path in removed:
        if path.is_dir() and path.name.endswith(".old"):
            _restore_previous(path)
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return removed


def _restore_previous(previous: Path) -> None:
    """`.NAME.PID.old` is the folder NAME had before an import that never finished: it becomes NAME again."""
    name = previous.name[1:].rsplit(".", 2)[0]
    target = previous.with_name(name)
    if target.exists():
        shutil.rmtree(target)
    os.replace(previous, target)
