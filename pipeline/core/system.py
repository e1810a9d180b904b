"""System errors in Czech: the operating system's own text ("No space left on device") must not reach a Czech line.

An OSError carries an errno; the texts below are the ones an analyst meets (missing file, read-only or full disk,
permissions). DuckDB reports the same faults as English text inside its own exceptions; `czech_io_text` finds
the fault in that text.
"""
import errno
import os

ERRNO_TEXTS = {
    errno.ENOENT: "soubor nebo adresář neexistuje",
    errno.EACCES: "chybí oprávnění",
    errno.EPERM: "operace není povolena",
    errno.EROFS: "disk je jen pro čtení",
    errno.ENOSPC: "na disku není volné místo",
    errno.EDQUOT: "vyčerpána kvóta disku",
    errno.EISDIR: "je to adresář, ne soubor",
    errno.ENOTDIR: "část cesty není adresář",
    errno.EEXIST: "soubor už existuje",
    errno.ENOTEMPTY: "adresář není prázdný",
    errno.EIO: "chyba čtení nebo zápisu na disk",
    errno.ENAMETOOLONG: "název souboru je příliš dlouhý",
    errno.EMFILE: "otevřeno příliš mnoho souborů",
    errno.ENFILE: "otevřeno příliš mnoho souborů",
    errno.EBUSY: "soubor nebo zařízení je používáno",
    errno.ETXTBSY: "soubor je používán",
    errno.ELOOP: "cesta obsahuje smyčku symbolických odkazů",
    errno.EFBIG: "soubor je příliš velký",
    errno.ENOMEM: "nedostatek paměti",
    errno.EXDEV: "přesun mezi různými disky není možný",
}
# how DuckDB (and the C library text it quotes) names the faults above
ENGLISH_TEXTS = {
    "no space left on device": errno.ENOSPC,
    "disk quota exceeded": errno.EDQUOT,
    "read-only file system": errno.EROFS,
    "permission denied": errno.EACCES,
    "no such file or directory": errno.ENOENT,
    "is a directory": errno.EISDIR,
    "could not set lock on file": errno.EBUSY,
    "conflicting lock": errno.EBUSY,
}


def czech_errno(number: int | None) -> str:
    if number in ERRNO_TEXTS:
        return ERRNO_TEXTS[number]
    return f"systémová chyba č. {number}" if number else "neznámá systémová chyba"


def czech_os_error(exc: OSError) -> str:
    """'soubor data/raw/x: na disku není volné místo' (the file when the error names one)."""
    where = exc.filename if exc.filename is not None else None
    text = czech_errno(exc.errno)
    if exc.errno == errno.EEXIST and where is not None and os.path.exists(where) and not os.path.isdir(where):
        text = "je to soubor, adresář v jeho místě vytvořit nelze"
    return f"{where}: {text}" if where else text


def czech_io_text(message: str) -> str:
    """The Czech text of a fault an English message (DuckDB's) describes, or a general one."""
    lowered = message.lower()
    for english, number in ENGLISH_TEXTS.items():
        if english in lowered:
            return czech_errno(number)
    return "chyba čtení nebo zápisu databáze"
