"""Fast XLSX reading (python-calamine; openpyxl is 10x slower here and kept for writing)."""
import io
import zipfile

import python_calamine

from pipeline.core.errors import FormatError


def read_sheets(content: bytes) -> dict[str, list[list]]:
    """All sheets as lists of rows of Python values ('' for empty cells)."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        # keep leading empty rows so that list index + 1 is the row number Excel shows
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    except Exception as exc:  # calamine raises several types for corrupt zips
        # the library's text is English and says no more than this
        raise FormatError("nejde o čitelný sešit XLSX (soubor je poškozený, neúplný nebo jiného formátu)") from exc


def is_xlsx(content: bytes) -> bool:
    """A ZIP that is a workbook; a ZIP of CSVs (ČSÚ open data) is not, a damaged ZIP is taken for a workbook so
    that the user hears it is damaged."""
    if content[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return True


def cell_text(value: object) -> str:
    """Cell as text; integral floats lose '.0' so codes read as '554782', not '554782.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheets_if_workbook(content: bytes) -> dict[str, list[list]] | None:
    """The sheets of a readable workbook, or None: what a sniff asks first (a damaged file is refused later, once)."""
    if not is_xlsx(content):
        return None
    try:
        return read_sheets(content)
    except FormatError:
        return None
